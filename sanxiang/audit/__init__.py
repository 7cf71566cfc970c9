"""The audit log. Every app records its writes through :func:`record`, the only writer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanxiang.audit.events import EventType

if TYPE_CHECKING:
    from django.db import models

    from sanxiang.audit.models import Event

__all__ = ["EventType", "record"]


def record(
    event_type: EventType,
    *,
    actor: Any = None,
    subject: models.Model | None = None,
    agency: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event inside the caller's transaction; see :func:`sanxiang.audit.services.record`."""
    from sanxiang.audit.services import record as _record

    return _record(event_type, actor=actor, subject=subject, agency=agency, data=data)
