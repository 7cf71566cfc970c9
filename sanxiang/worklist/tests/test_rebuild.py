"""On a varied data set of every app: the clocks the writes stored are those a rebuild stores, and "my work"
shows each user what the audience rule (``sanxiang.core.due.shown_to``) says."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import pytest

from sanxiang.accounts.models import User
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import workflow
from sanxiang.cases.models import Case
from sanxiang.cases.tests.factories import make_world, reach
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core import due
from sanxiang.worklist import selectors, services
from sanxiang.worklist.models import Clock, ClockAudience
from sanxiang.worklist.selectors import Show

TODAY = datetime.date(2026, 3, 2)


def snapshot() -> dict[str, tuple[Any, ...]]:
    audience: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for row in ClockAudience.objects.values_list("clock_id", "user_id", "role", "told", "agency_id", "due"):
        audience[row[0]].add(row[1:])
    return {
        clock.key: (
            clock.matter,
            clock.agency_id,
            clock.due,
            clock.title,
            clock.title_args,
            clock.subject,
            clock.url,
            clock.basis,
            clock.provisional,
            clock.missing_year,
            frozenset(audience[clock.pk]),
        )
        for clock in Clock.objects.all()
    }


@pytest.fixture
def matters(personas, holidays, monkeypatch) -> dict[str, Any]:
    """Cases in every stage that runs a clock, an inspection with an order, a measure and a preservation, a
    fine collected on the spot: each made through its app's services, which store the clocks as they go."""
    from sanxiang.coercion.tests import factories as coercion
    from sanxiang.inspections.tests import factories as inspections
    from sanxiang.payments import services as payments
    from sanxiang.payments.tests.factories import make_case

    monkeypatch.setattr(workflow, "today", lambda: TODAY)
    monkeypatch.setattr(workflow, "_REGISTERED", defaultdict(list))  # other apps' guards are theirs to test
    world = make_world(personas)
    found: dict[str, Any] = {"world": world}
    for stage in (
        Stage.INVESTIGATION,
        Stage.CASE_REVIEW,
        Stage.NOTIFIED,
        Stage.HEARING_SCHEDULED,
        Stage.LEGAL_REVIEW,
        Stage.DISCUSSED,
        Stage.DECIDED,
        Stage.DELIVERED,
    ):
        found[stage] = reach(world, stage, "hearing" if stage == Stage.NOTIFIED else "")
    workflow_case = found[Stage.INVESTIGATION]
    case_transition_extension(world, workflow_case)
    team = inspections.Team(personas, world.dave, world.dave_officer, world.company)
    inspection = inspections.recorded(team)
    inspections.order(team, inspection, [inspections.add_hazard(team, inspection)])
    found["inspection"] = inspection
    measures = coercion.World(
        personas,
        world.leader,
        world.head,
        found[Stage.CASE_REVIEW],
        found[Stage.CASE_REVIEW],
        [personas.alice_officer, world.dave_officer],
    )
    found["measure"] = coercion.in_force(measures)
    found["preservation"] = coercion.preserved(measures, datetime.date(2026, 9, 24))
    cash = make_case(personas, number="（甲县）应急罚〔2026〕77号", fine_fen=5000)
    payments.payment_collect_on_the_spot(
        actor=personas.alice,
        case=cash,
        amount_fen=5000,
        collected_on=datetime.date(2026, 3, 3),
        receipt_number="0077",
        reason="small_fine",
    )
    found["cash"] = cash
    return found


def case_transition_extension(world: Any, case: Case) -> None:
    from sanxiang.cases.services import case_transition

    case_transition(
        case=case,
        action=Action.REQUEST_EXTENSION,
        actor=world.alice,
        until=datetime.date(2026, 8, 31),
        reason="需要技术鉴定",
    )


def test_the_varied_data_set_runs_clocks_of_every_app(matters):
    keys = set(snapshot())
    for kind in (
        "decision_due",
        "hearing_request_due",
        "hearing_notice_latest",
        "delivery_due",
        "payment_due",
        "rectification_due",
        "recheck_due",
        "period_end",
        "cash_handover_due",
    ):
        assert any(key.endswith(f":{kind}") for key in keys), kind
    assert any(key.startswith("coercion:preservation:") for key in keys)


def test_a_rebuild_from_nothing_stores_what_the_writes_stored(matters):
    incremental = snapshot()
    Clock.objects.all().delete()
    services.clocks_rebuild()
    assert snapshot() == incremental
    assert not services.clocks_rebuild()


def test_a_rebuild_repairs_a_change_made_behind_the_services_back(matters):
    case = matters[Stage.DECIDED]
    Case.objects.filter(pk=case.pk).update(delivery_due_on=datetime.date(2026, 3, 31))
    changes = services.clocks_rebuild()
    assert (changes.created, changes.deleted, changes.matters) == (1, 1, 1)
    assert Clock.objects.get(key=f"case:{case.pk}:delivery_due").due == datetime.date(2026, 3, 31)


def test_my_work_shows_each_user_what_the_audience_rule_says(matters):
    computed = [item for provider in due.providers() for item in provider(None)]
    today = datetime.date(2026, 3, 20)
    shown_somewhere = 0
    for user in User.objects.all():
        user.forget_roles()
        agencies = visible_agency_ids(user)
        expected = sorted(
            (i for i in {i.key: i for i in computed}.values() if due.shown_to(i, user, agency_ids=agencies)),
            key=lambda i: i.due,
        )
        work = selectors.due_items_for(user, today=today)
        assert sorted(i.key for i in work.items) == sorted(i.key for i in expected), user.username
        assert [i.due for i in work.items] == sorted(i.due for i in expected)
        counts = selectors.work_counts(user, today=today)
        assert counts.all == len(expected)
        assert counts.overdue == sum(1 for i in expected if i.is_overdue(today))
        assert counts.week == len(selectors.due_items_for(user, today=today, show=Show.WEEK).items)
        shown_somewhere += len(expected)
    assert shown_somewhere > len(snapshot())  # many clocks reach several users
