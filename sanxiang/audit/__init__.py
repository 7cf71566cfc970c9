"""The audit log. Every app records its writes through :func:`record`, the only writer."""

from sanxiang.audit.events import EventType

__all__ = ["EventType", "record"]


def record(*args, **kwargs):  # type: ignore[no-untyped-def]
    from sanxiang.audit.services import record as _record

    return _record(*args, **kwargs)
