"""Writes of 调阅: opening and downloading an original, requests and their decisions, the agency's policy.

Every opening of the player page and every download is one :class:`EvidenceAccess` row and one audit event,
written together. The media requests of one playback (a browser asks for many byte ranges while seeking) are
not logged one by one: they carry a short-lived signed token naming the logged view (:func:`play_token`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.access import permissions
from sanxiang.access.models import (
    AccessKind,
    AccessPolicy,
    AccessRequest,
    Basis,
    EvidenceAccess,
    RequestState,
)
from sanxiang.access.permissions import Route
from sanxiang.agencies.models import Agency
from sanxiang.audit import services as audit
from sanxiang.audit.events import EventType
from sanxiang.core.due import clocks_changed
from sanxiang.evidence.models import Evidence

MIN_REASON = 5
MAX_REASON = 500
PENDING_HOURS = 24  # a request no leader answered within a day is asked again
PLAY_TOKEN_SECONDS = 4 * 3600  # one playback session; reopening the page logs a new view
_TOKEN_SALT = "sanxiang.access.play"  # noqa: S105 (a namespace for signatures, not a secret)


class ApprovalNeeded(PermissionDenied):
    """The agency's policy asks for a leader's approval, and the user holds none that is valid."""


def clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError(_("请说明调阅理由（至少 %(n)s 个字）。") % {"n": MIN_REASON})
    if len(reason) > MAX_REASON:
        raise ValidationError(_("调阅理由不能超过 %(n)s 个字。") % {"n": MAX_REASON})
    return reason


def _subject_data(evidence: Evidence) -> dict[str, Any]:
    return {
        "case": evidence.case.number if evidence.case is not None else "",
        "name": evidence.original_name,
        "sha256": evidence.blob.sha256,
    }


def _record_access(
    *,
    evidence: Evidence,
    actor: Any,
    kind: AccessKind,
    basis: Basis,
    reason: str,
    access_request: AccessRequest | None,
) -> EvidenceAccess:
    now = timezone.now()
    with transaction.atomic():
        event = audit.record(
            EventType.EVIDENCE_VIEWED if kind == AccessKind.VIEW else EventType.EVIDENCE_DOWNLOADED,
            actor=actor,
            subject=evidence,
            agency=evidence.agency_id,
            data={
                **_subject_data(evidence),
                "basis": str(basis),
                "reason": reason,
                **({"request": access_request.pk} if access_request is not None else {}),
            },
        )
        return EvidenceAccess.objects.create(
            evidence=evidence,
            agency_id=evidence.agency_id,
            user=actor,
            kind=kind,
            basis=basis,
            reason=reason,
            request=access_request,
            accessed_at=now,
            audit_seq=event.seq,
        )


def valid_approval(*, evidence: Evidence, user: Any) -> AccessRequest | None:
    """The user's approved request for this original that still holds, if any."""
    return (
        AccessRequest.objects.filter(
            evidence=evidence,
            requester_id=user.pk,
            state=RequestState.APPROVED,
            valid_until__gte=timezone.now(),
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def evidence_view(*, evidence: Evidence, actor: Any, reason: str = "") -> EvidenceAccess:
    """Open the player page of ``evidence``: on the user's terms (:func:`permissions.access_terms`), logged.

    Raises ``PermissionDenied`` for those who may not, ``ValidationError`` when a reason is due and missing,
    ``ApprovalNeeded`` when the agency wants a leader's approval the user does not hold.
    """
    terms = permissions.require_access(actor, evidence)
    basis = terms.basis or Basis.HANDLER
    approved: AccessRequest | None = None
    if terms.route is Route.APPROVAL:
        approved = valid_approval(evidence=evidence, user=actor)
        if approved is None:
            raise ApprovalNeeded(_("本机关规定非承办人员调阅证据须经机关负责人批准，请先提出申请。"))
        reason = approved.reason
    elif terms.route is Route.REASON:
        reason = clean_reason(reason)
    else:
        reason = " ".join(reason.split())[:MAX_REASON]
    return _record_access(
        evidence=evidence,
        actor=actor,
        kind=AccessKind.VIEW,
        basis=basis,
        reason=reason,
        access_request=approved,
    )


def evidence_download(*, view: EvidenceAccess, actor: Any) -> EvidenceAccess:
    """Download the original from a logged view, on the same terms and for the same reason, logged again."""
    if view.user_id != actor.pk or view.kind != AccessKind.VIEW:
        raise PermissionDenied(_("请从证据调阅页面下载原件。"))
    evidence = view.evidence
    terms = permissions.require_access(actor, evidence)
    if terms.route is Route.APPROVAL and valid_approval(evidence=evidence, user=actor) is None:
        raise ApprovalNeeded(_("调阅批准已过期，请重新申请。"))
    return _record_access(
        evidence=evidence,
        actor=actor,
        kind=AccessKind.DOWNLOAD,
        basis=Basis(view.basis),
        reason=view.reason,
        access_request=view.request,
    )


# --- tokens for the media requests of one logged view ----------------------------------------------------


def play_token(access: EvidenceAccess) -> str:
    return signing.dumps({"a": access.pk, "u": access.user_id}, salt=_TOKEN_SALT)


def access_from_token(token: str, *, user: Any, evidence_pk: int) -> EvidenceAccess | None:
    """The logged view a media request belongs to, or ``None`` if the token is forged, stale or not theirs."""
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT, max_age=PLAY_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != user.pk or not isinstance(payload.get("a"), int):
        return None
    return (
        EvidenceAccess.objects.select_related("evidence__blob", "evidence__case", "request")
        .filter(pk=payload["a"], user_id=user.pk, evidence_id=evidence_pk, kind=AccessKind.VIEW)
        .first()
    )


# --- requests for a leader's approval --------------------------------------------------------------------


def end_of_day(moment: datetime.datetime) -> datetime.datetime:
    """The last microsecond of ``moment``'s day in the deployment's time zone (Beijing time)."""
    local = timezone.localtime(moment)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


@transaction.atomic
def access_request_create(*, evidence: Evidence, actor: Any, reason: str) -> AccessRequest:
    """Ask a leader for leave to open ``evidence``; a request already waiting is returned as it is."""
    terms = permissions.require_access(actor, evidence)
    if terms.route is not Route.APPROVAL:
        raise ValidationError(_("调阅该证据无需负责人批准。"))
    reason = clean_reason(reason)
    access_requests_expire(evidence=evidence, requester=actor)
    waiting = AccessRequest.objects.filter(
        evidence=evidence, requester_id=actor.pk, state=RequestState.PENDING
    ).first()
    if waiting is not None:
        return waiting
    now = timezone.now()
    access_request = AccessRequest.objects.create(
        evidence=evidence,
        requester=actor,
        reason=reason,
        requested_at=now,
        valid_until=now + datetime.timedelta(hours=PENDING_HOURS),
    )
    audit.record(
        EventType.EVIDENCE_ACCESS_REQUESTED,
        actor=actor,
        subject=evidence,
        agency=evidence.agency_id,
        data={**_subject_data(evidence), "request": access_request.pk, "reason": reason},
    )
    clocks_changed(f"access_request:{access_request.pk}")
    return access_request


_TRANSITIONS: dict[tuple[str, str], EventType] = {
    (RequestState.PENDING, RequestState.APPROVED): EventType.EVIDENCE_ACCESS_APPROVED,
    (RequestState.PENDING, RequestState.REFUSED): EventType.EVIDENCE_ACCESS_REFUSED,
    (RequestState.PENDING, RequestState.EXPIRED): EventType.EVIDENCE_ACCESS_EXPIRED,
    (RequestState.APPROVED, RequestState.EXPIRED): EventType.EVIDENCE_ACCESS_EXPIRED,
}


@transaction.atomic
def access_request_transition(
    *, access_request: AccessRequest, target: RequestState, actor: Any = None, note: str = ""
) -> AccessRequest:
    """The one door of a request's state: a leader approves or refuses it, or it lapses (``actor`` None)."""
    locked = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("evidence__blob", "evidence__case")
        .get(pk=access_request.pk)
    )
    event_type = _TRANSITIONS.get((locked.state, target))
    if event_type is None:
        raise ValidationError(
            _("该调阅申请“%(state)s”，不能改为“%(target)s”。")
            % {"state": locked.get_state_display(), "target": RequestState(target).label}
        )
    now = timezone.now()
    note = note.strip()
    if target == RequestState.EXPIRED:
        if locked.valid_until >= now:
            raise ValidationError(_("该调阅申请尚未过期。"))
    else:
        if not permissions.can_decide(actor, locked):
            raise PermissionDenied(_("只有证据所属机关的负责人可以审批调阅申请，且不能审批本人的申请。"))
        if target == RequestState.REFUSED and not note:
            raise ValidationError(_("拒绝调阅申请须写明理由。"))
        if locked.valid_until < now:
            raise ValidationError(_("该调阅申请已过期，请申请人重新申请。"))
        locked.decided_by = actor
        locked.decision_note = note
        if target == RequestState.APPROVED:
            # The approval holds for the rest of the day it was given (Beijing time).
            locked.valid_until = end_of_day(now)
    source = locked.state
    locked.state = target
    locked.decided_at = now
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "valid_until"])
    audit.record(
        event_type,
        actor=actor,
        subject=locked.evidence,
        agency=locked.evidence.agency_id,
        data={
            **_subject_data(locked.evidence),
            "request": locked.pk,
            "requester": locked.requester_id,
            "from": str(source),
            "to": str(target),
            "note": note,
            "valid_until": locked.valid_until.isoformat(),
        },
    )
    clocks_changed(f"access_request:{locked.pk}")
    return locked


