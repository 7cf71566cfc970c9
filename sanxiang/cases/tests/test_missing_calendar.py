"""A clock into a year whose holidays are not loaded yet: the act goes ahead, the day is provisional."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from sanxiang.cases import selectors, workflow
from sanxiang.cases.tests.factories import World, file_case, open_case
from sanxiang.deadlines import holiday_data
from sanxiang.deadlines import services as holiday_services
from sanxiang.deadlines.calendar import CalendarMissing

LATE_IN_2026 = datetime.date(2026, 11, 27)  # a Friday; 90 days later is in 2027, whose table is not shipped
NOMINAL_90TH_DAY = datetime.date(2027, 2, 25)


def test_a_filing_late_in_the_year_is_approved_with_a_provisional_decision_day(
    world: World, today: Any
) -> None:
    today.set(LATE_IN_2026)
    case = file_case(world, open_case(world))
    assert case.number
    assert case.decision_due_on == NOMINAL_90TH_DAY
    assert case.decision_due_provisional is True


def test_my_work_says_the_decision_day_is_provisional(world: World, today: Any) -> None:
    today.set(LATE_IN_2026)
    case = file_case(world, open_case(world))
    items = [i for i in selectors.clocks_of([f"case:{case.pk}"]) if i.key.endswith("decision_due")]
    assert [i.due for i in items] == [NOMINAL_90TH_DAY]
    assert "期限待定" in items[0].title_text()
    assert (items[0].provisional, items[0].missing_year) == (True, 2027)
    assert str(case.pk) in items[0].key


def test_a_decision_by_the_nominal_day_is_on_time_without_the_table(world: World, today: Any) -> None:
    today.set(LATE_IN_2026)
    case = file_case(world, open_case(world))
    workflow.within_decision_period(case, world.leader, {"decided_on": NOMINAL_90TH_DAY})


def test_a_decision_after_the_nominal_day_waits_for_that_years_table(world: World, today: Any) -> None:
    today.set(LATE_IN_2026)
    case = file_case(world, open_case(world))
    with pytest.raises(CalendarMissing) as missing:
        workflow.within_decision_period(case, world.leader, {"decided_on": datetime.date(2027, 2, 26)})
    assert missing.value.year == 2027


def test_once_the_table_is_loaded_the_roll_over_counts(world: World, today: Any) -> None:
    today.set(LATE_IN_2026)
    case = file_case(world, open_case(world))
    # A 2027 table in which 2027-02-25 and 02-26 are days off: the 90th day rolls to Monday 03-01.
    days = [{"date": d, "kind": "holiday", "name": "测试"} for d in ("2027-02-25", "2027-02-26")]
    text = json.dumps({"year": 2027, "notice": {"title": "测试用节假日安排"}, "days": days})
    holiday_services.holiday_year_load(data=holiday_data.parse_json(text))
    workflow.within_decision_period(case, world.leader, {"decided_on": datetime.date(2027, 3, 1)})
    with pytest.raises(workflow.GuardFailed, match="2027-03-01"):
        workflow.within_decision_period(case, world.leader, {"decided_on": datetime.date(2027, 3, 2)})


def test_a_working_day_clock_into_a_year_without_a_table_shows_its_nominal_day(world: World) -> None:
    from sanxiang.cases.models import Case
    from sanxiang.cases.workflow import Stage

    case = open_case(world)
    # Five working days from 29 December 2026 run into 2027: weekdays only, the 5th is Tuesday 5 January.
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.NOTIFIED, hearing_right=True, notified_on=datetime.date(2026, 12, 29)
    )
    [item] = selectors.clocks_of([f"case:{case.pk}"])
    assert (item.key, item.due) == (f"case:{case.pk}:hearing_request_due", datetime.date(2027, 1, 5))
    assert (item.provisional, item.missing_year) == (True, 2027)
    assert "期限待定" in item.title_text()
