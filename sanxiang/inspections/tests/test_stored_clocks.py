"""Every write that changes an inspection's clocks recomputes them in the same transaction."""

import datetime

import pytest

from sanxiang.deadlines import calendar
from sanxiang.deadlines.models import HolidayYear
from sanxiang.inspections import services
from sanxiang.inspections.tests.factories import add_hazard, order, plan, recorded
from sanxiang.worklist.models import Clock

pytestmark = pytest.mark.django_db


def stored(inspection):
    return {
        key.rsplit(":", 1)[1]: day
        for key, day in Clock.objects.filter(matter=f"inspection:{inspection.pk}").values_list("key", "due")
    }


def test_a_plan_runs_no_clock(holidays, team):
    assert stored(plan(team)) == {}


def test_an_order_stores_its_rectification_and_recheck_clocks_and_the_recheck_ends_them(
    holidays, team, personas
):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard])
    assert stored(inspection) == {
        "rectification_due": datetime.date(2026, 3, 16),
        "recheck_due": datetime.date(2026, 3, 26),
    }
    clock = Clock.objects.get(key__endswith=":recheck_due")
    assert clock.matter == f"inspection:{inspection.pk}"
    assert set(clock.audience.exclude(user=None).values_list("user_id", flat=True)) == {
        personas.alice.pk,
        team.dan.pk,
    }
    assert set(clock.audience.filter(user=None).values_list("role", "told")) == {
        ("section_head", False),
        ("leader", False),
    }
    services.recheck_record(
        inspection=inspection,
        actor=personas.alice,
        results={hazard.pk: True},
        opinion="已整改",
        rechecked_on=datetime.date(2026, 3, 16),
    )
    assert stored(inspection) == {}


def test_without_the_holiday_table_the_recheck_shows_the_earliest_day(holidays, team):
    inspection = recorded(team)
    order(team, inspection, [add_hazard(team, inspection)])
    HolidayYear.objects.filter(year=2026).delete()  # behind the services' back: the rebuild heals it
    calendar.invalidate()
    from sanxiang.worklist.services import clocks_rebuild

    clocks_rebuild()
    clock = Clock.objects.get(key__endswith=":recheck_due")
    assert (clock.due, clock.provisional, clock.missing_year) == (datetime.date(2026, 3, 16), True, 2026)
    assert "期限待定" in clock.title
