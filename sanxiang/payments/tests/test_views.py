import datetime

import pytest
from django.urls import reverse

from sanxiang.payments.models import Payment
from sanxiang.payments.tests.factories import give_role, make_case


@pytest.fixture
def case(personas, holidays):
    return make_case(personas)


def test_pages_need_a_login(client, case):
    response = client.get(reverse("payments:case", args=[case.pk]))
    assert response.status_code == 302


def test_the_panel_shows_amounts_and_the_entry_form_to_the_handling_officer(client, personas, case):
    client.force_login(personas.alice)
    page = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert "尚应缴纳" in page
    assert "1,000.00" in page
    assert "登记银行缴款" in page


def test_the_panel_is_a_partial_for_htmx(client, personas, case):
    client.force_login(personas.alice)
    page = client.get(reverse("payments:case", args=[case.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert page.lstrip().startswith("<section")


def test_the_partial_renders_inside_a_case_page_with_only_the_case(rf, personas, case):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = personas.alice
    page = render_to_string("payments/_case_payments.html", {"case": case}, request=request)
    assert "罚款缴纳" in page
    assert "登记银行缴款" in page


def test_a_legal_reviewer_sees_the_panel_without_the_entry_form(client, personas, case):
    client.force_login(personas.bob)
    page = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert "尚应缴纳" in page
    assert "登记银行缴款" not in page


def test_a_payment_is_entered_through_the_panel(client, personas, case):
    client.force_login(personas.alice)
    response = client.post(
        reverse("payments:payment_create", args=[case.pk]),
        {
            "amount": "400.00",
            "paid_on": "2026-03-10",
            "bank_transaction_number": "TXN-9",
            "payer_name": "某公司",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "TXN-9" in response.content.decode()
    assert Payment.objects.get().amount_fen == 40000


def test_a_repeated_transaction_number_is_shown_as_a_form_error(client, personas, case):
    client.force_login(personas.alice)
    data = {"amount": "400.00", "paid_on": "2026-03-10", "bank_transaction_number": "TXN-9"}
    client.post(reverse("payments:payment_create", args=[case.pk]), data)
    response = client.post(reverse("payments:payment_create", args=[case.pk]), data)
    assert response.status_code == 422
    assert "已入账" in response.content.decode()
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["payments:payment_create", "payments:on_the_spot_create", "payments:deferral_apply"]
)
def test_charlie_can_neither_see_nor_pay_agency_as_case(client, personas, case, name):
    client.force_login(personas.charlie)
    assert client.get(reverse("payments:case", args=[case.pk])).status_code == 404
    data = {"amount": "1000.00", "paid_on": "2026-03-10", "bank_transaction_number": "X"}
    assert client.post(reverse(name, args=[case.pk]), data).status_code == 404
    assert Payment.objects.count() == 0


def test_the_leader_approves_a_deferral_through_the_panel(client, personas, case):
    client.force_login(personas.alice)
    client.post(
        reverse("payments:deferral_apply", args=[case.pk]),
        {"kind": "deferral", "applied_on": "2026-03-10", "reason": "资金困难"},
    )
    application = case.deferral_applications.get()
    leader = give_role(personas.bob, "leader")
    url = reverse("payments:deferral_decide", args=[case.pk, application.pk])
    assert (
        client.post(
            url, {"approved": "1", "decided_on": "2026-03-12", "new_due_on": "2026-05-29"}
        ).status_code
        == 403
    )
    client.force_login(leader)
    response = client.post(url, {"approved": "1", "decided_on": "2026-03-12", "new_due_on": "2026-05-29"})
    assert response.status_code == 302
    assert application.decision.new_due_on == datetime.date(2026, 5, 29)


STATEMENT = (
    "交易日期,交易流水号,贷方金额,对方户名,附言\n2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号\n"
)


def test_statement_import_goes_from_upload_to_preview_to_confirm(client, personas, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    leader = give_role(personas.bob, "leader")
    client.force_login(leader)
    upload = SimpleUploadedFile("s.csv", STATEMENT.encode("gbk"), content_type="text/csv")
    page = client.post(reverse("payments:statement_import"), {"file": upload, "action": "preview"})
    assert "确认入账 1 笔" in page.content.decode()
    assert Payment.objects.count() == 0
    sha256 = page.context["sha256"]
    done = client.post(reverse("payments:statement_import"), {"action": "confirm", "sha256": sha256})
    assert "入账 1 笔" in done.content.decode()
    assert Payment.objects.count() == 1


def test_an_officer_may_not_open_the_import_page(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("payments:statement_import")).status_code == 403


def test_the_unmatched_list_is_empty_for_charlie(client, personas):
    client.force_login(personas.charlie)
    assert "暂无未匹配的交易" in client.get(reverse("payments:unmatched_lines")).content.decode()


def test_a_file_that_is_no_statement_is_refused_in_place_with_a_chinese_reason(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    leader = give_role(personas.bob, "leader")
    client.force_login(leader)
    page = client.get(reverse("payments:statement_import")).content.decode()
    assert '{"code":"422","swap":true}' in page  # HTMX shows a 422 answer where the result goes
    upload = SimpleUploadedFile("s.csv", "这不是对账单,随便\n1,2,3\n".encode(), content_type="text/csv")
    response = client.post(
        reverse("payments:statement_import"), {"file": upload, "action": "preview"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "对账单未导入" in response.content.decode()
    assert Payment.objects.count() == 0


def test_the_payments_page_of_a_case_lets_htmx_show_a_refused_form(client, personas, case):
    client.force_login(personas.alice)
    page = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert '{"code":"422","swap":true}' in page


def test_a_fine_paid_in_full_is_offered_no_more_entry_forms(client, personas, case):
    Payment.objects.create(
        case=case,
        agency_id=case.agency_id,
        recorded_by=personas.alice,
        method="bank",
        amount_fen=case.fine_fen,
        paid_on=datetime.date(2026, 3, 10),
        bank_transaction_number="TXN-FULL",
    )
    client.force_login(personas.alice)
    page = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert "罚款及加处罚款已缴清，不再登记缴款" in page
    for form in ("登记银行缴款", "登记当场收缴", "登记当事人的延期（分期）缴纳申请", "登记复议或诉讼"):
        assert form not in page


def test_an_executed_case_is_offered_no_entry_forms(client, personas, case):
    from sanxiang.cases.models import Case
    from sanxiang.cases.workflow import Stage

    Case.objects.filter(pk=case.pk).update(stage=Stage.EXECUTED)
    client.force_login(personas.alice)
    page = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert "本案已执行完毕" in page
    assert "登记银行缴款" not in page
