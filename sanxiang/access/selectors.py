"""Reads of 调阅: the custody history of one original, the access log, the leaders' queue of requests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.access.models import AccessKind, AccessRequest, EvidenceAccess, RequestState
from sanxiang.evidence.models import Evidence, FixityCheck, FixityOutcome


def evidence_get(pk: int) -> Evidence:
    return Evidence.objects.select_related("blob", "case", "agency", "ingested_by").get(pk=pk)


@dataclass(frozen=True)
class CustodyEntry:
    """One line of the custody history: when, what happened, who, why, and the details."""

    at: datetime.datetime
    what: str
    who: Any = None
    why: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    alert: bool = False
    highlight: bool = False


def custody_history(evidence: Evidence) -> list[CustodyEntry]:
    """Ingest, every fixity check of its bytes since, every request, decision, view and download, by time."""
    blob = evidence.blob
    entries = [
        CustodyEntry(
            at=evidence.ingested_at,
            what=_("入库"),
            who=evidence.ingested_by,
            details=[
                (_("入库方式"), evidence.get_channel_display()),
                (_("SHA-256"), blob.sha256),
                *([(_("SM3"), blob.sm3)] if blob.sm3 else []),
                (_("字节数"), str(blob.size)),
            ],
        )
    ]
    checks = FixityCheck.objects.filter(blob=blob, checked_at__gte=evidence.ingested_at)
    for check in checks.order_by("checked_at", "pk"):
        details = [(_("结果"), check.get_outcome_display())]
        if check.outcome == FixityOutcome.ALTERED:
            details.append((_("实测 SHA-256"), check.found_sha256))
        entries.append(
            CustodyEntry(
                at=check.checked_at,
                what=_("完整性核验"),
                details=details,
                alert=check.outcome != FixityOutcome.INTACT,
            )
        )
    requests = AccessRequest.objects.filter(evidence=evidence).select_related("requester", "decided_by")
    for access_request in requests:
        entries.append(
            CustodyEntry(
                at=access_request.requested_at,
                what=_("申请调阅"),
                who=access_request.requester,
                why=access_request.reason,
                highlight=True,
            )
        )
        if access_request.decided_at is not None:
            what = {
                RequestState.APPROVED: _("批准调阅"),
                RequestState.REFUSED: _("拒绝调阅"),
                RequestState.EXPIRED: _("调阅申请过期"),
            }.get(RequestState(access_request.state), access_request.get_state_display())
            details = [(_("申请人"), str(access_request.requester))]
            if access_request.state == RequestState.APPROVED:
                details.append(
                    (_("有效期至"), f"{timezone.localtime(access_request.valid_until):%Y-%m-%d %H:%M}")
                )
            entries.append(
                CustodyEntry(
                    at=access_request.decided_at,
                    what=what,
                    who=access_request.decided_by,
                    why=access_request.decision_note,
                    details=details,
                )
            )
    accesses = EvidenceAccess.objects.filter(evidence=evidence).select_related("user")
    for access in accesses:
        entries.append(
            CustodyEntry(
                at=access.accessed_at,
                what=_("查看原件") if access.kind == AccessKind.VIEW else _("下载原件"),
                who=access.user,
                why=access.reason,
                details=[(_("依据"), access.get_basis_display())],
                highlight=not access.by_handler,
            )
        )
    # sorted() is stable: entries with the same time keep the order above (a request before its decision).
    return sorted(entries, key=lambda entry: entry.at)


def access_log(
    *,
    agency_ids: set[int],
    agency_id: int | None = None,
    user_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[EvidenceAccess]:
    """Reads of originals in ``agency_ids``, newest first, narrowed by agency, user and dates (inclusive)."""
    rows = EvidenceAccess.objects.filter(agency_id__in=agency_ids)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    if since is not None:
        rows = rows.filter(accessed_at__date__gte=since)
    if until is not None:
        rows = rows.filter(accessed_at__date__lte=until)
    return rows.select_related("evidence__case", "agency", "user", "request__decided_by").order_by(
        "-accessed_at", "-pk"
    )


def pending_requests(*, agency_id: int) -> QuerySet[AccessRequest]:
    """Requests waiting for a leader of ``agency_id``, oldest first."""
    return (
        AccessRequest.objects.filter(evidence__agency_id=agency_id, state=RequestState.PENDING)
        .select_related("evidence__case", "requester")
        .order_by("requested_at", "pk")
    )


def recent_decisions(*, agency_id: int, limit: int = 20) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(evidence__agency_id=agency_id)
        .exclude(state=RequestState.PENDING)
        .select_related("evidence__case", "requester", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def latest_request(*, evidence: Evidence, user: Any) -> AccessRequest | None:
    return (
        AccessRequest.objects.filter(evidence=evidence, requester_id=user.pk)
        .select_related("decided_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
