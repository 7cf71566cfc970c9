"""The clocks of a case, table-driven, holidays included.

2026: Spring Festival 15–23 Feb, Mid-Autumn 25–27 Sep, National Day 1–7 Oct;
worked Saturdays 14 Feb and 10 Oct.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import clocks_of
from sanxiang.cases.tests.factories import FINE, World, do, open_case, reach
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core import due
from sanxiang.core.due import DueItem, providers

D = datetime.date


def due_items_for(user: Any) -> list[DueItem]:
    """The cases' clocks ``user`` finds on "my work"."""
    agencies = visible_agency_ids(user)
    return [i for i in clocks_of(None) if due.shown_to(i, user, agency_ids=agencies)]


def _due(world: World, case: Case, user: Any = None) -> dict[str, datetime.date]:
    items = due_items_for(user or world.alice)
    return {i.key.rsplit(":", 1)[1]: i.due for i in items if i.key.startswith(f"case:{case.pk}:")}


@pytest.mark.parametrize(
    ("filed_on", "due"),
    [
        (D(2026, 3, 2), D(2026, 6, 1)),  # 90 days end on Sunday 31 May
        (D(2026, 7, 3), D(2026, 10, 8)),  # 90 days end on 1 October, inside National Day
        (D(2026, 4, 1), D(2026, 6, 30)),  # a working day: no roll-over
    ],
)
def test_the_decision_is_due_90_days_after_filing(world: World, today: Any, filed_on: D, due: D) -> None:
    today.set(filed_on)
    case = reach(world, Stage.INVESTIGATION, act_date=D(2026, 1, 10), discovered_on=D(2026, 2, 20))
    assert (case.filed_on, case.decision_due_on) == (filed_on, due)
    assert _due(world, case)["decision_due"] == due


@pytest.mark.parametrize(
    ("notified_on", "due"),
    [
        (D(2026, 2, 12), D(2026, 2, 26)),  # Fri 13, Sat 14 (worked), then the Spring Festival, Tue 24–Thu 26
        (D(2026, 3, 2), D(2026, 3, 9)),
        (D(2026, 9, 29), D(2026, 10, 12)),  # Wed 30, Thu 8, Fri 9, Sat 10 (worked), Mon 12
    ],
)
def test_the_hearing_request_window_ends_5_working_days_after_notice(
    world: World, notified_on: D, due: D
) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(stage=Stage.NOTIFIED, hearing_right=True, notified_on=notified_on)
    assert _due(world, case) == {"hearing_request_due": due}


def test_no_hearing_window_is_shown_without_a_hearing_right(world: World) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(stage=Stage.NOTIFIED, notified_on=D(2026, 3, 2))
    assert _due(world, case) == {}


@pytest.mark.parametrize(
    ("hearing_on", "latest"),
    [
        (D(2026, 3, 20), D(2026, 3, 11)),
        (D(2026, 10, 9), D(2026, 9, 22)),  # back over National Day and the Mid-Autumn days 25–27 Sep
        (D(2026, 2, 27), D(2026, 2, 11)),  # back over the Spring Festival and the worked Saturday 14 Feb
    ],
)
def test_the_hearing_is_notified_by_the_7th_working_day_before_it(
    world: World, hearing_on: D, latest: D
) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(stage=Stage.HEARING_SCHEDULED, hearing_on=hearing_on)
    assert _due(world, case) == {"hearing_notice_latest": latest}


@pytest.mark.parametrize(
    ("decided_on", "due"),
    [
        (D(2026, 3, 2), D(2026, 3, 11)),
        (D(2026, 9, 29), D(2026, 10, 14)),  # Wed 30, Thu 8, Fri 9, Sat 10, Mon 12, Tue 13, Wed 14
    ],
)
def test_the_decision_is_delivered_within_7_working_days(
    world: World, today: Any, decided_on: D, due: D
) -> None:
    today.set(D(2026, 9, 1) if decided_on.month == 9 else decided_on)
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    today.set(decided_on)
    do(case, Action.DECIDE, world.leader, penalties=[FINE])
    assert case.delivery_due_on == due
    assert _due(world, case) == {"delivery_due": due}


