"""Staff pages of documents: the case's documents panel, draft, edit, issue, print view, PDF and DOCX, void.

Each view parses the request, checks the permission predicate, calls one service and renders or redirects.
Another agency's document is "not found". A read from outside the case's agency is logged like a read of the
case (调阅, :func:`sanxiang.cases.services.case_record_access`); of an inspection's, as a document access.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.accounts.models import User
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import Case
from sanxiang.documents import doctypes, forms, permissions, prefill, selectors, services
from sanxiang.documents.models import Document, DocumentType
from sanxiang.documents.rendering.adapter import format_value
from sanxiang.inspections import selectors as inspection_selectors
from sanxiang.inspections.models import Inspection

__all__ = [
    "case_panel",
    "document_create",
    "document_detail",
    "document_docx",
    "document_edit",
    "document_issue",
    "document_pdf",
    "document_pick",
    "document_print",
    "document_void",
]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _document(request: HttpRequest, pk: int) -> Document:
    try:
        document = selectors.document_get_for(request.user, pk)
    except Document.DoesNotExist:
        raise Http404(gettext("未找到该文书。")) from None
    if request.method == "GET":
        services.document_record_access(actor=request.user, document=document)
    return document


def _matter(request: HttpRequest, kind: str, pk: int) -> tuple[Case | None, Inspection | None]:
    try:
        if kind == "case":
            return case_selectors.case_get_for(request.user, pk), None
        if kind == "inspection":
            return None, inspection_selectors.inspection_get_for(request.user, pk)
    except (Case.DoesNotExist, Inspection.DoesNotExist):
        pass
    raise Http404(gettext("未找到该案件或行政检查。"))


def _matter_url(document: Document) -> str:
    if document.case_id:
        return reverse("cases:detail", args=[document.case_id]) + "#case-documents"
    return reverse("inspections:detail", args=[document.inspection_id])


def _printed(document: Document) -> list[tuple[str, str, str]]:
    """(label, kind, value as printed) for each field of the document, in the type's order."""
    rows = []
    for spec in document.type.fields:
        value = document.fields.get(spec["name"])
        rows.append((str(spec.get("label", spec["name"])), spec["kind"], format_value(spec, value)))
    return rows


# ----------------------------------------------------------------------------------------------------
# The case's documents panel


@login_required
@require_GET
def case_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents panel of a case (the partial the case page includes, refreshed by HTMX)."""
    case, _inspection = _matter(request, "case", pk)
    assert case is not None  # noqa: S101 (a case or a 404)
    return render(
        request,
        "documents/_case_panel.html",
        {"case": case, "panel": selectors.case_panel(request.user, case)},
    )


# ----------------------------------------------------------------------------------------------------
# Draft and edit


def _form_context(
    doc_type: DocumentType,
    values: dict[str, Any],
    *,
    agency_id: int,
    case: Case | None,
    errors: list[str],
    action_url: str,
    title: str,
    back: str,
    document: Document | None = None,
) -> dict[str, Any]:
    return {
        "doc_type": doc_type,
        "inputs": forms.inputs_for(doc_type, values, agency_id=agency_id, case=case),
        "errors": errors,
        "action_url": action_url,
        "title": title,
        "back": back,
        "document": document,
        "case": case,
    }


@login_required
@require_GET
def document_pick(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The type chosen in the panel's picker (``?type=``): on to its draft form, or back to the matter."""
    case, inspection = _matter(request, kind, pk)
    type_key = request.GET.get("type", "")
    if doctypes.type_for((case or inspection).agency_id, type_key) is None:  # type: ignore[union-attr]
        messages.error(request, gettext("请选择文书种类。"))
        return redirect("cases:detail", pk) if case else redirect("inspections:detail", pk)
    return redirect("documents:create", kind, pk, type_key)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, kind: str, pk: int, type_key: str) -> HttpResponse:
    """Draft a new document of ``type_key`` for a case or an inspection: a form prefilled from the matter."""
    case, inspection = _matter(request, kind, pk)
    matter: Any = case or inspection
    doc_type = doctypes.type_for(matter.agency_id, type_key)
    if doc_type is None or not doc_type.active:
        raise Http404(gettext("未知的文书种类。"))
    permissions.require_draft(request.user, doc_type, case=case, inspection=inspection)
    back = reverse("cases:detail", args=[pk]) if case else reverse("inspections:detail", args=[pk])
    url = reverse("documents:create", args=[kind, pk, type_key])
    title = gettext("制作%(title)s") % {"title": doc_type.title}
    if request.method == "GET":
        values = prefill.prefill(doc_type, agency=matter.agency, case=case, inspection=inspection)
        cleaned, _problems = services.fields_clean(doc_type, values, agency_id=matter.agency_id, strict=False)
        context = _form_context(
            doc_type,
            cleaned,
            agency_id=matter.agency_id,
            case=case,
            errors=[],
            action_url=url,
            title=title,
            back=back,
        )
        return render(request, "documents/document_form.html", context)
    values, problems = forms.read_post(doc_type, request.POST)
    if not problems:
        try:
            document = services.document_draft(
                actor=_staff(request),
                type_key=type_key,
                case=case,
                inspection=inspection,
                fields=values,
                use_prefill=False,
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, gettext("草稿已保存。"))
            return redirect("documents:detail", document.pk)
    context = _form_context(
        doc_type,
        values,
        agency_id=matter.agency_id,
        case=case,
        errors=problems,
        action_url=url,
        title=title,
        back=back,
    )
    return render(request, "documents/document_form.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if document.is_issued:
        messages.error(request, gettext("文书已签发，不能修改；如有错误，请作废后重新制作。"))
        return redirect("documents:detail", document.pk)
    permissions.require_draft(request.user, document.type, case=document.case, inspection=document.inspection)
    url = reverse("documents:edit", args=[pk])
    title = gettext("修改%(title)s（草稿）") % {"title": document.type.title}
    back = reverse("documents:detail", args=[pk])
    if request.method == "GET":
        context = _form_context(
            document.type,
            document.fields,
            agency_id=document.agency_id,
            case=document.case,
            errors=[],
            action_url=url,
            title=title,
            back=back,
            document=document,
        )
        return render(request, "documents/document_form.html", context)
    values, problems = forms.read_post(document.type, request.POST)
    if not problems:
        try:
            services.document_update_draft(actor=_staff(request), document=document, fields=values)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, gettext("草稿已保存。"))
            return redirect("documents:detail", document.pk)
    context = _form_context(
        document.type,
        values,
        agency_id=document.agency_id,
        case=document.case,
        errors=problems,
        action_url=url,
        title=title,
        back=back,
        document=document,
    )
    return render(request, "documents/document_form.html", context, status=422)


