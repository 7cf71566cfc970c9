import pytest

from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.worklist import selectors
from sanxiang.worklist.selectors import Show
from sanxiang.worklist.tests.conftest import TODAY, clock, install


def keys(work):
    return [item.key for item in work.items]


def test_items_come_overdue_first_then_by_due_date(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY)
    assert keys(work) == [
        "case:3:payment_due",
        "case:5:decision_due",
        "case:2:delivery_due",
        "case:4:hearing_request_due",
        "case:1:decision_due",
    ]


def test_overdue_filter_keeps_only_overdue_items(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY, show=Show.OVERDUE)
    assert keys(work) == ["case:3:payment_due"]


def test_week_filter_keeps_items_due_within_seven_days(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY, show=Show.WEEK)
    assert "case:1:decision_due" not in keys(work)
    assert len(work.items) == 4


def test_charlie_sees_only_agency_bs_clock(personas, clocks):
    assert keys(selectors.due_items_for(personas.charlie, today=TODAY)) == ["case:9:decision_due"]


def test_an_item_of_an_agency_the_user_cannot_see_is_dropped_even_if_a_provider_returns_it(
    personas, monkeypatch
):
    leaky = [clock("case:1:x", 1, agency_id=personas.agency_a.pk), clock("case:2:x", 1, agency_id=None)]
    install(monkeypatch, lambda user, *, today: leaky)
    assert keys(selectors.due_items_for(personas.charlie, today=TODAY)) == ["case:2:x"]


def test_supervisor_sees_items_of_agencies_below(personas, monkeypatch):
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk)
    install(monkeypatch, lambda user, *, today: [item])
    assert keys(selectors.due_items_for(personas.supervisor, today=TODAY)) == ["case:1:x"]


def test_the_same_clock_from_two_providers_is_shown_once(personas, monkeypatch):
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk)
    install(monkeypatch, lambda user, *, today: [item], lambda user, *, today: [item])
    assert keys(selectors.due_items_for(personas.alice, today=TODAY)) == ["case:1:x"]


def test_a_missing_holiday_table_is_reported_not_hidden(personas, monkeypatch):
    def needs_2031(user, *, today):
        raise CalendarMissing(2031)

    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk)
    install(monkeypatch, needs_2031, lambda user, *, today: [item])
    work = selectors.due_items_for(personas.alice, today=TODAY)
    assert work.missing_years == [2031]
    assert keys(work) == ["case:1:x"]


def test_an_anonymous_user_has_no_work(db, clocks):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.due_items_for(AnonymousUser(), today=TODAY).items == []


@pytest.mark.parametrize(
    ("days_left", "expected"), [(-1, "overdue"), (0, "soon"), (3, "soon"), (4, ""), (30, "")]
)
def test_urgency_is_red_when_overdue_and_yellow_within_three_days(days_left, expected):
    assert selectors.urgency(clock("k", days_left, agency_id=None), TODAY) == expected
