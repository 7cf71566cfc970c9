import datetime

import pytest
from django.utils import timezone

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.coercion import selectors, services
from sanxiang.coercion.models import MeasureAction
from sanxiang.coercion.tests.factories import at, emergency, in_force, preserved, reported
from sanxiang.core import due

pytestmark = pytest.mark.django_db


def due_items_for(user):
    """The coercion clocks ``user`` finds on "my work"."""
    agencies = visible_agency_ids(user)
    return [i for i in selectors.clocks_of(None) if due.shown_to(i, user, agency_ids=agencies)]


@pytest.mark.parametrize(
    ("acted_on", "period_days", "extension_days", "excluded_days", "expected"),
    [
        # 30 calendar days, the start day not counted (行政强制法 Art.25, 民事诉讼法 Art.85)
        ("2026-03-02", 30, None, 0, "2026-04-01"),
        ("2026-03-02", 10, None, 0, "2026-03-12"),
        # ends on 2026-10-01, 国庆节: rolls to the next working day
        ("2026-09-01", 30, None, 0, "2026-10-08"),
        # ends on a Saturday: rolls to Monday
        ("2026-03-07", 30, None, 0, "2026-04-07"),
        # extended by 30 from 04-01: 05-01 is 劳动节, rolls to 05-06
        ("2026-03-02", 30, 30, 0, "2026-05-06"),
        # the extension runs from the rolled end 10-08: 11-07 is a Saturday, rolls to 11-09
        ("2026-09-01", 30, 30, 0, "2026-11-09"),
        # 5 days excluded for testing: 35 days end on 04-06 (清明节), roll to 04-07
        ("2026-03-02", 30, None, 5, "2026-04-07"),
        # extended by 20 and 3 days excluded: 08-31 + 23 = 09-23
        ("2026-08-01", 30, 20, 3, "2026-09-23"),
    ],
)
def test_period_end_of_a_measure(world, acted_on, period_days, extension_days, excluded_days, expected):
    measure = in_force(world, acted_at=at(acted_on))
    type(measure).objects.filter(pk=measure.pk).update(period_days=period_days)
    measure.refresh_from_db()
    if extension_days:
        services.measure_transition(
            measure=measure,
            action=MeasureAction.EXTEND,
            actor=world.leader,
            days=extension_days,
            reason="r",
            notice_reference="n",
            decided_on=datetime.date.fromisoformat(acted_on),
        )
    if excluded_days:
        services.measure_transition(
            measure=measure,
            action=MeasureAction.EXCLUDE_DAYS,
            actor=world.p.alice,
            days=excluded_days,
            reason="鉴定",
            notice_reference="n",
        )
    period = selectors.measure_period(measure)
    assert period is not None
    assert period.end == datetime.date.fromisoformat(expected)
    assert period.excluded_days == excluded_days


def test_a_measure_not_yet_carried_out_has_no_period(world):
    measure = emergency(world, timezone.now() - datetime.timedelta(hours=1))
    assert selectors.measure_period(measure) is None


def test_emergency_act_shows_overdue_after_24_hours_without_approval(world):
    acted_at = timezone.now() - datetime.timedelta(hours=25)
    measure = emergency(world, acted_at)
    assert selectors.emergency_overdue(measure)
    assert not selectors.emergency_overdue(measure, now=acted_at + datetime.timedelta(hours=23))


def test_emergency_act_approved_in_time_is_not_overdue(world):
    measure = reported(world, timezone.now() - datetime.timedelta(hours=25))
    services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=world.leader)
    measure.refresh_from_db()
    assert not selectors.emergency_overdue(measure)


def test_due_items_show_the_24_hour_clock_overdue(world):
    measure = emergency(world, timezone.now() - datetime.timedelta(hours=49))
    items = due_items_for(world.p.alice)
    [item] = [i for i in items if i.key == f"coercion:{measure.pk}:emergency_approval"]
    assert item.is_overdue(timezone.localdate())
    assert item.basis_text() == "行政强制法第十九条"
    assert item.matter == f"case:{measure.case_id}"


def test_due_items_show_the_period_end_then_the_extension_end(world):
    measure = in_force(world)
    [item] = due_items_for(world.p.alice)
    assert (item.key, item.due) == (f"coercion:{measure.pk}:period_end", datetime.date(2026, 4, 1))
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXTEND,
        actor=world.leader,
        days=30,
        reason="r",
        notice_reference="n",
        decided_on=datetime.date(2026, 3, 20),
    )
    [item] = due_items_for(world.p.alice)
    assert (item.key, item.due) == (f"coercion:{measure.pk}:extension_end", datetime.date(2026, 5, 6))


def test_a_released_measure_has_no_clock(world):
    measure = in_force(world)
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=world.p.alice, reference="r"
    )
    assert due_items_for(world.p.alice) == []


def test_due_items_show_the_preservation_handling_due(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    [item] = due_items_for(world.p.alice)
    assert item.key == f"coercion:preservation:{preservation.pk}:decision_due"
    assert item.due == datetime.date(2026, 10, 12)


def test_charlie_sees_no_clock_of_agency_a(world):
    in_force(world)
    preserved(world, datetime.date(2026, 9, 24))
    emergency(world, timezone.now() - datetime.timedelta(hours=2))
    assert due_items_for(world.p.charlie) == []
    assert list(selectors.measure_list_for(world.p.charlie)) == []
    assert list(selectors.preservation_list_for(world.p.charlie)) == []


def test_the_supervisor_above_sees_the_measures(world):
    measure = in_force(world)
    assert list(selectors.measure_list_for(world.p.supervisor)) == [measure]
    assert [i.key for i in due_items_for(world.p.supervisor)] == [f"coercion:{measure.pk}:period_end"]


def test_a_measure_clock_is_told_to_its_officer_and_shown_to_the_agency(world):
    in_force(world)
    [item] = selectors.clocks_of(None)
    assert (item.user_ids, item.roles, item.tell_roles) == ((world.p.alice.pk,), ("*",), False)
    agencies = visible_agency_ids(world.leader)
    assert due.shown_to(item, world.leader, agency_ids=agencies)
    assert not due.told(item, world.leader, agency_ids=agencies)


def test_the_app_offers_its_clocks_to_the_worklist():
    from sanxiang.core.due import providers

    assert selectors.clocks_of in providers()


def test_without_the_holiday_table_the_clocks_show_the_earliest_day_and_say_so(world):
    from sanxiang.deadlines import calendar
    from sanxiang.deadlines.models import HolidayYear

    measure = in_force(world)  # 2026-03-02 + 30 days
    preservation = preserved(world, datetime.date(2026, 9, 24))
    emergency(world, timezone.now() - datetime.timedelta(hours=2))
    HolidayYear.objects.filter(year=2026).delete()
    calendar.invalidate()
    items = {item.key: item for item in due_items_for(world.p.alice)}
    period_item = items[f"coercion:{measure.pk}:period_end"]
    assert period_item.due == datetime.date(2026, 4, 1)
    assert "节假日安排未导入" in period_item.title_text()
    assert (period_item.provisional, period_item.missing_year) == (True, 2026)
    preservation_item = items[f"coercion:preservation:{preservation.pk}:decision_due"]
    assert preservation_item.due == datetime.date(2026, 10, 1)
    assert "节假日安排未导入" in preservation_item.title_text()
    assert len(items) == 3  # the emergency clock needs no calendar and is still there
