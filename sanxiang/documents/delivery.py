"""Delivery (送达) of issued documents to the party: the receipt, the record, and the Art.61 clock.

行政处罚法 Art.61: a decision is handed to the party when announced; if the party is absent it is delivered
within 七日 (7 working days, Art.85) "依照《中华人民共和国民事诉讼法》的有关规定"; by fax or e-mail only if
the party agrees and signs a 确认书. The 民事诉讼法 (2023) rules this module applies:

====================  =====================================================================================
method                what a delivery needs here
====================  =====================================================================================
直接送达 (Art.87–88)   a 文书送达回执 signed by the recipient on the tablet; the day of that signature is the
                      delivery date (Art.87: 签收日期为送达日期)
留置送达 (Art.89)      a receipt on which the refusal is noted, with the reason (拒收事由) and a witness
邮寄送达 (Art.91)      a receipt and the tracking number; the date on the postal receipt is the delivery date
电子送达 (Art.90)      the party's issued and signed 电子送达地址确认书 (行政处罚法 Art.61) and an address it
                      names; the confirmation takes the place of the paper receipt
委托送达 (Art.88, 91)  a receipt and the body entrusted with it
公告送达 (Art.95)      a receipt, the announcement date and why (原因和经过); delivered 30 days after the
                      announcement (自发出公告之日起，经过三十日，即视为送达), rolled past rest days (Art.85)
====================  =====================================================================================

Two writes: :func:`delivery_receipt_prepare` drafts and issues the 文书送达回执 for one document (through the
documents services, so it is numbered 应急回 and audited as any document), and :func:`delivery_record`
records the delivery on it. In between, the recipient signs the receipt on the tablet
(:func:`sanxiang.documents.signing.signature_hand_sign`) or refuses (留置送达:
:func:`delivery_receipt_prepare` notes the refusal itself). The case's 送达 step (cases/workflow.py) then
finds a delivery of the decision on an issued receipt, or an electronic one on the party's consent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.deadlines import calendar, clocks
from sanxiang.documents import clock, permissions, services, signing
from sanxiang.documents.models import (
    Delivery,
    DeliveryMethod,
    Document,
    DocumentStatus,
    Signature,
    SignerRole,
)

__all__ = [
    "CONSENT_TYPE",
    "DECISION_TYPES",
    "NOTICE_DAYS",
    "RECEIPT_TYPE",
    "DeliveryClock",
    "can_deliver",
    "consents_for",
    "deliveries_of",
    "delivery_clocks_for",
    "delivery_receipt_prepare",
    "delivery_record",
    "notice_delivered_on",
    "receipts_for",
]

RECEIPT_TYPE = "delivery_receipt"
CONSENT_TYPE = "electronic_delivery_consent"
# The decisions whose delivery runs the 7-working-day clock of 行政处罚法 Art.61.
DECISION_TYPES = ("penalty_decision", "no_penalty_decision")
# 民事诉讼法 Art.95: 自发出公告之日起，经过三十日，即视为送达.
NOTICE_DAYS = 30
# The consent's fields that name an electronic address (民事诉讼法 Art.90: 受送达人特定系统).
CONSENT_ADDRESSES = ("email", "fax", "phone")
TEXT_MAX = 100
PLACE_MAX = 200


def _fail(problems: list[str] | str) -> ValidationError:
    return ValidationError(problems if isinstance(problems, list) else [problems])


def _clean(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _in_force(document: Document | None) -> bool:
    return document is not None and document.status == DocumentStatus.ISSUED and not document.is_voided


def _same_matter(a: Document, b: Document) -> bool:
    return (a.case_id, a.inspection_id) == (b.case_id, b.inspection_id)


def _issued_on(document: Document) -> datetime.date | None:
    return timezone.localdate(document.issued_at) if document.issued_at else None


def _party_signed(document: Document) -> Signature | None:
    return next((s for s in document.signatures.all() if s.role == SignerRole.PARTY and not s.refused), None)


def _party_refused(document: Document) -> Signature | None:
    return next((s for s in document.signatures.all() if s.role == SignerRole.PARTY and s.refused), None)


def _lists(receipt: Document, document: Document) -> bool:
    """The receipt names ``document`` among the documents it acknowledges (by number, or title if none)."""
    for item in receipt.fields.get("documents") or []:
        if not isinstance(item, dict):
            continue
        if document.number and item.get("number") == document.number:
            return True
        if not document.number and not item.get("number") and item.get("title") == document.type.title:
            return True
    return False


# ----------------------------------------------------------------------------------------------------
# Predicates and reads


def can_deliver(user: Any, document: Document) -> bool:
    """Handlers of the document's matter (and the staff who sign its type) deliver it; same agency only."""
    return signing.can_take_signatures(user, document)


