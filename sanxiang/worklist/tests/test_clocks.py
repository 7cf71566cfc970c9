"""The stored clocks: recomputed by matter inside the writer's transaction, rebuilt whole as a safety net."""

import datetime
import json

import pytest
from django.db import connection

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.core import due
from sanxiang.worklist import services
from sanxiang.worklist.models import Clock, ClockAudience
from sanxiang.worklist.tests.conftest import TODAY, clock, install


def rows():
    return dict(Clock.objects.values_list("key", "due"))


@pytest.fixture
def offered(personas, monkeypatch):
    """Two matters' clocks, offered by a provider whose answers the test can change."""
    a = personas.agency_a.pk
    items = {
        "case:1:decision_due": clock("case:1:decision_due", 5, agency_id=a),
        "case:1:hearing_request_due": clock("case:1:hearing_request_due", 2, agency_id=a),
        "case:2:decision_due": clock("case:2:decision_due", 9, agency_id=a),
    }
    install(monkeypatch, [])
    monkeypatch.setattr(
        due,
        "providers",
        lambda: [lambda matters: [i for i in items.values() if matters is None or i.matter in matters]],
    )
    services.clocks_rebuild()
    return items


def test_a_refresh_recomputes_only_its_matters_and_keeps_unchanged_rows(offered, personas):
    kept = Clock.objects.get(key="case:1:decision_due").pk
    offered["case:1:hearing_request_due"] = clock(
        "case:1:hearing_request_due", 3, agency_id=personas.agency_a.pk
    )
    offered["case:2:decision_due"] = clock("case:2:decision_due", 1, agency_id=personas.agency_a.pk)
    changes = services.clocks_refresh({"case:1"})
    assert (changes.created, changes.deleted, changes.matters) == (1, 1, 1)
    assert rows()["case:1:hearing_request_due"] == TODAY + datetime.timedelta(days=3)
    assert rows()["case:2:decision_due"] == TODAY + datetime.timedelta(days=9)  # not asked: not touched
    assert Clock.objects.get(key="case:1:decision_due").pk == kept


def test_a_clock_that_stopped_is_removed_with_its_audience(offered):
    del offered["case:1:hearing_request_due"]
    due.clocks_changed("case:1")
    assert "case:1:hearing_request_due" not in rows()
    assert not ClockAudience.objects.filter(clock__key="case:1:hearing_request_due").exists()
    assert set(rows()) == {"case:1:decision_due", "case:2:decision_due"}


def test_a_provider_answering_for_a_matter_not_asked_is_not_heard(offered, personas):
    offered["case:3:decision_due"] = clock("case:3:decision_due", 1, agency_id=personas.agency_a.pk)
    services.clocks_refresh({"case:1"})
    assert "case:3:decision_due" not in rows()


def test_a_rebuild_repairs_what_a_refresh_missed_and_says_so_once(offered, personas):
    repairs = Event.objects.filter(event_type=EventType.CLOCKS_REPAIRED)
    before = repairs.count()  # the fixture's first rebuild stored the clocks
    del offered["case:2:decision_due"]
    offered["case:4:decision_due"] = clock("case:4:decision_due", 1, agency_id=personas.agency_a.pk)
    changes = services.clocks_rebuild()
    assert (changes.created, changes.deleted, changes.matters) == (1, 1, 2)
    assert set(rows()) == {"case:1:decision_due", "case:1:hearing_request_due", "case:4:decision_due"}
    assert repairs.count() == before + 1
    latest = repairs.order_by("-seq")[0]
    assert json.loads(latest.data) == {"matters": 2, "created": 1, "deleted": 1}
    assert not services.clocks_rebuild()
    assert repairs.count() == before + 1


def test_a_rebuild_removes_the_clocks_no_provider_knows_any_more(offered):
    offered.clear()
    services.clocks_rebuild()
    assert rows() == {}
    assert ClockAudience.objects.count() == 0


def test_a_changed_audience_replaces_the_clock(offered, personas):
    item = offered["case:2:decision_due"]
    offered["case:2:decision_due"] = clock(
        item.key, 9, agency_id=personas.agency_a.pk, user_ids=(personas.alice.pk,), roles=()
    )
    services.clocks_refresh({"case:2"})
    audience = ClockAudience.objects.filter(clock__key="case:2:decision_due")
    assert list(audience.values_list("user_id", "role", "told")) == [(personas.alice.pk, "", True)]


def test_a_change_of_the_holiday_table_rebuilds_the_clocks(offered, holidays, personas):
    from sanxiang.deadlines import services as holiday_services
    from sanxiang.deadlines.models import HolidayYear

    # The shipped tables were loaded after the clocks were stored: each load rebuilt them, found them right.
    assert set(rows()) == set(offered)
    del offered["case:1:decision_due"]
    year = HolidayYear.objects.get(year=2026)
    holiday_services.holiday_year_save(holiday_year=year, actor=personas.alice)
    assert "case:1:decision_due" not in rows()


@pytest.mark.postgres
def test_a_rebuild_leaves_a_matter_another_transaction_is_refreshing_to_it(offered, personas):
    import psycopg

    # A matter whose lock this test's own transaction has not taken (its first rebuild took those of 1 and 2).
    taken = {services._stripe("case:1"), services._stripe("case:2")}
    matter = next(f"case:{n}" for n in range(7, 1000) if services._stripe(f"case:{n}") not in taken)
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )
    lock = [services.LOCK_SPACE, services._stripe(matter)]
    try:
        # Another transaction holds the matter (it is refreshing it) when the rebuild finds its clock missing.
        assert other.execute("SELECT pg_try_advisory_lock(%s, %s)", lock).fetchone() == (True,)
        offered[f"{matter}:decision_due"] = clock(f"{matter}:decision_due", 1, agency_id=personas.agency_a.pk)
        services.clocks_rebuild()
        assert f"{matter}:decision_due" not in rows()  # left to the one holding it
        other.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
        services.clocks_rebuild()
        assert f"{matter}:decision_due" in rows()
    finally:
        other.close()


@pytest.mark.postgres
def test_a_rebuild_of_many_matters_holds_a_bounded_number_of_locks(personas, monkeypatch):
    a = personas.agency_a.pk
    install(monkeypatch, [clock(f"case:{n}:decision_due", n % 30, agency_id=a) for n in range(1, 1501)])
    assert Clock.objects.count() == 1500
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        [(held,)] = cursor.fetchall()
    assert 0 < held <= services.STRIPES