# ----------------------------------------------------------------------------------------------------
# The document


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = request.user
    may_draft = permissions.can_draft(user, document.type, case=document.case, inspection=document.inspection)
    # after 立卷归档 nothing is issued, changed or voided (services._check_open)
    archived = document.case is not None and document.case.stage == "archived"
    may_draft = may_draft and not archived
    context = {
        "document": document,
        "rows": _printed(document),
        "matter_url": _matter_url(document),
        "may_edit": may_draft and not document.is_issued,
        "may_issue": may_draft and not document.is_issued,
        "may_void": document.is_in_force and not archived and permissions.can_void(user, document),
        "replaced_by": Document.objects.filter(replaces=document).first(),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    try:
        issued = services.document_issue(actor=_staff(request), document=document)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("documents:detail", document.pk)
    if issued.number:
        messages.success(request, gettext("文书已签发，编号 %(number)s。") % {"number": issued.number})
    else:
        messages.success(request, gettext("文书已签发。"))
    return redirect("documents:detail", document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void an issued document (a new record; the number stays) and, if asked, draft its replacement."""
    document = _document(request, pk)
    permissions.require_void(request.user, document)
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["replace"]:
                replacement = services.document_void_and_replace(
                    actor=_staff(request), document=document, reason=reason
                )
                messages.success(request, gettext("文书已作废，已制作替代文书草稿。"))
                return redirect("documents:edit", replacement.pk)
            services.document_void(actor=_staff(request), document=document, reason=reason)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("文书已作废，原编号保留。"))
            return redirect("documents:detail", document.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "documents/void_form.html", {"document": document, "form": form}, status=status)


# ----------------------------------------------------------------------------------------------------
# Print view, PDF and DOCX


def _filename(document: Document, extension: str) -> str:
    suffix = document.number if document.is_issued else gettext("（草稿）")
    return f"{document.type.title}{suffix}.{extension}"


@login_required
@require_GET
def document_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 print view (the HTML the PDF is made from), with a print button."""
    from sanxiang.documents import rendering

    document = _document(request, pk)
    return HttpResponse(rendering.render_html(document, screen=True))


@login_required
@require_GET
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """An issued document's PDF with its signatures; ``?stored=1`` the PDF stored at issue; a draft's preview.

    The stored PDF is the evidence of what was issued and is never replaced (rendered and stored first if it
    is not yet). Signatures, the party's handwriting and refusals with their witness are recorded after issue
    (行政处罚法第五十二条, 安全生产法第六十八条, 民事诉讼法第八十七条), so once there is one the PDF a user
    downloads is rendered from the document as it now stands, with them in their blocks.
    """
    from sanxiang.documents import rendering

    document = _document(request, pk)
    response: HttpResponse | FileResponse
    if document.is_issued:
        if not document.pdf_sha256:
            services.document_store_pdf(document=document, actor=_staff(request))
        if request.GET.get("stored") or not document.signatures.exists():
            response = FileResponse(document.pdf.open("rb"), content_type=PDF)
        else:
            response = HttpResponse(rendering.render_pdf(document), content_type=PDF)
    else:
        response = HttpResponse(rendering.render_pdf(document), content_type=PDF)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(_filename(document, 'pdf'))}"
    return response


@login_required
@require_GET
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as a DOCX for editing or printing elsewhere (never the record: the stored PDF is)."""
    from sanxiang.documents import rendering

    document = _document(request, pk)
    response = HttpResponse(rendering.render_docx(document), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_filename(document, 'docx'))}"
    return response
