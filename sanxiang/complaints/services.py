"""The writes of complaints (投诉举报): filing by the public, then accept, answer or decline by staff.

Each function is one transaction: it locks the complaint, checks the actor and the step, writes a
:class:`ComplaintStep`, changes the status, records the audit event and recomputes the complaint's clock
(its answer is due within ``settings.COMPLAINT_RESPONSE_DAYS`` working days, shown on "my work").
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Agency
from sanxiang.audit import services as audit
from sanxiang.audit.events import EventType
from sanxiang.complaints import permissions
from sanxiang.complaints.models import (
    Complaint,
    ComplaintAction,
    ComplaintKind,
    ComplaintStatus,
    ComplaintStep,
)
from sanxiang.core.due import clocks_changed
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.deadlines.clocks import complaint_response_due

__all__ = [
    "complaint_accept",
    "complaint_answer",
    "complaint_decline",
    "complaint_file",
    "new_tracking_code",
    "normalise_tracking_code",
    "tracking_sha256",
]

# Crockford's base32 (no I, L, O, U): 12 characters, 60 bits, printed as three groups of four.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_CODE_LENGTH = 12


def new_tracking_code() -> str:
    plain = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(plain[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalise_tracking_code(text: str) -> str:
    """The code as printed, from what a person typed (case, spaces, hyphens, look-alike letters)."""
    plain = "".join(c for c in unicodedata.normalize("NFKC", text).upper() if c.isalnum()).translate(_READ_AS)
    if len(plain) != _CODE_LENGTH:
        return plain
    return "-".join(plain[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def tracking_sha256(code: str) -> str:
    return hashlib.sha256(normalise_tracking_code(code).encode()).hexdigest()


def _response_due(received_on: datetime.date) -> tuple[datetime.date, bool]:
    """The answer's due day; without the year's holiday table, Monday to Friday only and provisional."""
    days = int(getattr(settings, "COMPLAINT_RESPONSE_DAYS", 15))
    try:
        return complaint_response_due(received_on, days), False
    except CalendarMissing:
        day, left = received_on, days
        while left:
            day += datetime.timedelta(days=1)
            left -= day.weekday() < 5
        return day, True


def _required(value: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过 %(limit)d 字。") % {"label": label, "limit": limit})
    return text


@transaction.atomic
def complaint_file(
    *,
    agency: Agency,
    kind: str,
    subject: str,
    content: str,
    place: str = "",
    name: str = "",
    phone: str = "",
    tracking_code: str | None = None,
    received_at: datetime.datetime | None = None,
) -> tuple[Complaint, str]:
    """File a complaint from the public; returns it and its tracking code, which is shown once.

    A complaint (投诉) needs a way to answer the person: a name and a phone. A report (举报) may be anonymous.
    ``tracking_code`` and ``received_at`` are for the demo's fixed data; the portal passes neither.
    """
    if kind not in ComplaintKind.values:
        raise ValidationError(_("请选择投诉或举报。"))
    subject = _required(subject, _("被投诉举报的单位或人员"), 200)
    content = _required(content, _("事项和理由"), 5000)
    name, phone, place = name.strip()[:40], phone.strip()[:40], place.strip()[:200]
    if kind == ComplaintKind.COMPLAINT and not (name and phone):
        raise ValidationError(_("投诉需留下姓名和联系电话，以便答复；匿名反映问题请选择“举报”。"))
    code = normalise_tracking_code(tracking_code) if tracking_code else new_tracking_code()
    now = received_at or timezone.now()
    due, provisional = _response_due(timezone.localdate(now))
    complaint = Complaint.objects.create(
        agency=agency,
        kind=kind,
        subject=subject,
        content=content,
        place=place,
        name=name,
        phone=phone,
        tracking_sha256=tracking_sha256(code),
        received_at=now,
        response_due_on=due,
        response_due_provisional=provisional,
    )
    ComplaintStep.objects.create(
        complaint=complaint, action=ComplaintAction.FILE, target=ComplaintStatus.RECEIVED, at=now
    )
    # Only metadata: the content and the person's details stay out of the log.
    audit.record(
        EventType.COMPLAINT_FILED,
        subject=complaint,
        agency=agency,
        data={"kind": kind, "anonymous": not name, "due": due.isoformat()},
    )
    clocks_changed(f"complaint:{complaint.pk}")
    return complaint, code


_STEPS: dict[str, tuple[tuple[str, ...], str, EventType]] = {
    ComplaintAction.ACCEPT: (
        (ComplaintStatus.RECEIVED,),
        ComplaintStatus.ACCEPTED,
        EventType.COMPLAINT_ACCEPTED,
    ),
    ComplaintAction.ANSWER: (
        (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED),
        ComplaintStatus.ANSWERED,
        EventType.COMPLAINT_ANSWERED,
    ),
    ComplaintAction.DECLINE: (
        (ComplaintStatus.RECEIVED,),
        ComplaintStatus.DECLINED,
        EventType.COMPLAINT_DECLINED,
    ),
}


def _step(*, complaint: Complaint, actor: Any, action: str, note: str) -> ComplaintStep:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not permissions.can_handle(actor, complaint):
        raise PermissionDenied(_("只有受理机关的承办股室负责人、机关负责人可以办理投诉举报。"))
    sources, target, event = _STEPS[action]
    if complaint.status not in sources:
        raise ValidationError(
            _("该投诉举报当前状态为“%(status)s”，不能“%(action)s”。")
            % {"status": complaint.get_status_display(), "action": ComplaintAction(action).label}
        )
    now = timezone.now()
    step = ComplaintStep.objects.create(
        complaint=complaint,
        action=action,
        source=complaint.status,
        target=target,
        actor=actor,
        at=now,
        note=note,
    )
    complaint.status = target
    fields = ["status"]
    if target in (ComplaintStatus.ANSWERED, ComplaintStatus.DECLINED):
        complaint.answered_on = timezone.localdate(now)
        fields.append("answered_on")
    complaint.save(update_fields=fields)
    audit.record(
        event,
        actor=actor,
        subject=complaint,
        data={
            "from": step.source,
            "to": target,
            "on_time": timezone.localdate(now) <= complaint.response_due_on,
        },
    )
    clocks_changed(f"complaint:{complaint.pk}")
    return step


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor: Any, note: str = "") -> ComplaintStep:
    """受理: the agency takes the matter up; the answer is still due by ``response_due_on``."""
    return _step(complaint=complaint, actor=actor, action=ComplaintAction.ACCEPT, note=note.strip())


@transaction.atomic
def complaint_answer(*, complaint: Complaint, actor: Any, answer: str) -> ComplaintStep:
    """答复: the answer the person reads with the tracking code; it closes the complaint."""
    text = _required(answer, _("答复内容"), 5000)
    return _step(complaint=complaint, actor=actor, action=ComplaintAction.ANSWER, note=text)


@transaction.atomic
def complaint_decline(*, complaint: Complaint, actor: Any, reason: str) -> ComplaintStep:
    """不予受理, with the reason the person reads (e.g. not this agency's duty, and which one it is)."""
    text = _required(reason, _("不予受理的理由"), 2000)
    return _step(complaint=complaint, actor=actor, action=ComplaintAction.DECLINE, note=text)
