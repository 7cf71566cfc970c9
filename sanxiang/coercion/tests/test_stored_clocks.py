"""Every write of a measure or a preservation recomputes the clocks of its case in the same transaction."""

import datetime

import pytest
from django.utils import timezone

from sanxiang.coercion import services
from sanxiang.coercion.models import MeasureAction, PreservationAction
from sanxiang.coercion.tests.factories import emergency, in_force, preserved
from sanxiang.worklist.models import Clock

pytestmark = pytest.mark.django_db


def stored(world):
    return dict(Clock.objects.filter(matter=f"case:{world.case.pk}").values_list("key", "due"))


def test_an_emergency_act_stores_its_24_hour_clock(world):
    measure = emergency(world, timezone.now() - datetime.timedelta(hours=2))
    assert list(stored(world)) == [f"coercion:{measure.pk}:emergency_approval"]


def test_excluded_days_and_an_extension_move_the_period_clock_and_a_release_ends_it(world):
    measure = in_force(world)
    assert stored(world) == {f"coercion:{measure.pk}:period_end": datetime.date(2026, 4, 1)}
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXCLUDE_DAYS,
        actor=world.p.alice,
        days=5,
        reason="鉴定",
        notice_reference="n",
    )
    # 35 days end on 6 April (清明节), roll to the 7th.
    assert stored(world) == {f"coercion:{measure.pk}:period_end": datetime.date(2026, 4, 7)}
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXTEND,
        actor=world.leader,
        days=30,
        reason="r",
        notice_reference="n",
        decided_on=datetime.date(2026, 3, 20),
    )
    assert stored(world) == {f"coercion:{measure.pk}:extension_end": datetime.date(2026, 5, 6)}
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=world.p.alice, reference="r"
    )
    assert stored(world) == {}


def test_a_preservation_stores_its_handling_clock_until_the_decision(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    assert stored(world) == {
        f"coercion:preservation:{preservation.pk}:decision_due": datetime.date(2026, 10, 12)
    }
    services.preservation_transition(
        preservation=preservation,
        action=PreservationAction.HANDLE,
        actor=world.p.alice,
        outcome="return",
        decision_reference="退还决定书",
        decided_on=datetime.date(2026, 9, 28),
    )
    assert stored(world) == {}
