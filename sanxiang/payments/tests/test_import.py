import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxiang.payments import selectors, services
from sanxiang.payments.models import MatchOutcome, Payment, StatementLine
from sanxiang.payments.tests.factories import execution_stage, give_role, make_case

HEADER = "交易日期,交易流水号,贷方金额,对方户名,附言\n"


def statement(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode("gbk")


@pytest.fixture
def head(personas):
    return give_role(personas.bob, "section_head")


@pytest.fixture
def case(personas, holidays):
    return make_case(personas)


def test_matched_rows_are_applied_and_mismatches_kept_as_unmatched(personas, holidays, case):
    leader = give_role(personas.bob, "leader")
    other = make_case(personas, number="（甲县）应急罚〔2026〕13号", fine_fen=20000)
    content = statement(
        "2026-03-10,B1,1000.00,某公司,罚款(甲县)应急罚[2026]12号",
        "2026-03-10,B2,150.00,张三,（甲县）应急罚【2026】13号",  # 200 元 due
        "2026-03-10,B3,80.00,李四,货款",
    )
    preview = services.statement_preview(agency=personas.agency_a, file_name="s.csv", content=content)
    assert [(m.row.transaction_number, m.outcome) for m in preview] == [
        ("B1", MatchOutcome.MATCHED),
        ("B2", MatchOutcome.AMOUNT_DIFFERS),
        ("B3", MatchOutcome.NO_CASE),
    ]
    assert preview[1].expected_fen == 20000
    assert Payment.objects.count() == 0  # the preview writes nothing
    services.statement_import(actor=leader, agency=personas.agency_a, file_name="s.csv", content=content)
    assert list(Payment.objects.values_list("bank_transaction_number", "case_id")) == [("B1", case.pk)]
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.stage != execution_stage()  # paid in full on time: 执行完毕 in the same transaction
    assert other.stage == execution_stage()
    assert [line.transaction_number for line in selectors.unmatched_lines_for(leader)] == ["B2", "B3"]
    assert selectors.unmatched_lines_for(personas.charlie).count() == 0


def test_a_second_import_of_the_same_statement_applies_nothing_twice(personas, head, case):
    content = statement("2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号")
    services.statement_import(actor=head, agency=personas.agency_a, file_name="s.csv", content=content)
    preview = services.statement_preview(agency=personas.agency_a, file_name="s.csv", content=content)
    assert [m.outcome.label for m in preview] == ["已入账"]
    services.statement_import(actor=head, agency=personas.agency_a, file_name="s.csv", content=content)
    assert Payment.objects.count() == 1
    assert list(StatementLine.objects.order_by("pk").values_list("outcome", flat=True)) == [
        MatchOutcome.MATCHED,
        MatchOutcome.ALREADY_APPLIED,
    ]


def test_two_transfers_for_one_case_in_one_file_are_matched_against_what_is_left(personas, head, case):
    content = statement(
        "2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号",
        "2026-03-11,B2,1000.00,某公司,（甲县）应急罚〔2026〕12号",
    )
    preview = services.statement_preview(agency=personas.agency_a, file_name="s.csv", content=content)
    assert [m.outcome for m in preview] == [MatchOutcome.MATCHED, MatchOutcome.NOTHING_DUE]


def test_a_case_of_another_agency_is_never_matched(personas, head, holidays):
    make_case(
        personas,
        agency=personas.agency_b,
        number="（甲县）应急罚〔2026〕12号",
        officer=personas.charlie_officer,
    )
    content = statement("2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号")
    preview = services.statement_preview(agency=personas.agency_a, file_name="s.csv", content=content)
    assert [m.outcome for m in preview] == [MatchOutcome.NO_CASE]


def test_an_officer_cannot_import_a_statement(personas, case):
    with pytest.raises(PermissionDenied):
        services.statement_import(
            actor=personas.alice, agency=personas.agency_a, file_name="s.csv", content=statement()
        )


def test_a_fine_paid_in_full_from_a_statement_imported_by_the_section_head_completes_execution(
    personas, head, case
):
    """The section head cannot perform 执行完毕 by hand; the system records it, under their name."""
    import json

    from sanxiang.audit.events import EventType
    from sanxiang.audit.models import Event
    from sanxiang.cases.workflow import Stage

    content = statement("2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号")
    services.statement_import(actor=head, agency=personas.agency_a, file_name="s.csv", content=content)
    case.refresh_from_db()
    assert case.stage == Stage.EXECUTED
    transition = case.transitions.get()
    assert (transition.action, transition.actor, transition.data.get("automatic")) == (
        "complete_execution",
        head,
        True,
    )
    event = Event.objects.filter(event_type=EventType.CASE_STAGE_CHANGED).get()
    assert event.actor_id == head.pk
    assert json.loads(event.data)["automatic"] is True


def test_a_paid_fine_whose_execution_a_rule_refuses_says_why_on_the_import_result(
    client, personas, head, case, monkeypatch
):
    from collections import defaultdict

    from sanxiang.cases import workflow

    def seizure_in_force(case, actor, data):
        raise workflow.GuardFailed("查封扣押措施尚未解除。")

    monkeypatch.setattr(workflow, "_REGISTERED", defaultdict(list))
    workflow.register_guard(workflow.Action.COMPLETE_EXECUTION, seizure_in_force)
    client.force_login(head)
    content = statement("2026-03-10,B1,1000.00,某公司,（甲县）应急罚〔2026〕12号")
    upload = SimpleUploadedFile("s.csv", content, content_type="text/csv")
    client.post(reverse("payments:statement_import"), {"action": "preview", "file": upload})
    import hashlib

    page = client.post(
        reverse("payments:statement_import"),
        {"action": "confirm", "sha256": hashlib.sha256(content).hexdigest()},
    ).content.decode()
    case.refresh_from_db()
    assert case.stage == execution_stage()
    assert "罚款已缴清，但系统未能自动办理“执行完毕”" in page
    assert "查封扣押措施尚未解除。" in page
    panel = client.get(reverse("payments:case", args=[case.pk])).content.decode()
    assert "罚款已缴清，但系统未能自动办理“执行完毕”：查封扣押措施尚未解除。" in panel


def test_my_work_names_the_case_beside_the_decision_number_of_a_fine(personas, case):
    from sanxiang.payments.selectors import clocks_of

    [item] = [i for i in clocks_of([f"case:{case.pk}"]) if i.key.endswith(":payment_due")]
    assert item.subject == "（甲县）应急罚〔2026〕12号 未按规定开展安全生产教育培训案"
