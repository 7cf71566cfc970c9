from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseOutcome, CaseTransition, Procedure
from sanxiang.cases.workflow import Action, Stage
from sanxiang.coercion.models import CoerciveMeasure, MeasureStage, Preservation, PreservationStage
from sanxiang.demo.casework import credit_code, resident_id
from sanxiang.inspections.models import Inspection
from sanxiang.inspections.models import Stage as InspectionStage
from sanxiang.parties.models import Party, PartyKind
from sanxiang.payments.models import Payment, PaymentMethod
from sanxiang.payments.selectors import balance_for
from sanxiang.review import selectors as review_selectors
from sanxiang.review.models import MeetingOutcome, OpinionKind
from sanxiang.worklist import selectors as worklist


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for this module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo: None, db: None) -> None:
    """Each test runs in a savepoint of the module's transaction."""


def shucheng_cases() -> Any:
    return Case.objects.filter(agency__short_name="舒")


def test_the_demo_has_a_case_in_every_stage_of_the_procedure(loaded: None) -> None:
    present = set(shucheng_cases().values_list("stage", flat=True))
    assert set(Stage.values) - present == set()


def test_every_ending_of_a_case_review_has_a_demo_case(loaded: None) -> None:
    concluded = shucheng_cases().filter(stage=Stage.CONCLUDED)
    assert set(concluded.values_list("outcome", flat=True)) == {
        CaseOutcome.NOT_ESTABLISHED,
        CaseOutcome.REFERRAL,
        CaseOutcome.WITHDRAWN,
    }
    assert shucheng_cases().filter(outcome=CaseOutcome.NO_PENALTY).exclude(decision_number="").exists()


def test_an_on_the_spot_fine_is_reported_and_waits_for_payment(loaded: None) -> None:
    case = shucheng_cases().get(procedure=Procedure.SIMPLE, stage=Stage.DELIVERED)
    assert case.fine_fen == 20_000
    assert case.transitions.filter(action=Action.REPORT_ON_SPOT).exists()


def test_every_act_of_the_demo_happened_in_the_past(loaded: None) -> None:
    today = timezone.localdate()
    dated = ("discovered_on", "filed_on", "notified_on", "decided_on", "delivered_on", "closed_on")
    for case in shucheng_cases():
        for name in dated:
            value = getattr(case, name)
            assert value is None or value <= today, (case.title, name, value)


def test_filing_numbers_follow_the_filing_dates(loaded: None) -> None:
    filed = shucheng_cases().exclude(number="").order_by("filed_on", "pk")
    serials = [int(case.number.split("〕")[1].rstrip("号")) for case in filed]
    assert serials == sorted(serials)
    assert serials[0] == 1