def _require_deliverer(actor: Any, document: Document) -> None:
    if not can_deliver(actor, document):
        raise permissions.NotPermitted(gettext("只有本案承办人员可以送达文书。"))


def _check_deliverable(document: Document) -> None:
    if not _in_force(document):
        raise _fail(gettext("只能送达已签发且未作废的文书。"))
    if not document.type.party_receives:
        raise _fail(gettext("《%(title)s》不需要送达当事人。") % {"title": document.type.title})
    if document.case is not None and document.case.stage == "archived":
        raise _fail(gettext("案件已归档，不能再登记送达。"))


def deliveries_of(document: Document) -> list[Delivery]:
    """The deliveries recorded for ``document``, oldest first, with their receipt and consent."""
    return list(
        Delivery.objects.filter(document=document)
        .select_related("receipt", "consent", "recorded_by")
        .order_by("delivered_on", "pk")
    )


def _matter(document: Document) -> Q:
    if document.case_id is not None:
        return Q(case_id=document.case_id)
    return Q(inspection_id=document.inspection_id, case__isnull=True)


def receipts_for(document: Document) -> list[Document]:
    """Issued, not voided 文书送达回执 of the matter that list ``document``, newest first."""
    rows = (
        Document.objects.filter(
            _matter(document),
            type__key=RECEIPT_TYPE,
            status=DocumentStatus.ISSUED,
            void__isnull=True,
        )
        .select_related("type")
        .prefetch_related("signatures", "receipt_of")
        .order_by("-issued_at", "-pk")
    )
    return [r for r in rows if _lists(r, document)]


def consents_for(document: Document) -> list[Document]:
    """Issued, not voided 电子送达地址确认书 of the matter that the party signed and that say it consents."""
    rows = (
        Document.objects.filter(
            _matter(document),
            type__key=CONSENT_TYPE,
            status=DocumentStatus.ISSUED,
            void__isnull=True,
        )
        .select_related("type")
        .prefetch_related("signatures")
        .order_by("-issued_at", "-pk")
    )
    return [c for c in rows if c.fields.get("consents") is True and _party_signed(c) is not None]


def consent_addresses(consent: Document) -> list[str]:
    """The electronic addresses the consent names (e-mail, fax, phone), in that order."""
    return [
        str(consent.fields[k]).strip() for k in CONSENT_ADDRESSES if str(consent.fields.get(k) or "").strip()
    ]


def notice_delivered_on(announced_on: datetime.date) -> datetime.date:
    """The day a 公告送达 counts as delivered: 30 days after the announcement, the announcement day not
    counted, rolled to the next working day if that is a rest day (民事诉讼法 Art.95 with Art.85)."""
    return calendar.add_calendar_days(announced_on, NOTICE_DAYS)


# ----------------------------------------------------------------------------------------------------
# The receipt


