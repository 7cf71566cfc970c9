"""The delivery page of one document: its deliveries, its receipts and their signatures, and the two forms.

Delivery is two steps (see :mod:`sanxiang.documents.delivery`): make the 文书送达回执 (for a 留置送达 the
refusal is noted on it at once), have the recipient sign it on the pad where the method asks for it, then
record the delivery on it; an electronic delivery rests on the party's signed 电子送达地址确认书 instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.cases import av_rules
from sanxiang.documents import clock, delivery
from sanxiang.documents.forms_signing import DeliveryForm, ReceiptForm
from sanxiang.documents.models import Delivery, DeliveryMethod, Document, SignerRole
from sanxiang.documents.views_signing import add_errors, back_url, document_for
from sanxiang.evidence.models import RecordedAct

__all__ = ["delivery_page", "delivery_receipt"]


def _recipient(document: Document) -> str:
    party = document.fields.get("party") or document.fields.get("unit")
    if isinstance(party, dict) and party.get("name"):
        return str(party["name"])
    if document.case is not None:
        link = document.case.case_parties.select_related("party").first()
        if link is not None:
            return str(link.party.name)
    return ""


def _address(document: Document) -> str:
    party = document.fields.get("party") or document.fields.get("unit")
    return str(party.get("address") or "") if isinstance(party, dict) else ""


def _method_label(value: Any) -> str:
    return str(DeliveryMethod(value).label) if value in DeliveryMethod.values else str(value or "")


def _unused(document: Document, receipts: list[Document]) -> list[Document]:
    """The receipts not yet used for a delivery of ``document`` (a receipt serves one delivery of it)."""
    return [r for r in receipts if all(d.document_id != document.pk for d in r.receipt_of.all())]


def _receipt_rows(document: Document, receipts: list[Document]) -> list[dict[str, Any]]:
    rows = []
    for receipt in receipts:
        signatures = list(receipt.signatures.all())
        rows.append(
            {
                "receipt": receipt,
                "method_label": _method_label(receipt.fields.get("method")),
                "signed": [s for s in signatures if s.role == SignerRole.PARTY and not s.refused],
                "refused": [s for s in signatures if s.role == SignerRole.PARTY and s.refused],
                "used": any(d.document_id == document.pk for d in receipt.receipt_of.all()),
            }
        )
    return rows


# 留置送达 and 公告送达 may cause disputes: 国办发〔2018〕118号 recommends recording them on video.
AV_RECOMMENDED_METHODS = (DeliveryMethod.LEFT_AT_ADDRESS, DeliveryMethod.PUBLIC_NOTICE)


def _av_warnings(document: Document, deliveries: list[Delivery]) -> list[tuple[Delivery, str]]:
    """The deliveries by 留置送达 or 公告送达 with no AV record of the case's 送达 on their day, and why.

    A 公告送达 is recorded on the day the notice was posted, a 留置送达 on the day the document was left.
    """
    warnings = []
    for row in deliveries:
        if row.method not in AV_RECOMMENDED_METHODS:
            continue
        day = row.announced_on if row.method == DeliveryMethod.PUBLIC_NOTICE else row.delivered_on
        warning = av_rules.av_warning(document.case, RecordedAct.DELIVERY, day or row.delivered_on)
        if warning:
            warnings.append((row, warning))
    return warnings


def _context(
    request: HttpRequest,
    document: Document,
    *,
    receipt_form: ReceiptForm | None = None,
    delivery_form: DeliveryForm | None = None,
) -> dict[str, Any]:
    receipts = delivery.receipts_for(document)
    unused = _unused(document, receipts)
    consents = delivery.consents_for(document)
    may = (
        document.is_in_force and document.type.party_receives and delivery.can_deliver(request.user, document)
    )
    recipient = _recipient(document)
    now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    deliveries = delivery.deliveries_of(document)
    context: dict[str, Any] = {
        "document": document,
        "deliveries": deliveries,
        "av_warnings": _av_warnings(document, deliveries),
        "receipts": _receipt_rows(document, receipts),
        "consents": consents,
        "may_deliver": may,
        "back": back_url(document),
    }
    if may:
        context["receipt_form"] = receipt_form or ReceiptForm(
            initial={
                "method": "direct",
                "recipient": recipient,
                "place": _address(document),
                "delivered_at": now,
            }
        )
        context["delivery_form"] = delivery_form or DeliveryForm(
            receipts=unused,
            consents=consents,
            initial={
                "recipient": recipient,
                "delivered_on": clock.today(),
                "receipt": unused[0].pk if unused else None,
                "method": unused[0].fields.get("method") if unused else "direct",
            },
        )
    return context


def _require(request: HttpRequest, document: Document) -> None:
    if not delivery.can_deliver(request.user, document):
        raise PermissionDenied(_("只有本案承办人员可以送达文书。"))


@login_required
@require_http_methods(["GET", "POST"])
def delivery_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the deliveries and receipts of the document; POST: record a delivery (登记送达)."""
    document = document_for(request, pk)
    if request.method == "GET":
        return render(request, "documents/delivery/page.html", _context(request, document))
    _require(request, document)
    receipts = _unused(document, delivery.receipts_for(document))
    consents = delivery.consents_for(document)
    form = DeliveryForm(request.POST, receipts=receipts, consents=consents)
    if form.is_valid():
        data = form.cleaned_data
        try:
            delivery.delivery_record(
                actor=request.user,
                document=document,
                method=data["method"],
                delivered_on=data["delivered_on"],
                recipient=data["recipient"],
                receipt=data["receipt"],
                consent=data["consent"],
                place=data["place"],
                tracking_number=data["tracking_number"],
                witness_name=data["witness_name"],
                reason=data["reason"],
                announced_on=data["announced_on"],
                entrusted_to=data["entrusted_to"],
                note=data["note"],
            )
        except ValidationError as refused:
            add_errors(form, refused)
        else:
            messages.success(request, _("送达已登记。"))
            return redirect(reverse("documents:delivery", args=[document.pk]))
    context = _context(request, document, delivery_form=form)
    return render(request, "documents/delivery/page.html", context, status=400)


@login_required
@require_POST
def delivery_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Make and issue the document's 文书送达回执; then the recipient signs it (or the refusal is noted)."""
    document = document_for(request, pk)
    _require(request, document)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            receipt = delivery.delivery_receipt_prepare(
                actor=request.user, document=document, **form.cleaned_data
            )
        except ValidationError as refused:
            add_errors(form, refused)
        else:
            messages.success(
                request,
                _("文书送达回执%(number)s已签发。") % {"number": receipt.number},
            )
            if form.cleaned_data["method"] in ("direct", "entrusted"):
                pad = reverse("documents:signature_pad", args=[receipt.pk])
                back = reverse("documents:delivery", args=[document.pk])
                return redirect(f"{pad}?next={back}")
            return redirect(reverse("documents:delivery", args=[document.pk]))
    context = _context(request, document, receipt_form=form)
    return render(request, "documents/delivery/page.html", context, status=400)
