"""Signing pages: the signature pad the party signs on, staff signing by account, recording a refusal.

The pad is a staff page: the officer opens it on a logged-in tablet and hands the tablet to the party. Each
view parses, checks permission, calls the service in :mod:`sanxiang.documents.signing` and renders; a refused
form shows its Chinese message where it was typed and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.documents import permissions, signing
from sanxiang.documents.forms_signing import HandSignatureForm, RefusalForm, StaffSignForm
from sanxiang.documents.models import Document, Signature, SignerRole

__all__ = [
    "add_errors",
    "back_url",
    "document_for",
    "preview_rows",
    "safe_next",
    "signature_image",
    "signature_pad",
    "signature_refusal",
    "signature_staff",
    "signatures_panel",
]


def document_for(request: HttpRequest, pk: int) -> Document:
    """The document if the user may see its case or inspection; another agency's is "not found"."""
    document = (
        Document.objects.select_related("type", "agency", "case", "inspection", "case__agency")
        .filter(pk=pk)
        .first()
    )
    if document is None or not permissions.can_view_document(request.user, document):
        raise Http404(_("未找到该文书。"))
    if document.case is not None and request.method == "GET":
        from sanxiang.cases.services import case_record_access

        # A read from outside the agency (a supervisor's 调阅) is logged like a read of the case itself.
        case_record_access(case=document.case, actor=request.user, purpose=f"document:{document.pk}")
    return document


def back_url(document: Document) -> str:
    """Where the officer returns after signing: the document's page, else its case or inspection."""
    for name, arg in (
        ("documents:detail", document.pk),
        ("cases:detail", document.case_id),
        ("inspections:detail", document.inspection_id),
    ):
        if arg is None:
            continue
        try:
            return reverse(name, args=[arg])
        except NoReverseMatch:
            continue
    return reverse("accounts:home")


def safe_next(request: HttpRequest) -> str:
    """The page to return to, if it is one of ours (never another site's)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _party_names(document: Document) -> list[str]:
    """Names the pad offers: the case's parties and their legal representatives, the document's party."""
    names: list[str] = []
    if document.case is not None:
        for link in document.case.case_parties.select_related("party"):
            names += [link.party.name, link.party.legal_representative or ""]
    elif document.inspection is not None and getattr(document.inspection, "party", None) is not None:
        party = document.inspection.party
        names += [party.name, party.legal_representative or ""]
    for key in ("party", "unit"):
        value = document.fields.get(key)
        if isinstance(value, dict):
            names += [str(value.get("name") or ""), str(value.get("legal_representative") or "")]
    recipient = document.fields.get("recipient")
    if isinstance(recipient, str):
        names.append(recipient)
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def preview_rows(document: Document) -> list[tuple[str, str]]:
    """What is being signed, as label and printed text per field of the type (the seal position left out)."""
    from sanxiang.documents.rendering.adapter import format_value

    rows: list[tuple[str, str]] = []
    for spec in document.type.fields:
        if spec.get("name") == "seal":
            continue
        try:
            text = format_value(spec, document.fields.get(spec["name"]))
        except ValueError:
            text = str(document.fields.get(spec["name"]) or "")
        if text:
            rows.append((str(spec.get("label") or spec["name"]), text))
    return rows


def panel_context(request: HttpRequest, document: Document) -> dict[str, Any]:
    """What the signatures section shows and offers to ``request.user``."""
    roles = signing.staff_roles_for(request.user, document)
    signatures = signing.signatures_of(document)
    mine = {s.role for s in signatures if s.user_id == request.user.pk and not s.refused}
    open_roles = [r for r in roles if r not in mine]
    open_to_acts = signing.open_to_acts(document)
    can_take = open_to_acts and signing.can_take_signatures(request.user, document)
    return {
        "document": document,
        "signatures": signatures,
        "staff_form": StaffSignForm(roles=open_roles) if open_roles and open_to_acts else None,
        "can_pad": can_take and bool(signing.hand_roles_for(document)),
        "can_refuse": can_take and bool(signing.refusing_roles_for(document)),
        "expected": [str(SignerRole(r).label) for r in document.type.signers if r in SignerRole.values],
    }


@login_required
@require_GET
def signatures_panel(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request, pk)
    return render(request, "documents/signing/_signatures.html", panel_context(request, document))


@login_required
@require_POST
def signature_staff(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the logged-in officer (or reviewer, leader) signs the document in the chosen role."""
    document = document_for(request, pk)
    roles = signing.staff_roles_for(request.user, document)
    if not roles:
        raise PermissionDenied(_("您不能签署该文书。"))
    form = StaffSignForm(request.POST, roles=roles)
    error = ""
    if form.is_valid():
        try:
            signing.signature_staff_sign(
                actor=request.user, document=document, role=form.cleaned_data["role"]
            )
        except ValidationError as refused:
            error = "；".join(refused.messages)
    else:
        error = _("请选择签名身份。")
    if _is_htmx(request):
        context = panel_context(request, document)
        context["error"] = error
        return render(request, "documents/signing/_signatures.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已签名。"))
    return redirect(back_url(document))