@transaction.atomic
def delivery_receipt_prepare(
    *,
    actor: Any,
    document: Document,
    method: str,
    recipient: str,
    place: str,
    delivered_at: datetime.datetime | None = None,
    witness_name: str = "",
    reason: str = "",
) -> Document:
    """Draft and issue the 文书送达回执 for ``document`` (numbered 应急回), listing it alone.

    For a 留置送达 the refusal is noted on the receipt at once: the reason (拒收事由) and the witness
    (民事诉讼法 Art.89), as a refused party signature. For an electronic delivery there is no receipt: the
    party's 电子送达地址确认书 stands in for it (行政处罚法 Art.61).
    """
    _check_deliverable(document)
    _require_deliverer(actor, document)
    recipient, place = _clean(recipient), _clean(place)
    witness, reason = _clean(witness_name), _clean(reason)
    problems: list[str] = []
    if method not in DeliveryMethod.values:
        problems.append(gettext("送达方式无效。"))
    elif method == DeliveryMethod.ELECTRONIC:
        problems.append(gettext("电子送达以当事人签署的电子送达地址确认书代替送达回执，无需制作回执。"))
    if not recipient:
        problems.append(gettext("请填写受送达人。"))
    elif len(recipient) > TEXT_MAX:
        problems.append(gettext("受送达人不能超过%(n)d个字。") % {"n": TEXT_MAX})
    if not place:
        problems.append(gettext("请填写送达地点。"))
    elif len(place) > PLACE_MAX:
        problems.append(gettext("送达地点不能超过%(n)d个字。") % {"n": PLACE_MAX})
    if method == DeliveryMethod.LEFT_AT_ADDRESS:
        if not witness:
            problems.append(gettext("留置送达须有见证人（民事诉讼法第八十九条）。"))
        if not reason:
            problems.append(gettext("留置送达须写明拒收事由（民事诉讼法第八十九条）。"))
    moment = delivered_at or clock.now()
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    issued_on = _issued_on(document)
    if moment.date() > clock.today():
        problems.append(gettext("送达时间不能晚于今天。"))
    elif issued_on and moment.date() < issued_on:
        problems.append(gettext("送达时间不能早于文书签发日期。"))
    if problems:
        raise _fail(problems)
    values: dict[str, Any] = {
        "recipient": recipient,
        "documents": [{"title": document.type.title, "number": document.number}],
        "place": place,
        "method": method,
        "delivered_at": moment.strftime("%Y-%m-%dT%H:%M"),
    }
    if method == DeliveryMethod.LEFT_AT_ADDRESS:
        values.update({"witness": witness, "left_note": reason})
    receipt = services.document_draft(
        actor=actor,
        type_key=RECEIPT_TYPE,
        case=document.case,
        inspection=document.inspection,
        fields=values,
    )
    receipt = services.document_issue(actor=actor, document=receipt)
    if method == DeliveryMethod.LEFT_AT_ADDRESS:
        signing.signature_refusal_record(
            actor=actor,
            document=receipt,
            role=SignerRole.PARTY,
            signer_name=recipient,
            note=reason,
            witness_name=witness,
        )
    return receipt


# ----------------------------------------------------------------------------------------------------
# The delivery


def _check_receipt(
    receipt: Document | None, document: Document, method: str, delivered_on: datetime.date | None
) -> list[str]:
    if receipt is None:
        return [gettext("请选择已签发的文书送达回执（民事诉讼法第八十七条：送达须有送达回证）。")]
    if (
        not _in_force(receipt)
        or receipt.type.key != RECEIPT_TYPE
        or not _same_matter(receipt, document)
        or not _lists(receipt, document)
    ):
        return [gettext("送达回执须为本案已签发、且载明该文书的文书送达回执。")]
    problems: list[str] = []
    if receipt.fields.get("method") != method:
        problems.append(gettext("送达回执载明的送达方式与本次送达方式不一致。"))
    if Delivery.objects.filter(document=document, receipt=receipt).exists():
        problems.append(gettext("该送达回执已用于登记本文书的送达。"))
    if method == DeliveryMethod.DIRECT:
        signed = _party_signed(receipt)
        if signed is None:
            problems.append(gettext("直接送达须由受送达人在送达回执上签收（民事诉讼法第八十七条）。"))
        elif delivered_on is not None and timezone.localdate(signed.signed_at) != delivered_on:
            problems.append(
                gettext(
                    "直接送达以受送达人在送达回执上签收的日期（%(day)s）为送达日期（民事诉讼法第八十七条）。"
                )
                % {"day": timezone.localdate(signed.signed_at).isoformat()}
            )
    if method == DeliveryMethod.LEFT_AT_ADDRESS:
        refused = _party_refused(receipt)
        if refused is None:
            problems.append(gettext("留置送达须在送达回执上记明拒收事由和见证人（民事诉讼法第八十九条）。"))
        elif delivered_on is not None and timezone.localdate(refused.signed_at) != delivered_on:
            problems.append(
                gettext("留置送达的送达日期为在送达回执上记明拒收的日期（%(day)s）（民事诉讼法第八十九条）。")
                % {"day": timezone.localdate(refused.signed_at).isoformat()}
            )
    return problems


def _check_consent(consent: Document | None, document: Document, place: str) -> list[str]:
    if (
        consent is None
        or not _in_force(consent)
        or consent.type.key != CONSENT_TYPE
        or not _same_matter(consent, document)
        or consent.fields.get("consents") is not True
        or _party_signed(consent) is None
    ):
        return [gettext("电子送达须有当事人同意并签名的电子送达地址确认书（行政处罚法第六十一条）。")]
    addresses = consent_addresses(consent)
    if not place:
        return [gettext("请填写电子送达地址。")]
    if place not in addresses:
        return [
            gettext("电子送达地址须为确认书载明的地址：%(addresses)s。")
            % {"addresses": "、".join(addresses) or gettext("（确认书未载明地址）")}
        ]
    return []