def test_the_full_case_went_through_hearing_review_and_discussion_and_paid_a_late_fee(loaded: None) -> None:
    case = shucheng_cases().get(stage=Stage.CLOSED)
    assert case.hearing_held_on is not None
    assert case.legal_review.rounds.get().opinion.kind == OpinionKind.APPROVE
    assert case.discussed_on is not None
    assert case.preservations.get().stage == PreservationStage.HANDLED
    balance = balance_for(case, today=timezone.localdate())
    assert balance.late_fee_fen > 0
    assert balance.paid_fen == case.fine_fen + balance.late_fee_fen
    payment = Payment.objects.get(case=case)
    assert payment.method == PaymentMethod.BANK
    actions = list(case.transitions.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [Action.COMPLETE_EXECUTION, Action.SUBMIT_CLOSING, Action.APPROVE_CLOSING]


def test_an_unpaid_fine_is_overdue_with_its_late_fee_running(loaded: None) -> None:
    case = shucheng_cases().get(stage=Stage.DELIVERED, procedure=Procedure.GENERAL)
    balance = balance_for(case, today=timezone.localdate())
    assert balance.paid_fen == 0
    assert balance.overdue_days > 0
    assert balance.late_fee_fen > 0


def test_the_seal_is_in_force_with_its_one_extension(loaded: None) -> None:
    measure = CoerciveMeasure.objects.get(agency__short_name="舒")
    assert measure.stage == MeasureStage.IN_FORCE
    assert measure.extension.days == 30
    assert measure.number.startswith("（舒）应急查扣〔")


def test_the_inspections_show_each_course_of_a_check(loaded: None) -> None:
    stages = sorted(Inspection.objects.filter(agency__short_name="舒").values_list("stage", flat=True))
    assert stages == sorted(
        [
            InspectionStage.PLANNED,
            InspectionStage.CLOSED,
            InspectionStage.RECTIFYING,
            InspectionStage.TRANSFERRED,
        ]
    )
    transferred = Inspection.objects.get(stage=InspectionStage.TRANSFERRED)
    assert transferred.case is not None
    assert transferred.case.stage == Stage.LEAD


def test_the_officer_has_overdue_clocks_on_my_work(loaded: None) -> None:
    officer = User.objects.get(username="officer")
    today = timezone.localdate()
    work = worklist.due_items_for(officer, today=today)
    assert not work.missing_years
    overdue = {item.key.split(":")[-1] for item in work.items if item.is_overdue(today)}
    assert {"decision_due", "delivery_due", "payment_due"} <= overdue
    assert any(key.startswith("rectification") for key in overdue)
    assert any(not item.is_overdue(today) for item in work.items)


def test_the_my_work_page_of_the_officer_lists_the_overdue_clocks(client: Any, loaded: None) -> None:
    client.force_login(User.objects.get(username="officer"))
    response = client.get(reverse("worklist:my_work"), {"show": "overdue"})
    assert response.status_code == 200
    assert "送达处罚决定书" in response.content.decode()


def test_the_demo_parties_carry_valid_identifiers(loaded: None) -> None:
    parties = Party.objects.filter(agency__short_name="舒")
    assert parties.filter(kind=PartyKind.ORGANISATION).count() >= 10
    assert parties.filter(kind=PartyKind.PERSON).count() == 3
    for party in parties:
        party.full_clean()


def test_identifiers_are_built_with_their_check_character() -> None:
    assert credit_code("MA2NB7R41")[:-1] == "91341523MA2NB7R41"
    assert resident_id("19760315", "031")[:-1] == "34152319760315031"


def test_loading_twice_changes_nothing(loaded: None) -> None:
    def counts() -> tuple[int, ...]:
        return (
            Case.objects.count(),
            CaseTransition.objects.count(),
            Inspection.objects.count(),
            Payment.objects.count(),
            Preservation.objects.count(),
            Event.objects.count(),
        )

    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before


def test_the_audit_log_verifies_after_loading(loaded: None, capsys: Any) -> None:
    call_command("verify_audit")
    assert capsys.readouterr().out.strip()


def test_every_step_a_demo_case_took_rests_on_the_documents_its_row_names(loaded: None) -> None:
    from sanxiang.cases import workflow
    from sanxiang.documents import gate

    checked = 0
    for transition in CaseTransition.objects.filter(case__agency__short_name="舒").select_related("case"):
        step = workflow.step(transition.source, transition.action)
        for requirement in gate.requirements(transition.case, step.documents):
            # ``when`` reads the case as it is now: a condition that holds now held at the step.
            if requirement.applies:
                assert requirement.met, (transition.case.title, transition.action, requirement.label)
                checked += 1
    assert checked > 60


def test_the_full_general_procedure_case_has_all_its_documents(loaded: None) -> None:
    from sanxiang.documents.models import Document, DocumentStatus

    case = shucheng_cases().get(title="粉尘防爆设施未正常运行导致闪燃事故案")
    titles = set(
        Document.objects.filter(case=case, status=DocumentStatus.ISSUED).values_list("type__title", flat=True)
    )
    assert {
        "立案审批表",
        "询问通知书",
        "询问笔录",
        "先行登记保存证据通知书",
        "先行登记保存证据清单",
        "先行登记保存证据处理决定书",
        "调查终结报告",
        "案件处理呈批表",
        "行政处罚告知书",
        "行政处罚听证告知书",
        "行政处罚听证会通知书",
        "听证笔录",
        "听证会报告书",
        "重大执法决定法制审核意见书",
        "行政处罚集体讨论记录",
        "行政处罚决定书",
        "文书送达回执",
        "结案审批表",
    } <= titles
    assert case.number == case.documents.get(type__key="filing_approval").number
    assert case.decision_number == case.documents.get(type__key="penalty_decision").number
    inquiry = case.documents.get(type__key="inquiry_record")
    assert inquiry.is_signed_by_party()
    assert case.documents.get(type__key="penalty_notice").party_refused_to_sign()
    assert case.documents.get(type__key="penalty_decision").is_delivered()


def test_the_demo_seizure_decision_carries_the_measures_own_number(loaded: None) -> None:
    measure = CoerciveMeasure.objects.get(case__agency__short_name="舒")
    decision = measure.case.documents.get(type__key="seizure_decision")
    assert decision.number == measure.number


def test_a_corrected_case_was_resubmitted_approved_and_decided(loaded: None) -> None:
    case = shucheng_cases().get(title="液氨储罐区未设置泄漏报警装置案")
    kinds = [r.opinion.kind for r in case.legal_review.rounds.order_by("number")]
    assert kinds == [OpinionKind.CORRECT, OpinionKind.APPROVE]
    assert case.stage == Stage.DECIDED
    assert all(
        r.opinion.document.number.startswith("（舒）应急法审〔") for r in case.legal_review.rounds.all()
    )


def test_a_transfer_opinion_led_to_the_referral(loaded: None) -> None:
    case = shucheng_cases().get(title="烟花爆竹批发仓库违规储存引发火灾案")
    assert case.legal_review.rounds.get().opinion.kind == OpinionKind.TRANSFER
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, CaseOutcome.REFERRAL)