@login_required
@require_http_methods(["GET", "POST"])
def signature_pad(request: HttpRequest, pk: int) -> HttpResponse:
    """The signature pad for the party (or the inspected unit's head, a witness) on the officer's tablet."""
    document = document_for(request, pk)
    if not signing.can_take_signatures(request.user, document):
        raise PermissionDenied(_("只有本案承办人员或签署该文书的本机关人员可以请当事人签名。"))
    roles = signing.hand_roles_for(document)
    if not roles:
        raise Http404(_("该文书不需要手写签名。"))
    initial = {"role": roles[0]}
    form = HandSignatureForm(request.POST or None, roles=roles, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signing.signature_hand_sign(
                    actor=request.user,
                    document=document,
                    role=form.cleaned_data["role"],
                    signer_name=form.cleaned_data["signer_name"],
                    data_url=form.cleaned_data["signature"],
                )
            except ValidationError as refused:
                add_errors(form, refused)
            else:
                messages.success(
                    request,
                    _("%(name)s已在《%(title)s》上签名。")
                    % {"name": form.cleaned_data["signer_name"], "title": document.type.title},
                )
                return redirect(safe_next(request) or back_url(document))
        status = 400
    context = {
        "document": document,
        "form": form,
        "rows": preview_rows(document),
        "names": _party_names(document),
        "back": safe_next(request) or back_url(document),
        "next": safe_next(request),
        "signatures": signing.signatures_of(document),
    }
    return render(request, "documents/signing/pad.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def signature_refusal(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a refusal to sign, with the officer's note and a witness."""
    document = document_for(request, pk)
    if not signing.can_take_signatures(request.user, document):
        raise PermissionDenied(_("只有本案承办人员或签署该文书的本机关人员可以登记拒签。"))
    roles = signing.refusing_roles_for(document)
    if not roles:
        raise Http404(_("该文书没有可登记拒签的签名人。"))
    names = _party_names(document)
    initial = {"role": roles[0], "signer_name": names[0] if names else ""}
    form = RefusalForm(request.POST or None, roles=roles, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signing.signature_refusal_record(actor=request.user, document=document, **form.cleaned_data)
            except ValidationError as refused:
                add_errors(form, refused)
            else:
                messages.success(request, _("拒绝签名的情况已登记。"))
                return redirect(back_url(document))
        status = 400
    context = {"document": document, "form": form, "back": back_url(document), "names": names}
    return render(request, "documents/signing/refusal.html", context, status=status)


@login_required
@require_GET
def signature_image(request: HttpRequest, pk: int) -> FileResponse:
    """A handwritten signature's PNG, for whoever may see its document (the media folder is not public)."""
    signature = Signature.objects.select_related("document").filter(pk=pk).first()
    if signature is None or not signature.image:
        raise Http404(_("未找到该签名图像。"))
    document_for(request, signature.document_id)
    response = FileResponse(signature.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
