"""Reads of complaints: the staff queue, one complaint, the public's view by tracking code, the clocks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from sanxiang.complaints import permissions
from sanxiang.complaints.models import OPEN_STATUSES, Complaint
from sanxiang.complaints.services import tracking_sha256
from sanxiang.core import due
from sanxiang.core.due import DueItem

HANDLER_ROLES = tuple(str(r) for r in permissions.HANDLER_ROLES)


def complaint_list_for(user: Any, *, status: str = "") -> QuerySet[Complaint]:
    """The complaints of the agencies ``user`` sees, open ones first by their due day."""
    rows = Complaint.objects.filter(agency_id__in=permissions.agency_ids_for(user)).select_related("agency")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("response_due_on", "pk") if status == "open" else rows


def complaint_get_for(user: Any, pk: int) -> Complaint:
    return complaint_list_for(user).get(pk=pk)


def complaint_by_code(code: str) -> Complaint | None:
    """The complaint whose tracking code is ``code`` (looked up by its SHA-256), for the public page."""
    return (
        Complaint.objects.select_related("agency")
        .prefetch_related("steps")
        .filter(tracking_sha256=tracking_sha256(code))
        .first()
    )


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """The answer clock of each open complaint among ``matters`` ("complaint:5"), for its handlers."""
    ids = due.matter_ids(matters, "complaint")
    rows = Complaint.objects.filter(status__in=OPEN_STATUSES)
    if ids is not None:
        if not ids:
            return []
        rows = rows.filter(pk__in=ids)
    return [
        DueItem(
            key=f"complaint:{c.pk}:response_due",
            title=gettext_noop("答复投诉举报（第 %(number)s 号）"),
            title_args={"number": c.pk},
            subject=c.subject,
            due=c.response_due_on,
            url=reverse("complaints:detail", args=[c.pk]),
            basis=gettext_noop("投诉举报答复期限（本机关规定）"),
            agency_id=c.agency_id,
            roles=HANDLER_ROLES,
            provisional=c.response_due_provisional,
            missing_year=c.response_due_on.year if c.response_due_provisional else None,
        )
        for c in rows.order_by("pk")
    ]
