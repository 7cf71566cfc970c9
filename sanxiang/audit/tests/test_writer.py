"""The one writer: consecutive numbers, known types only, documented leaves, in the caller's transaction."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection, transaction

from sanxiang import audit
from sanxiang.audit import services, verifier
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event, LogHead
from sanxiang.core.personas import Personas

pytestmark = pytest.mark.django_db


def test_the_writer_assigns_consecutive_numbers_from_one() -> None:
    events = [audit.record(EventType.USER_LOGGED_IN, data={"n": i}) for i in range(5)]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert list(Event.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert LogHead.objects.get().size == 5


def test_an_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的审计事件类型"):
        audit.record(99999)  # type: ignore[arg-type]
    assert not Event.objects.exists()


def test_events_record_actor_subject_and_agency(personas: Personas) -> None:
    p = personas
    event = audit.record(
        EventType.OFFICER_CHANGED, actor=p.alice, subject=p.alice_officer, data={"字段": "姓名"}
    )
    saved = Event.objects.get(seq=event.seq)
    assert saved.actor_id == p.alice.pk
    assert saved.actor_name == "alice"
    assert saved.agency_id == p.agency_a.pk
    assert (saved.subject_type, saved.subject_id) == ("agencies.officer", str(p.alice_officer.pk))
    assert saved.data == '{"字段":"姓名"}'


def test_an_agency_event_belongs_to_that_agency(personas: Personas) -> None:
    event = audit.record(EventType.AGENCY_CHANGED, subject=personas.agency_b)
    assert event.agency_id == personas.agency_b.pk


def test_the_stored_leaf_hash_is_the_rfc_hash_of_the_documented_leaf_bytes() -> None:
    event = audit.record(EventType.DEMO_DATA_LOADED, data={"b": 2, "a": [1, "二"]})
    saved = Event.objects.get(seq=event.seq)
    content = verifier.event_content(
        seq=saved.seq,
        event_type=904,
        occurred_at=saved.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id=None,
        actor_name="",
        agency_id=None,
        subject_type="",
        subject_id="",
        data='{"a":[1,"二"],"b":2}',
    )
    when = saved.occurred_at.astimezone(datetime.UTC)
    empty_fields = "\x1f" * 6
    assert content == f"{saved.seq}\x1f904\x1f{when:%Y-%m-%dT%H:%M:%S.%fZ}{empty_fields}{saved.data}".encode()
    mac = bytes(saved.mac)
    assert mac == services.event_mac(services.signing_key(), content)
    leaf = content + b"\x1f" + mac.hex().encode()
    assert bytes(saved.leaf_hash) == hashlib.sha256(b"\x00" + leaf).digest()


def test_the_database_builds_the_same_leaf_bytes_as_the_writer(personas: Personas) -> None:
    audit.record(EventType.USER_LOGGED_IN, actor=personas.alice, subject=personas.alice)
    audit.record(EventType.HOLIDAY_CALENDAR_LOADED, data={"年份": 2026, "note": "line\nbreak\x1f"})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {services.leaf_sql()} FROM audit_event ORDER BY seq")  # noqa: S608
        from_sql = [bytes(row[0]) for row in cursor.fetchall()]
    assert from_sql == [services.leaf_bytes(e) for e in Event.objects.order_by("seq")]


def test_control_characters_cannot_shift_fields() -> None:
    class Actor:
        pk = 7
        agency_id = None

        def get_username(self) -> str:
            return "a\x1fb"

    event = audit.record(EventType.USER_LOGGED_IN, actor=Actor())
    assert event.actor_name == "ab"


def test_an_event_rolls_back_with_its_callers_transaction_and_leaves_no_gap() -> None:
    audit.record(EventType.USER_LOGGED_IN)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(EventType.USER_LOGGED_OUT)
        raise RuntimeError("caller failed")
    assert audit.record(EventType.USER_LOGGED_IN).seq == 2
    assert services.verify_log().ok


def test_the_bulk_path_writes_the_same_leaves_as_the_writer(personas: Personas) -> None:
    p = personas
    specs = [
        services.NewEvent(EventType.PARTY_CREATED, actor=p.bob, subject=p.alice_officer, data={"i": i})
        for i in range(7)
    ]
    assert services.record_many(specs) == 7
    audit.record(EventType.PARTY_CHANGED, actor=p.bob)
    for event in Event.objects.all():
        assert bytes(event.leaf_hash) == verifier.leaf_hash(services.leaf_bytes(event))
    assert list(Event.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert services.verify_log().ok