def test_a_disagreement_was_decided_by_the_leaders_meeting(loaded: None) -> None:
    case = shucheng_cases().get(title="未按规定建立隐患排查治理制度案")
    opinion = case.legal_review.rounds.get().opinion
    assert opinion.kind == OpinionKind.CORRECT
    assert opinion.objection.meeting.outcome == MeetingOutcome.UPHOLD_HANDLER
    assert case.stage == Stage.DECIDED


def test_an_overdue_review_heads_the_queue_of_the_reviewer_and_the_supervisor(loaded: None) -> None:
    for username in ("reviewer", "supervisor"):
        rows = review_selectors.queue_for(User.objects.get(username=username), today=timezone.localdate())
        assert rows and rows[0]["days_left"] < 0
        assert rows[0]["case"].title == "粉尘涉爆场所未按规定清扫案"


def test_the_review_pages_of_the_demo_show_the_overdue_review_and_the_rounds(
    client: Any, loaded: None
) -> None:
    overdue = shucheng_cases().get(title="粉尘涉爆场所未按规定清扫案")
    for username in ("reviewer", "supervisor"):
        client.force_login(User.objects.get(username=username))
        queue = client.get(reverse("review:queue")).content.decode()
        assert 'class="overdue-row"' in queue and overdue.number in queue
        assert client.get(reverse("review:figures")).status_code == 200
    client.force_login(User.objects.get(username="reviewer"))
    round_page = client.get(reverse("review:round", args=[overdue.legal_review.rounds.get().pk]))
    assert 'id="opinion-form"' in round_page.content.decode()
    corrected = shucheng_cases().get(title="液氨储罐区未设置泄漏报警装置案")
    page = client.get(reverse("cases:detail", args=[corrected.pk])).content.decode()
    assert "第 2 轮" in page and "须纠正：" in page