def test_the_fine_clock_is_left_to_the_payments_app(world: World) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.DELIVERED, fine_fen=100_000, delivered_on=D(2026, 3, 2)
    )
    assert _due(world, case) == {}


def test_no_payment_clock_runs_without_a_fine(world: World) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(stage=Stage.DELIVERED, fine_fen=0, delivered_on=D(2026, 3, 2))
    assert _due(world, case) == {}


def test_an_approved_extension_moves_the_decision_clock(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    do(case, Action.REQUEST_EXTENSION, world.alice, until=D(2026, 8, 31), reason="需要技术鉴定")
    assert _due(world, case)["decision_due"] == D(2026, 6, 1)
    do(case, Action.APPROVE_EXTENSION, world.leader)
    assert _due(world, case)["decision_due"] == D(2026, 8, 31)


def test_clocks_go_to_handlers_and_approvers_only(world: World) -> None:
    case = reach(world, Stage.CASE_REVIEW)
    [item] = [i for i in due_items_for(world.leader) if i.key == f"case:{case.pk}:decision_due"]
    assert (item.title_text(), item.basis_text(), item.agency_id, item.roles) == (
        "作出处罚决定",
        "行政处罚法第六十条",
        world.p.agency_a.pk,
        ("leader",),
    )
    assert set(item.user_ids) == {world.alice.pk, world.dave.pk}
    assert item.subject.startswith("（甲县）应急立〔2026〕1号")
    assert _due(world, case, world.dave) == {"decision_due": D(2026, 6, 1)}
    assert due_items_for(world.erin) == []
    assert due_items_for(world.charlie) == []
    assert due_items_for(world.archivist) == []
    assert due_items_for(world.head) == []


@pytest.mark.parametrize(
    ("stage", "roles"),
    [
        (Stage.INVESTIGATION, ()),
        (Stage.CASE_REVIEW, ("leader",)),
        (Stage.LEGAL_REVIEW, ("legal_reviewer",)),
        (Stage.DEFENCE_CONCLUDED, ("leader",)),
    ],
)
def test_a_clock_goes_to_the_roles_whose_approval_the_case_awaits(
    world: World, stage: str, roles: tuple
) -> None:
    case = reach(world, stage)
    [item] = [i for i in clocks_of([f"case:{case.pk}"]) if i.key.endswith(":decision_due")]
    assert item.roles == roles


def test_a_requested_extension_puts_the_clock_on_the_leaders_list(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    assert _due(world, case, world.leader) == {}
    do(case, Action.REQUEST_EXTENSION, world.alice, until=D(2026, 8, 31), reason="需要技术鉴定")
    assert _due(world, case, world.leader) == {"decision_due": D(2026, 6, 1)}


def test_a_legal_reviewer_sees_the_clock_of_a_case_awaiting_review(world: World) -> None:
    case = reach(world, Stage.LEGAL_REVIEW)
    assert _due(world, case, world.bob) == {"decision_due": D(2026, 6, 1)}


def test_only_the_cases_asked_for_are_computed(world: World) -> None:
    first = reach(world, Stage.INVESTIGATION)
    second = reach(world, Stage.INVESTIGATION)
    assert {i.matter for i in clocks_of([f"case:{first.pk}"])} == {f"case:{first.pk}"}
    assert {i.matter for i in clocks_of(None)} == {f"case:{first.pk}", f"case:{second.pk}"}
    assert clocks_of(["inspection:1"]) == []


def test_the_cases_app_offers_its_clocks_to_the_worklist() -> None:
    assert clocks_of in providers()


def test_the_clocks_of_many_cases_cost_no_query_per_case(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.cases.tests.factories import file_case

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            clocks_of(None)
        return len(captured)

    file_case(world, open_case(world))
    few = queries()
    for _ in range(4):
        file_case(world, open_case(world))
    assert queries() == few
