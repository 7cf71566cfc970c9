"""The migrations that moved the old counters into NumberSeries: no number already given is given again.

Each test rebuilds the old counter's table from the migration's own historical model (the state just before
the migration), puts a counter at 7 in it, runs the migration's data step and allocates: the next serial is 8.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from sanxiang.agencies.models import Agency
from sanxiang.documents import numbering
from sanxiang.documents.models import NumberSeries

pytestmark = pytest.mark.django_db(transaction=True)  # the schema editor cannot run inside a test transaction


@contextmanager
def old_counter(app: str, migration: str, model: str) -> Iterator[tuple[Any, Any]]:
    """The historical apps just before ``migration``, with ``model``'s table created for the test."""
    state = MigrationLoader(connection).project_state((app, migration), at_end=False)
    apps = state.apps
    counter = apps.get_model(app, model)
    with connection.schema_editor() as editor:
        editor.create_model(counter)
    try:
        yield apps, counter
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(counter)


def step(app: str, migration: str, name: str) -> Callable[[Any, Any], None]:
    module = importlib.import_module(f"sanxiang.{app}.migrations.{migration}")
    function: Callable[[Any, Any], None] = getattr(module, name)
    return function


def next_serial(agency: Agency, code: str, year: int) -> int:
    with transaction.atomic():
        return numbering.allocate(agency=agency, code=code, year=year)


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(name="舒城县应急管理局", short_name="舒", region_code="341523")


def test_a_cases_counter_at_7_gives_8_after_the_migration(agency: Agency) -> None:
    with old_counter("cases", "0004_number_series", "NumberCounter") as (apps, counter):
        counter.objects.create(agency_id=agency.pk, code="应急罚", year=2026, last=7)
        counter.objects.create(agency_id=agency.pk, code="应急立", year=2026, last=3)
        NumberSeries.objects.create(agency=agency, code="应急立", year=2026, last=5)  # ahead: kept
        step("cases", "0004_number_series", "counters_to_series")(apps, None)
    assert next_serial(agency, "应急罚", 2026) == 8
    assert next_serial(agency, "应急立", 2026) == 6


def test_going_back_recreates_the_cases_counter_from_the_series(agency: Agency) -> None:
    NumberSeries.objects.create(agency=agency, code="应急罚", year=2026, last=12)
    NumberSeries.objects.create(agency=agency, code="应急责改", year=2026, last=4)  # not a cases code
    with old_counter("cases", "0004_number_series", "NumberCounter") as (apps, counter):
        step("cases", "0004_number_series", "series_to_counters")(apps, None)
        rows = list(counter.objects.values_list("code", "year", "last"))
    assert rows == [("应急罚", 2026, 12)]


def test_an_inspections_counter_at_7_gives_8_after_the_migration(agency: Agency) -> None:
    with old_counter("inspections", "0002_number_series", "NumberCounter") as (apps, counter):
        counter.objects.create(agency_id=agency.pk, code="应急责改", year=2026, last=7)
        counter.objects.create(agency_id=agency.pk, code="应急复查", year=2025, last=2)
        step("inspections", "0002_number_series", "counters_to_series")(apps, None)
    assert next_serial(agency, "应急责改", 2026) == 8
    assert next_serial(agency, "应急复查", 2025) == 3


def test_where_both_counters_held_a_series_the_larger_serial_wins(agency: Agency) -> None:
    with old_counter("cases", "0004_number_series", "NumberCounter") as (apps, counter):
        counter.objects.create(agency_id=agency.pk, code="应急责改", year=2026, last=7)
        step("cases", "0004_number_series", "counters_to_series")(apps, None)
    with old_counter("inspections", "0002_number_series", "NumberCounter") as (apps, counter):
        counter.objects.create(agency_id=agency.pk, code="应急责改", year=2026, last=5)
        step("inspections", "0002_number_series", "counters_to_series")(apps, None)
    assert next_serial(agency, "应急责改", 2026) == 8


def test_going_back_recreates_the_inspections_counter_from_the_series(agency: Agency) -> None:
    NumberSeries.objects.create(agency=agency, code="应急现决", year=2026, last=3)
    NumberSeries.objects.create(agency=agency, code="应急罚", year=2026, last=4)  # not an inspections code
    with old_counter("inspections", "0002_number_series", "NumberCounter") as (apps, counter):
        step("inspections", "0002_number_series", "series_to_counters")(apps, None)
        rows = list(counter.objects.values_list("code", "year", "last"))
    assert rows == [("应急现决", 2026, 3)]


def test_a_seizure_counter_at_7_gives_8_after_the_migration(agency: Agency) -> None:
    with old_counter("coercion", "0002_number_series", "MeasureNumberCounter") as (apps, counter):
        counter.objects.create(agency_id=agency.pk, year=2026, last=7)
        step("coercion", "0002_number_series", "counters_to_series")(apps, None)
    assert next_serial(agency, "应急查扣", 2026) == 8
    with transaction.atomic():
        number = numbering.allocate_number(agency=agency, code="应急查扣", year=2026)
    assert number == "（舒）应急查扣〔2026〕9号"


def test_going_back_recreates_the_seizure_counter_from_its_series(agency: Agency) -> None:
    NumberSeries.objects.create(agency=agency, code="应急查扣", year=2026, last=3)
    NumberSeries.objects.create(agency=agency, code="应急罚", year=2026, last=4)
    with old_counter("coercion", "0002_number_series", "MeasureNumberCounter") as (apps, counter):
        step("coercion", "0002_number_series", "series_to_counters")(apps, None)
        rows = list(counter.objects.values_list("year", "last"))
    assert rows == [(2026, 3)]
