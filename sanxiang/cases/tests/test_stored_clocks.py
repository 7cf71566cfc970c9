"""Every write of a case recomputes its stored clocks in the same transaction (sanxiang.core.due)."""

from __future__ import annotations

import datetime

from sanxiang.cases.tests.factories import FINE, World, do, open_case, reach
from sanxiang.cases.workflow import Action, Stage
from sanxiang.worklist.models import Clock

D = datetime.date


def stored(case) -> dict[str, datetime.date]:
    return {
        key.rsplit(":", 1)[1]: day
        for key, day in Clock.objects.filter(matter=f"case:{case.pk}").values_list("key", "due")
    }


def test_an_opened_lead_runs_no_clock(world: World) -> None:
    assert stored(open_case(world)) == {}


def test_filing_stores_the_decision_clock_and_the_extension_moves_it(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    assert stored(case) == {"decision_due": D(2026, 6, 1)}
    do(case, Action.REQUEST_EXTENSION, world.alice, until=D(2026, 8, 31), reason="需要技术鉴定")
    do(case, Action.APPROVE_EXTENSION, world.leader)
    assert stored(case) == {"decision_due": D(2026, 8, 31)}


def test_the_decision_replaces_the_decision_clock_by_the_delivery_clock(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    assert set(stored(case)) == {"decision_due"}
    do(case, Action.DECIDE, world.leader, penalties=[FINE])
    assert stored(case) == {"delivery_due": D(2026, 3, 11)}


def roles(case) -> set[str]:
    clock = Clock.objects.get(key=f"case:{case.pk}:decision_due")
    return set(clock.audience.exclude(role="").values_list("role", flat=True))


def test_the_stored_audience_follows_the_stage(world: World) -> None:
    case = reach(world, Stage.INVESTIGATION_REPORTED)
    assert roles(case) == set()
    named = Clock.objects.get(key=f"case:{case.pk}:decision_due").audience.exclude(user=None)
    assert set(named.values_list("user_id", flat=True)) == {world.alice.pk, world.dave.pk}
    do(case, Action.SUBMIT_CASE_REVIEW, world.alice, proposed_outcome="penalty", penalties=[FINE])
    assert roles(case) == {"leader"}
    do(case, Action.APPROVE_PENALTY_PROPOSAL, world.leader)
    assert roles(case) == set()
