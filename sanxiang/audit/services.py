"""The one writer of the audit log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event, LogHead


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def leaf_bytes(event: Event) -> bytes:
    occurred = event.occurred_at.isoformat()
    fields = (
        str(event.seq), str(event.event_type), occurred, str(event.actor_id or ""), event.actor_name,
        str(event.agency_id or ""), event.subject_type, event.subject_id, event.data,
    )
    return "\x1f".join(fields).encode()


@transaction.atomic
def record(
    event_type: EventType,
    *,
    actor: Any = None,
    subject: models.Model | None = None,
    agency: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event in the caller's transaction; the log head lock keeps sequence numbers gapless."""
    if event_type not in EventType.values:
        raise ValueError(f"unknown event type {event_type!r}")
    head, _ = LogHead.objects.get_or_create(id=1)
    head = LogHead.objects.select_for_update().get(id=1)
    head.size += 1
    agency_id = getattr(agency, "pk", agency)
    if agency_id is None and subject is not None:
        agency_id = getattr(subject, "agency_id", None)
    event = Event(
        seq=head.size,
        event_type=int(event_type),
        occurred_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(actor.get_username() if actor is not None and hasattr(actor, "get_username") else ""),
        agency_id=agency_id,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        data=_canonical(data or {}),
    )
    event.leaf_hash = hashlib.sha256(b"\x00" + leaf_bytes(event)).digest()
    event.save(force_insert=True)
    LogHead.objects.filter(id=1).update(size=head.size)
    return event