def access_requests_expire(
    *, evidence: Evidence | None = None, requester: Any = None, agency_ids: set[int] | None = None
) -> int:
    """Let every waiting or approved request whose time has run out lapse; returns how many did."""
    due = AccessRequest.objects.filter(
        state__in=[RequestState.PENDING, RequestState.APPROVED], valid_until__lt=timezone.now()
    )
    if evidence is not None:
        due = due.filter(evidence=evidence)
    if requester is not None:
        due = due.filter(requester_id=requester.pk)
    if agency_ids is not None:
        due = due.filter(evidence__agency_id__in=agency_ids)
    count = 0
    for access_request in due.order_by("pk"):
        try:
            access_request_transition(access_request=access_request, target=RequestState.EXPIRED)
        except ValidationError:  # decided meanwhile
            continue
        count += 1
    return count


# --- the agency's policy ---------------------------------------------------------------------------------


@transaction.atomic
def access_policy_set(*, agency: Agency, approval_required: bool, actor: Any) -> AccessPolicy:
    """Whether the agency's staff who are not handlers need a leader's approval to open an original."""
    policy, _created = AccessPolicy.objects.select_for_update().get_or_create(agency=agency)
    old = policy.approval_required
    policy.approval_required = approval_required
    policy.changed_at = timezone.now()
    policy.changed_by = actor
    policy.save()
    audit.record(
        EventType.EVIDENCE_ACCESS_POLICY_CHANGED,
        actor=actor,
        subject=agency,
        agency=agency.pk,
        data={"approval_required": {"from": old, "to": approval_required}},
    )
    return policy
