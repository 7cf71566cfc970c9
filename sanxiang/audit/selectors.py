"""Reads of the audit log, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sanxiang.audit.models import Event
from sanxiang.audit.permissions import can_view_audit_log


def audit_agency_ids_for(user: Any) -> set[int]:
    """Administrators and archivists see their own agency's events; supervisors also those below."""
    if not can_view_audit_log(user) or user.agency_id is None:
        return set()
    if user.has_role("supervisor"):
        from sanxiang.agencies.selectors import visible_agency_ids

        return visible_agency_ids(user)
    return {user.agency_id}


def event_list_for(user: Any) -> QuerySet[Event]:
    """The events the user may read, newest first."""
    return Event.objects.filter(agency_id__in=audit_agency_ids_for(user)).order_by("-seq")
