"""Each guard of the table, refused on one side and passed on the other, with its Chinese reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sanxiang.agencies.models import CertificateStatus, EnforcementCategory, Officer
from sanxiang.cases import workflow
from sanxiang.cases.models import Case, CaseSettings, CaseTransition, Penalty
from sanxiang.cases.services import case_transition, hearing_right_for
from sanxiang.cases.tests.factories import (
    BIG_FINE,
    FINE,
    HEARING_ON,
    WARNING,
    World,
    discussion_data,
    do,
    on_spot_data,
    open_case,
    reach,
)
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.parties.models import PartyKind
from sanxiang.parties.services import party_create
from sanxiang.parties.tests.factories import BUSINESS_CODE

pytestmark = pytest.mark.usefixtures("world")


def refused(case: Case, action: str, actor: Any, match: str, note: str = "", **data: Any) -> None:
    """The step is refused with ``match`` in its message, and nothing is written."""
    before = (case.stage, CaseTransition.objects.count(), Penalty.objects.count())
    with pytest.raises(GuardFailed, match=match):
        case_transition(case=case, action=action, actor=actor, note=note, **data)
    case.refresh_from_db()
    assert (case.stage, CaseTransition.objects.count(), Penalty.objects.count()) == before


# Art.42: two certified officers at every act


def test_filing_is_refused_when_a_handler_certificate_has_expired(world: World) -> None:
    world.dave_officer.valid_to = datetime.date(2026, 2, 1)
    world.dave_officer.save()
    case = open_case(world)
    refused(case, Action.SUBMIT_FILING, world.alice, "执法人员不得少于两人.*只有 1 人")


def test_an_officer_certified_for_another_category_does_not_count(world: World) -> None:
    other = EnforcementCategory.objects.create(code="ZYWS", name="职业卫生")
    world.dave_officer.categories.set([other])
    case = open_case(world)
    refused(case, Action.SUBMIT_FILING, world.alice, "第四十二条")


def test_filing_passes_with_two_certified_handlers(world: World) -> None:
    case = open_case(world)
    do(case, Action.SUBMIT_FILING, world.alice)
    assert case.stage == Stage.FILING_SUBMITTED


def test_the_decision_is_refused_when_a_certificate_expired_during_the_case(world: World, today: Any) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    world.alice_officer.status = "suspended"
    world.alice_officer.save()
    refused(case, Action.DECIDE, world.leader, "第四十二条", penalties=[FINE])


# Art.36: limitation


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({"act_date": datetime.date(2024, 1, 10), "discovered_on": datetime.date(2026, 1, 10)}, True),
        ({"act_date": datetime.date(2024, 1, 10), "discovered_on": datetime.date(2026, 1, 11)}, False),
        (
            {
                "act_date": datetime.date(2023, 1, 1),
                "act_ended_on": datetime.date(2025, 6, 1),
                "discovered_on": datetime.date(2026, 2, 20),
            },
            True,
        ),
        ({"act_date": datetime.date(2022, 1, 10), "discovered_on": datetime.date(2026, 2, 20)}, False),
        (
            {
                "act_date": datetime.date(2022, 1, 10),
                "discovered_on": datetime.date(2026, 2, 20),
                "endangers_life_health": True,
            },
            True,
        ),
        (
            {
                "act_date": datetime.date(2021, 1, 10),
                "discovered_on": datetime.date(2026, 1, 11),
                "endangers_life_health": True,
            },
            False,
        ),
        ({"act_date": datetime.date(2024, 2, 29), "discovered_on": datetime.date(2026, 2, 28)}, True),
        ({"act_date": datetime.date(2024, 2, 29), "discovered_on": datetime.date(2026, 3, 1)}, False),
    ],
)
def test_filing_respects_the_limitation_of_article_36(
    world: World, fields: dict[str, Any], allowed: bool
) -> None:
    case = open_case(world, **fields)
    if allowed:
        do(case, Action.SUBMIT_FILING, world.alice)
        assert case.stage == Stage.FILING_SUBMITTED
    else:
        refused(case, Action.SUBMIT_FILING, world.alice, "不再给予行政处罚（行政处罚法第三十六条）")


def test_filing_is_refused_without_the_dates_of_act_and_discovery(world: World) -> None:
    case = open_case(world, act_date=None)
    refused(case, Action.SUBMIT_FILING, world.alice, "须填写违法行为发生日期和发现日期")


# Case review


def test_a_penalty_proposal_cannot_be_approved_when_none_was_proposed(world: World) -> None:
    case = reach(world, Stage.CASE_REVIEW, "no_penalty")
    refused(case, Action.APPROVE_PENALTY_PROPOSAL, world.leader, "尚未提出拟给予的行政处罚")


# Art.63: hearing right


def test_a_hearing_request_is_refused_without_a_hearing_right(world: World) -> None:
    case = reach(world, Stage.NOTIFIED)  # a 1万元 fine on a company
    assert not case.hearing_right
    refused(case, Action.REQUEST_HEARING, world.alice, "第六十三条")


def test_a_large_fine_gives_a_hearing_right(world: World) -> None:
    case = reach(world, Stage.NOTIFIED, "hearing")
    assert case.hearing_right
    do(case, Action.REQUEST_HEARING, world.alice)
    assert case.stage == Stage.HEARING_REQUESTED


def _fine(amount: int) -> Any:
    return workflow_spec("fine", amount)


def workflow_spec(kind: str, amount: int = 0) -> Any:
    from sanxiang.cases.services import PenaltySpec

    return PenaltySpec(kind, amount, "某违法行为")


@pytest.mark.parametrize(
    ("party_kind", "penalty", "expected"),
    [
        ("company", _fine(5_000_000), True),
        ("company", _fine(4_999_999), False),
        ("person", _fine(2_000_000), True),
        ("person", _fine(1_999_999), False),
        ("business", _fine(2_000_000), True),
        ("company", workflow_spec("revoke_licence"), True),
        ("company", workflow_spec("order_suspension"), True),
        ("company", workflow_spec("lower_qualification"), True),
        ("company", workflow_spec("order_closure"), True),
        ("person", workflow_spec("restrict_employment"), True),
        ("company", workflow_spec("warning"), False),
        ("company", workflow_spec("confiscate_gains", 5_000_000), True),
    ],
)
def test_hearing_right_follows_article_63_inclusive_thresholds(
    world: World, party_kind: str, penalty: Any, expected: bool
) -> None:
    party = {
        "company": world.company,
        "person": world.person,
        "business": party_create(
            actor=world.alice,
            agency=world.p.agency_a,
            kind=PartyKind.INDIVIDUAL_BUSINESS,
            name="某某五金店",
            credit_code=BUSINESS_CODE,
        )
        if party_kind == "business"
        else None,
    }[party_kind]
    case = open_case(world, party=party)
    assert hearing_right_for(case, [penalty]) is expected


def test_an_agency_may_set_its_own_hearing_threshold(world: World) -> None:
    CaseSettings.objects.create(agency=world.p.agency_a, hearing_fine_organisation_fen=3_000_000)
    case = open_case(world)
    assert hearing_right_for(case, [_fine(3_000_000)])
    assert not hearing_right_for(case, [_fine(2_999_999)])


# Art.64: hearing request within 5 working days, chair not a handler, notice 7 working days before


@pytest.mark.parametrize(
    ("requested_on", "allowed"),
    [(datetime.date(2026, 2, 26), True), (datetime.date(2026, 2, 27), False)],
)
def test_a_hearing_is_requested_within_5_working_days_of_notice(
    world: World, requested_on: datetime.date, allowed: bool
) -> None:
    case = reach(world, Stage.PENALTY_PROPOSED, "hearing")
    # Notified on Thursday 12 February 2026: the Spring Festival holiday lies inside the 5 working days.
    do(case, Action.NOTIFY_PENALTY, world.alice, notified_on=datetime.date(2026, 2, 12))
    if allowed:
        do(case, Action.REQUEST_HEARING, world.alice, requested_on=requested_on)
        assert case.hearing_requested_on == requested_on
    else:
        refused(
            case,
            Action.REQUEST_HEARING,
            world.alice,
            "超过告知后五个工作日（截至2026-02-26）",
            requested_on=requested_on,
        )


def test_the_defence_period_cannot_be_closed_before_it_ends(world: World) -> None:
    case = reach(world, Stage.NOTIFIED)
    refused(case, Action.LAPSE_DEFENCE_PERIOD, world.alice, "期限尚未届满（截至2026-03-09）")


def test_the_defence_period_closes_after_it_ends(world: World, today: Any) -> None:
    case = reach(world, Stage.NOTIFIED)
    today.set(datetime.date(2026, 3, 10))
    do(case, Action.LAPSE_DEFENCE_PERIOD, world.alice)
    assert case.stage == Stage.DEFENCE_CONCLUDED


def test_a_handler_may_not_chair_the_hearing(world: World) -> None:
    case = reach(world, Stage.HEARING_REQUESTED)
    refused(
        case,
        Action.SCHEDULE_HEARING,
        world.alice,
        "非本案调查人员主持.*艾丽是本案承办人员",
        hearing_on=datetime.date(2026, 3, 20),
        chair=world.alice_officer.pk,
    )


def test_an_officer_of_another_agency_may_not_chair_the_hearing(world: World) -> None:
    case = reach(world, Stage.HEARING_REQUESTED)
    refused(
        case,
        Action.SCHEDULE_HEARING,
        world.alice,
        "本机关的执法人员",
        hearing_on=datetime.date(2026, 3, 20),
        chair=world.p.charlie_officer.pk,
    )


@pytest.mark.parametrize(
    ("change", "state"),
    [
        ({"status": CertificateStatus.REVOKED}, "revoked"),
        ({"status": CertificateStatus.SUSPENDED}, "suspended"),
        ({"valid_to": datetime.date(2026, 2, 28)}, "expired"),
    ],
)
def test_an_officer_without_a_valid_certificate_may_not_chair_the_hearing(
    world: World, change: dict[str, Any], state: str
) -> None:
    Officer.objects.filter(pk=world.erin_officer.pk).update(**change)
    world.erin_officer.refresh_from_db()
    assert world.erin_officer.certificate_state(datetime.date(2026, 3, 2)) == state
    case = reach(world, Stage.HEARING_REQUESTED)
    refused(
        case,
        Action.SCHEDULE_HEARING,
        world.alice,
        "听证主持人须持有有效执法证件：艾琳的执法证件在2026-03-02不在有效状态",
        hearing_on=datetime.date(2026, 3, 20),
        chair=world.erin_officer.pk,
    )


def test_a_chair_whose_certificate_ends_before_the_hearing_may_not_chair_it(world: World) -> None:
    Officer.objects.filter(pk=world.erin_officer.pk).update(valid_to=datetime.date(2026, 3, 19))
    case = reach(world, Stage.HEARING_REQUESTED)
    refused(
        case,
        Action.SCHEDULE_HEARING,
        world.alice,
        "在2026-03-20不在有效状态",
        hearing_on=datetime.date(2026, 3, 20),
        chair=world.erin_officer.pk,
    )


def test_an_officer_who_is_not_a_handler_chairs_the_hearing(world: World) -> None:
    case = reach(world, Stage.HEARING_REQUESTED)
    do(
        case,
        Action.SCHEDULE_HEARING,
        world.alice,
        hearing_on=datetime.date(2026, 3, 20),
        chair=world.erin_officer,
    )
    assert case.hearing_chair == world.erin_officer


@pytest.mark.parametrize(
    ("notified_on", "allowed"),
    [(datetime.date(2026, 3, 11), True), (datetime.date(2026, 3, 12), False)],
)
def test_the_hearing_notice_is_given_7_working_days_before(
    world: World, today: Any, notified_on: datetime.date, allowed: bool
) -> None:
    case = reach(world, Stage.HEARING_SCHEDULED)  # hearing on Friday 20 March 2026
    today.set(datetime.date(2026, 3, 12))
    if allowed:
        do(case, Action.NOTIFY_HEARING, world.alice, notified_on=notified_on)
        assert case.hearing_notified_on == notified_on
    else:
        refused(case, Action.NOTIFY_HEARING, world.alice, "最迟2026-03-11", notified_on=notified_on)


def test_a_hearing_cannot_be_recorded_as_held_before_its_scheduled_day(world: World, today: Any) -> None:
    case = reach(world, Stage.HEARING_NOTIFIED)  # scheduled for Friday 20 March 2026
    today.set(datetime.date(2026, 3, 23))
    refused(
        case,
        Action.RECORD_HEARING,
        world.alice,
        "听证定于2026-03-20举行，听证举行日期不能早于该日",
        held_on=datetime.date(2026, 3, 19),
        record="听证笔录",
        report="听证报告",
    )


def test_before_the_scheduled_day_a_hearing_cannot_be_recorded_at_all(world: World) -> None:
    case = reach(world, Stage.HEARING_NOTIFIED)
    refused(case, Action.RECORD_HEARING, world.alice, "听证定于2026-03-20举行", record="笔录", report="报告")


@pytest.mark.parametrize("held_on", [datetime.date(2026, 3, 20), datetime.date(2026, 3, 23)])
def test_a_hearing_is_recorded_on_its_day_or_after_a_postponement(
    world: World, today: Any, held_on: datetime.date
) -> None:
    case = reach(world, Stage.HEARING_NOTIFIED)
    today.set(datetime.date(2026, 3, 23))
    do(case, Action.RECORD_HEARING, world.alice, held_on=held_on, record="听证笔录", report="听证报告")
    assert case.hearing_held_on == held_on


# Art.44, 62: notice before the decision unless waived in writing


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({}, False),
        ({"notified_on": datetime.date(2026, 3, 2)}, True),
        ({"rights_waived_on": datetime.date(2026, 3, 2)}, True),
    ],
)
def test_a_decision_needs_the_notice_or_a_written_waiver(fields: dict[str, Any], allowed: bool) -> None:
    case = Case(**fields)
    if allowed:
        workflow.notice_given(case, None, {})
    else:
        with pytest.raises(GuardFailed, match="第四十四条、第六十二条"):
            workflow.notice_given(case, None, {})


def test_a_written_waiver_leads_to_the_decision(world: World) -> None:
    case = reach(world, Stage.NOTIFIED)
    do(case, Action.WAIVE_RIGHTS, world.alice, waiver_reference="放弃陈述申辩权利声明书")
    do(case, Action.DECIDE, world.leader, penalties=[FINE])
    assert case.stage == Stage.DECIDED


# Art.45: no heavier penalty than notified


@pytest.mark.parametrize(
    ("final", "allowed"),
    [
        ([FINE], True),
        ([{**FINE, "amount_fen": 800_000}], True),
        ([{**FINE, "amount_fen": 1_000_001}], False),
        ([FINE, WARNING], False),
        ([{"kind": "order_suspension", "violation": "安全生产法第九十九条第二项"}], False),
    ],
)
def test_the_decision_may_not_be_heavier_than_the_notice_after_a_defence(
    world: World, final: list[dict[str, Any]], allowed: bool
) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    if allowed:
        do(case, Action.DECIDE, world.leader, penalties=final)
        assert case.fine_fen == sum(p["amount_fen"] for p in final if p["kind"] == "fine")
    else:
        refused(
            case, Action.DECIDE, world.leader, "不得重于告知的处罚（行政处罚法第四十五条）", penalties=final
        )


# Art.29: one fine per act


def test_two_fines_for_one_act_are_refused(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    refused(case, Action.DECIDE, world.leader, "第二十九条", penalties=[FINE, FINE])


def test_fines_for_two_different_acts_are_allowed(world: World) -> None:
    second = {"kind": "fine", "amount_fen": 500_000, "violation": "安全生产法第九十七条第一项"}
    both = [FINE, second]
    case = open_case(world)
    steps: list[tuple[str, Any, dict[str, Any]]] = [
        (Action.SUBMIT_FILING, world.alice, {}),
        (Action.REVIEW_FILING, world.head, {}),
        (Action.APPROVE_FILING, world.leader, {}),
        (Action.REPORT_INVESTIGATION, world.alice, {"report": "调查终结"}),
        (
            Action.SUBMIT_CASE_REVIEW,
            world.alice,
            {"proposed_outcome": "penalty", "penalties": [FINE, second]},
        ),
        (Action.APPROVE_PENALTY_PROPOSAL, world.leader, {}),
        (Action.NOTIFY_PENALTY, world.alice, {}),
        (Action.RECORD_STATEMENT, world.alice, {"statement": "无异议"}),
        (Action.DECIDE, world.leader, {"penalties": both}),
    ]
    for action, actor, data in steps:
        do(case, action, actor, **data)
    assert case.fine_fen == 1_500_000


# Art.58: legal review (its gate is the review app's); Art.57: collective discussion


def test_a_party_absent_from_the_hearing_waived_it(world: World, today: Any) -> None:
    case = reach(world, Stage.HEARING_NOTIFIED)
    today.set(HEARING_ON)
    do(
        case,
        Action.RECORD_HEARING,
        world.alice,
        record="当事人无正当理由未到场",
        report="视为放弃",
        party_absent=True,
    )
    do(case, Action.DECIDE, world.leader, penalties=[BIG_FINE])


def test_a_handler_who_is_a_legal_reviewer_may_not_review_the_case(world: World) -> None:
    from sanxiang.accounts.models import UserRole
    from sanxiang.cases.permissions import NotPermitted

    UserRole.objects.create(user=world.alice, role="legal_reviewer")
    world.alice.forget_roles()
    case = reach(world, Stage.LEGAL_REVIEW)
    with pytest.raises(NotPermitted, match="法制审核人员（非承办人员）"):
        do(case, Action.PASS_LEGAL_REVIEW, world.alice, opinion="同意")


def test_decision_of_a_complex_case_is_refused_without_collective_discussion(world: World) -> None:
    case = open_case(world, is_complex=True)
    steps: list[tuple[str, Any, dict[str, Any]]] = [
        (Action.SUBMIT_FILING, world.alice, {}),
        (Action.REVIEW_FILING, world.head, {}),
        (Action.APPROVE_FILING, world.leader, {}),
        (Action.REPORT_INVESTIGATION, world.alice, {"report": "调查终结"}),
        (Action.SUBMIT_CASE_REVIEW, world.alice, {"proposed_outcome": "penalty", "penalties": [FINE]}),
        (Action.APPROVE_PENALTY_PROPOSAL, world.leader, {}),
        (Action.NOTIFY_PENALTY, world.alice, {}),
        (Action.RECORD_STATEMENT, world.alice, {"statement": "无异议"}),
        (Action.SUBMIT_LEGAL_REVIEW, world.alice, {}),
        (Action.PASS_LEGAL_REVIEW, world.bob, {"opinion": "同意"}),
    ]
    for action, actor, data in steps:
        do(case, action, actor, **data)
    refused(case, Action.DECIDE, world.leader, "集体讨论决定（行政处罚法第五十七条）", penalties=[FINE])
    do(case, Action.RECORD_COLLECTIVE_DISCUSSION, world.leader, **discussion_data(world))
    do(case, Action.DECIDE, world.leader, penalties=[FINE])
    assert case.stage == Stage.DECIDED


def test_a_collective_discussion_needs_three_participants_of_the_agency(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    data = discussion_data(world)
    data["participants"] = [world.leader.pk, world.charlie.pk, world.head.pk]
    refused(case, Action.RECORD_COLLECTIVE_DISCUSSION, world.leader, "三名以上", **data)


# Art.60: 90 days unless extended


def test_the_decision_is_refused_after_90_days_without_an_extension(world: World, today: Any) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    assert case.decision_due_on == datetime.date(2026, 6, 1)  # 90 days end on Sunday 31 May
    today.set(datetime.date(2026, 6, 2))
    refused(case, Action.DECIDE, world.leader, "第六十条", penalties=[FINE])


def test_an_approved_extension_lifts_the_90_day_block(world: World, today: Any) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    do(case, Action.REQUEST_EXTENSION, world.alice, until=datetime.date(2026, 7, 1), reason="需要技术鉴定")
    do(case, Action.APPROVE_EXTENSION, world.leader)
    assert case.decision_due_on == datetime.date(2026, 7, 1)
    today.set(datetime.date(2026, 6, 2))
    do(case, Action.DECIDE, world.leader, penalties=[FINE])
    assert case.stage == Stage.DECIDED


def test_an_extension_cannot_be_approved_before_it_is_requested(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    refused(case, Action.APPROVE_EXTENSION, world.leader, "没有待批准的延长办案期限申请")


def test_an_extension_must_move_the_due_date_later(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    refused(
        case,
        Action.REQUEST_EXTENSION,
        world.alice,
        "须晚于现有期限",
        until=datetime.date(2026, 5, 1),
        reason="需要鉴定",
    )


# Art.51: simple procedure


@pytest.mark.parametrize(
    ("party", "amount", "allowed"),
    [
        ("person", 20_000, True),
        ("person", 20_001, False),
        ("company", 300_000, True),
        ("company", 300_001, False),
    ],
)
def test_simple_procedure_limits_fines_to_200_or_3000_yuan(
    world: World, party: str, amount: int, allowed: bool
) -> None:
    case = open_case(world, party=getattr(world, party), procedure="simple")
    data = on_spot_data(penalties=[{"kind": "fine", "amount_fen": amount, "violation": "某违法行为"}])
    if allowed:
        do(case, Action.DECIDE_ON_SPOT, world.alice, **data)
        assert case.fine_fen == amount
    else:
        refused(case, Action.DECIDE_ON_SPOT, world.alice, "第五十一条", **data)


def test_simple_procedure_allows_a_warning_but_no_other_kind(world: World) -> None:
    case = open_case(world, procedure="simple")
    refused(
        case,
        Action.DECIDE_ON_SPOT,
        world.alice,
        "只能给予警告或者罚款",
        **on_spot_data(penalties=[{"kind": "order_suspension", "violation": "某违法行为"}]),
    )
    do(case, Action.DECIDE_ON_SPOT, world.alice, **on_spot_data(penalties=[WARNING]))
    assert case.fine_fen == 0


# Execution and closing


def test_a_penalty_is_executed_before_closing(world: World) -> None:
    case = reach(world, Stage.DELIVERED)
    refused(case, Action.SUBMIT_CLOSING, world.alice, "尚未执行完毕")


def test_a_no_penalty_decision_has_nothing_to_execute(world: World) -> None:
    case = reach(world, Stage.DELIVERED, "no_penalty")
    refused(case, Action.COMPLETE_EXECUTION, world.alice, "没有需要执行的行政处罚")
    refused(case, Action.APPLY_COURT_ENFORCEMENT, world.leader, "没有需要执行的行政处罚")


# Data


def test_a_decision_without_penalties_is_refused(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    refused(case, Action.DECIDE, world.leader, "请至少填写一项行政处罚")


def test_a_fine_without_an_amount_is_refused(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    refused(case, Action.DECIDE, world.leader, "须填写金额", penalties=[{**FINE, "amount_fen": 0}])


def test_a_date_in_the_future_is_refused(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    refused(case, Action.DECIDE, world.leader, "不能晚于今天", penalties=[FINE], decided_on="2026-03-03")


def test_a_return_needs_a_reason(world: World) -> None:
    case = reach(world, Stage.FILING_SUBMITTED)
    refused(case, Action.RETURN_FILING, world.head, "写明理由")


# Registered guards


def test_a_registered_guard_runs_and_its_refusal_changes_nothing(world: World) -> None:
    def no_execution_on_fridays(case: Case, actor: Any, data: dict[str, Any]) -> None:
        raise GuardFailed("罚款尚未缴清。")

    workflow.register_guard(Action.COMPLETE_EXECUTION, no_execution_on_fridays)
    workflow.register_guard(Action.COMPLETE_EXECUTION, no_execution_on_fridays)  # twice is once
    assert workflow.registered_guards(Action.COMPLETE_EXECUTION) == [no_execution_on_fridays]
    case = reach(world, Stage.DELIVERED)
    refused(case, Action.COMPLETE_EXECUTION, world.alice, "罚款尚未缴清")


def test_a_guard_for_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        workflow.register_guard("pay_twice", lambda case, actor, data: None)


# Art.51, 54: the procedure chosen when the lead is registered decides its first step


def test_a_general_lead_is_filed_and_not_decided_on_the_spot(world: World) -> None:
    case = open_case(world, party=world.person)
    refused(case, Action.DECIDE_ON_SPOT, world.alice, "本案源登记为普通程序，须立案调查", **on_spot_data())


def test_a_simple_lead_is_decided_on_the_spot_and_not_filed(world: World) -> None:
    case = open_case(world, party=world.person, procedure="simple")
    refused(case, Action.SUBMIT_FILING, world.alice, "本案源登记为简易程序，应当场作出处罚决定")