def _check_notice(
    problems: list[str],
    announced_on: Any,
    delivered_on: Any,
    reason: str,
    issued_on: datetime.date | None,
    today: datetime.date,
) -> datetime.date | None:
    """Check a 公告送达 (民事诉讼法 Art.95) into ``problems``; return its delivery date or None."""
    if not reason:
        problems.append(gettext("公告送达须写明公告的原因和经过（民事诉讼法第九十五条）。"))
    if not _is_date(announced_on):
        problems.append(gettext("公告送达须填写公告日期。"))
        return None
    if issued_on and announced_on < issued_on:
        problems.append(gettext("公告日期不能早于文书签发日期。"))
    if announced_on > today:
        problems.append(gettext("公告日期不能晚于今天。"))
    try:
        deemed = notice_delivered_on(announced_on)
    except calendar.CalendarMissing as missing:
        problems.append(str(missing))
        return None
    if delivered_on is not None and delivered_on != deemed:
        problems.append(
            gettext(
                "公告送达自发出公告之日起经过三十日视为送达，送达日期应为%(day)s（民事诉讼法第九十五条）。"
            )
            % {"day": deemed.isoformat()}
        )
    return deemed


@transaction.atomic
def delivery_record(
    *,
    actor: Any,
    document: Document,
    method: str,
    delivered_on: datetime.date | None,
    recipient: str,
    receipt: Document | None = None,
    consent: Document | None = None,
    place: str = "",
    tracking_number: str = "",
    witness_name: str = "",
    reason: str = "",
    announced_on: datetime.date | None = None,
    entrusted_to: str = "",
    note: str = "",
) -> Delivery:
    """Record one delivery of the issued ``document`` by ``method``; see the module docstring per method.

    Every problem is named in Chinese at once and nothing is written. ``delivered_on`` is not in the future
    and not before the document was issued. For a 公告送达 it may be None: it is then the day the announcement
    counts as delivered (:func:`notice_delivered_on`), and a given date must be that day.
    """
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("type", "agency", "case", "inspection")
        .get(pk=document.pk)
    )
    _check_deliverable(locked)
    _require_deliverer(actor, locked)
    problems: list[str] = []
    recipient, place = _clean(recipient), _clean(place)
    tracking, witness = _clean(tracking_number), _clean(witness_name)
    reason, entrusted_to, note = _clean(reason), _clean(entrusted_to), _clean(note)
    issued_on = _issued_on(locked)
    today = clock.today()
    if method not in DeliveryMethod.values:
        raise _fail(gettext("送达方式无效。"))
    if not recipient:
        problems.append(gettext("请填写受送达人。"))
    elif len(recipient) > TEXT_MAX:
        problems.append(gettext("受送达人不能超过%(n)d个字。") % {"n": TEXT_MAX})
    if len(place) > PLACE_MAX:
        problems.append(gettext("送达地点不能超过%(n)d个字。") % {"n": PLACE_MAX})

    if method == DeliveryMethod.PUBLIC_NOTICE:
        delivered_on = _check_notice(problems, announced_on, delivered_on, reason, issued_on, today)
    elif not _is_date(delivered_on):
        problems.append(gettext("请填写送达日期。"))
        delivered_on = None
    if delivered_on is not None:
        if issued_on and delivered_on < issued_on:
            problems.append(
                gettext("送达日期不能早于文书签发日期（%(day)s）。") % {"day": issued_on.isoformat()}
            )
        if delivered_on > today and method == DeliveryMethod.PUBLIC_NOTICE:
            problems.append(
                gettext("公告期尚未届满：%(day)s起视为送达，届时再登记。") % {"day": delivered_on.isoformat()}
            )
        elif delivered_on > today:
            problems.append(gettext("送达日期不能晚于今天。"))

    if method == DeliveryMethod.ELECTRONIC:
        problems.extend(_check_consent(consent, locked, place))
        if receipt is not None:
            problems.append(gettext("电子送达以电子送达地址确认书代替送达回执，不再选择回执。"))
    else:
        problems.extend(_check_receipt(receipt, locked, method, delivered_on))
        if receipt is not None and not place:
            place = _clean(receipt.fields.get("place"))
    if method == DeliveryMethod.LEFT_AT_ADDRESS and receipt is not None:
        refused = _party_refused(receipt)
        witness = witness or (refused.witness_name if refused else "")
        reason = reason or (refused.refusal_note if refused else "")
        if not witness:
            problems.append(gettext("留置送达须有见证人（民事诉讼法第八十九条）。"))
        if not reason:
            problems.append(gettext("留置送达须写明拒收事由（民事诉讼法第八十九条）。"))
    if method == DeliveryMethod.MAIL and not tracking:
        problems.append(gettext("邮寄送达须填写邮件单号。"))
    if method == DeliveryMethod.ENTRUSTED and not entrusted_to:
        problems.append(gettext("委托送达须写明受委托送达的单位。"))
    if len(tracking) > 60 or len(witness) > 60 or len(entrusted_to) > TEXT_MAX:
        problems.append(gettext("邮件单号、见证人或受委托单位过长。"))
    if problems or delivered_on is None:
        raise _fail(problems)
    delivery = Delivery.objects.create(
        document=locked,
        method=method,
        delivered_on=delivered_on,
        recipient=recipient,
        tracking_number=tracking if method == DeliveryMethod.MAIL else "",
        witness_name=witness if method == DeliveryMethod.LEFT_AT_ADDRESS else "",
        place=place,
        reason=reason if method in (DeliveryMethod.LEFT_AT_ADDRESS, DeliveryMethod.PUBLIC_NOTICE) else "",
        announced_on=announced_on if method == DeliveryMethod.PUBLIC_NOTICE else None,
        entrusted_to=entrusted_to if method == DeliveryMethod.ENTRUSTED else "",
        consent=consent if method == DeliveryMethod.ELECTRONIC else None,
        receipt=receipt if method != DeliveryMethod.ELECTRONIC else None,
        note=note,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit.record(
        audit.EventType.DOCUMENT_DELIVERED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={
            "document": locked.pk,
            "type": locked.type.key,
            "number": locked.number,
            "case": locked.case_id,
            "inspection": locked.inspection_id,
            "delivery": delivery.pk,
            "method": method,
            "delivered_on": delivered_on.isoformat(),
            "receipt": delivery.receipt_id,
            "consent": delivery.consent_id,
        },
    )
    return delivery


# ----------------------------------------------------------------------------------------------------
# The clock of Art.61 for the case's documents panel


@dataclass(frozen=True)
class DeliveryClock:
    """A decision issued and not yet delivered: when it is due (行政处罚法 Art.61) and how long is left.

    ``working_days_left`` counts working days after today up to the due day (0 on the due day); once the
    day has passed, ``days_overdue`` counts calendar days since. ``error`` names a missing holiday table.
    """

    document: Document
    due: datetime.date | None
    working_days_left: int | None
    days_overdue: int
    error: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def _decided_on(case: Any, document: Document) -> datetime.date | None:
    if case.decided_on is not None:
        return case.decided_on
    raw = document.fields.get("decided_on")
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else _issued_on(document)
    except ValueError:
        return _issued_on(document)


def delivery_clocks_for(case: Any, *, today: datetime.date | None = None) -> list[DeliveryClock]:
    """One clock per issued, not voided decision of ``case`` that has no delivery yet.

    The due day is the case's own ``delivery_due_on`` (set when the decision was made, 行政处罚法 Art.61 read
    with Art.85); before the case records its decision, 7 working days from the decision's date.
    """
    if case is None:
        return []
    day = today or clock.today()
    decisions = (
        Document.objects.filter(
            case=case, type__key__in=DECISION_TYPES, status=DocumentStatus.ISSUED, void__isnull=True
        )
        .select_related("type")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.only("pk", "document_id")))
        .order_by("issued_at", "pk")
    )
    out: list[DeliveryClock] = []
    for document in decisions:
        if document.is_delivered():
            continue
        try:
            due = case.delivery_due_on
            if due is None:
                decided_on = _decided_on(case, document)
                due = clocks.delivery_due(decided_on) if decided_on else None
            if due is None:
                continue
            left = calendar.working_days_between(day, due) if due >= day else None
        except calendar.CalendarMissing as missing:
            out.append(DeliveryClock(document, None, None, 0, str(missing)))
            continue
        out.append(DeliveryClock(document, due, left, (day - due).days if due < day else 0))
    return out
