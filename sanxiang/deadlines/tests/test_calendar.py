from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from sanxiang.deadlines import calendar
from sanxiang.deadlines.calendar import (
    CalendarMissing,
    add_calendar_days,
    add_months,
    add_working_days,
    is_working_day,
    subtract_working_days,
    working_days_between,
)
from sanxiang.deadlines.models import HolidayYear, SpecialDay

pytestmark = pytest.mark.usefixtures("holidays")

D = datetime.date

# domain.md §9.5: N working days after D, the start day excluded, weekend 调休 days counted.
WORKING_DAY_VECTORS = [
    (D(2026, 2, 12), 7, D(2026, 2, 28)),
    (D(2026, 2, 13), 3, D(2026, 2, 25)),
    (D(2026, 4, 30), 5, D(2026, 5, 11)),
    (D(2026, 9, 18), 20, D(2026, 10, 22)),
    (D(2026, 9, 30), 7, D(2026, 10, 15)),
    (D(2026, 1, 30), 20, D(2026, 3, 5)),
    (D(2025, 12, 31), 3, D(2026, 1, 6)),
]

# domain.md §9.5: calendar periods rolled over a rest day (民事诉讼法 Art.85).
CALENDAR_VECTORS = [
    (D(2026, 9, 16), 15, D(2026, 10, 8)),
    (D(2026, 2, 6), 15, D(2026, 2, 24)),
    (D(2026, 3, 1), 90, D(2026, 6, 1)),
]


def all_days(year: int) -> list[datetime.date]:
    first = D(year, 1, 1)
    return [first + datetime.timedelta(days=i) for i in range((D(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize(("start", "n", "due"), WORKING_DAY_VECTORS)
def test_adding_working_days_matches_the_domain_vectors(start: D, n: int, due: D) -> None:
    assert add_working_days(start, n) == due


@pytest.mark.parametrize(("start", "n", "due"), CALENDAR_VECTORS)
def test_calendar_periods_roll_over_to_the_next_working_day(start: D, n: int, due: D) -> None:
    assert add_calendar_days(start, n) == due


@pytest.mark.parametrize(("start", "n", "due"), WORKING_DAY_VECTORS)
def test_subtracting_working_days_mirrors_adding_them(start: D, n: int, due: D) -> None:
    assert subtract_working_days(due, n) == next_working_on_or_before(start)
    assert working_days_between(start, due) == n


def next_working_on_or_before(day: D) -> D:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_is_classified_as_chinesecalendar_classifies_it(year: int) -> None:
    mismatches = [d for d in all_days(year) if is_working_day(d) != chinese_calendar.is_workday(d)]
    assert mismatches == []


def test_2026_has_248_working_days_of_which_6_fall_on_weekends() -> None:
    working = [d for d in all_days(2026) if is_working_day(d)]
    assert len(working) == 248
    assert len([d for d in working if d.weekday() >= 5]) == 6


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # 调休 Saturday
        (D(2026, 2, 15), False),  # 春节, Sunday
        (D(2026, 2, 23), False),  # 春节, Monday
        (D(2026, 9, 20), True),  # 调休 Sunday before 国庆节
        (D(2026, 10, 10), True),
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2026, 3, 2), True),  # an ordinary Monday
    ],
)
def test_a_listed_day_overrides_the_week(day: D, working: bool) -> None:
    assert is_working_day(day) is working


def test_the_start_day_is_not_counted_and_zero_days_is_the_start_day() -> None:
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_a_date_in_a_year_without_a_table_raises_calendar_missing_naming_the_year() -> None:
    with pytest.raises(CalendarMissing) as excinfo:
        is_working_day(D(2027, 3, 1))
    assert excinfo.value.year == 2027
    assert "2027年" in str(excinfo.value)


@pytest.mark.parametrize(
    "compute",
    [
        lambda: add_working_days(D(2026, 12, 30), 3),  # runs into 2027
        lambda: add_calendar_days(D(2026, 12, 20), 15),  # ends in 2027: the roll-over needs its table
        lambda: add_months(D(2026, 8, 1), 6),
        lambda: subtract_working_days(D(2025, 1, 3), 5),  # runs back into 2024
    ],
)
def test_a_period_touching_an_unloaded_year_is_never_guessed(compute: object) -> None:
    with pytest.raises(CalendarMissing):
        compute()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 February: month end, a 调休 Saturday
        (D(2026, 4, 4), 6, D(2026, 10, 8)),  # 10-04 falls in 国庆节
    ],
)
def test_month_periods_end_on_the_corresponding_day_or_month_end(start: D, months: int, due: D) -> None:
    assert add_months(start, months) == due


def test_a_datetime_or_a_negative_count_is_refused() -> None:
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC))
    with pytest.raises(ValueError, match="非负整数"):
        add_working_days(D(2026, 3, 2), -1)


def test_lookups_are_served_from_the_cache_without_queries(django_assert_num_queries: object) -> None:
    is_working_day(D(2026, 1, 1))
    with django_assert_num_queries(0):  # type: ignore[operator]
        for offset in range(2000):
            add_working_days(D(2025, 1, 1) + datetime.timedelta(days=offset % 500), 7)


def test_another_process_change_is_noticed_after_the_recheck_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert is_working_day(D(2026, 3, 2))
    # Simulates a write made by another process: this process's cache is not told directly.
    year = HolidayYear.objects.get(year=2026)
    SpecialDay.objects.create(holiday_year=year, date=D(2026, 3, 2), kind="holiday", name="测试")
    HolidayYear.objects.filter(pk=year.pk).update(changed_at=year.changed_at + datetime.timedelta(seconds=1))
    assert is_working_day(D(2026, 3, 2)), "within the interval the cached copy is used"
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)
    assert not is_working_day(D(2026, 3, 2))


def test_each_request_checks_once_whether_another_process_changed_the_table(
    django_assert_num_queries: object,
) -> None:
    from django.test import Client
    from django.urls import reverse

    assert is_working_day(D(2026, 3, 3))
    year = HolidayYear.objects.get(year=2026)
    SpecialDay.objects.create(holiday_year=year, date=D(2026, 3, 3), kind="holiday", name="测试")
    HolidayYear.objects.filter(pk=year.pk).update(changed_at=year.changed_at + datetime.timedelta(seconds=1))
    assert is_working_day(D(2026, 3, 3)), "between requests the cached copy is used"
    Client().get(reverse("deadlines:calculator"))  # any request starts with a re-check
    assert not is_working_day(D(2026, 3, 3))
    calendar.expire()
    with django_assert_num_queries(1):  # type: ignore[operator]
        for _ in range(100):
            is_working_day(D(2026, 3, 3))


def test_a_provisional_end_is_the_rolled_end_when_the_year_is_loaded(holidays):
    assert calendar.add_calendar_days_provisional(datetime.date(2026, 9, 16), 15) == (
        datetime.date(2026, 10, 8),
        False,
    )


def test_a_provisional_end_is_the_nominal_day_when_the_end_year_is_missing(holidays):
    assert calendar.add_calendar_days_provisional(datetime.date(2026, 11, 27), 90) == (
        datetime.date(2027, 2, 25),
        True,
    )


def test_a_period_wholly_in_a_missing_year_is_provisional_too(holidays):
    assert calendar.add_calendar_days_provisional(datetime.date(2027, 3, 1), 15) == (
        datetime.date(2027, 3, 16),
        True,
    )
    with pytest.raises(calendar.CalendarMissing):
        calendar.add_calendar_days(datetime.date(2027, 3, 1), 15)
