"""The evidence page of a case and the resumable upload protocol behind it.

The protocol (a small tus-like one, driven by ``static/evidence/upload.js``):

* ``POST uploads/`` with the file's name, size and last-modified time opens an upload:
  ``{"id", "offset": 0}``.
* ``GET uploads/<id>/`` tells where to continue: ``{"offset", "size", "complete"}``.
* ``PATCH uploads/<id>/`` with header ``Upload-Offset`` and the bytes from there appends them; the answer is
  the new offset, and the evidence when the last byte has arrived. A wrong offset is a 409 with the right one.
* ``DELETE uploads/<id>/`` abandons an unfinished upload.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import Case
from sanxiang.cases.workflow import Stage
from sanxiang.evidence import permissions, selectors, services
from sanxiang.evidence.forms import AVRecordForm
from sanxiang.evidence.models import Evidence, Upload
from sanxiang.evidence.storage import StoreError

# The browser sends the file in pieces of this size; a dropped connection costs at most one piece.
UPLOAD_CHUNK = 8 * 1024 * 1024


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int, **extra: Any) -> JsonResponse:
    return _json({"error": message, **extra}, status=status)


def _visible_case(request: HttpRequest, pk: int) -> Case:
    try:
        return case_selectors.case_get_for(request.user, pk)
    except Case.DoesNotExist:
        raise Http404(_("未找到该案件。")) from None


def _own_upload(request: HttpRequest, pk: str) -> Upload:
    upload = Upload.objects.select_related("case", "evidence").filter(pk=pk).first()
    if upload is None or upload.uploaded_by_id != request.user.pk:
        raise Http404(_("未找到该上传。"))
    return upload


def _state(upload: Upload) -> dict[str, Any]:
    state: dict[str, Any] = {
        "id": str(upload.pk),
        "offset": upload.received,
        "size": upload.size,
        "complete": upload.complete,
        "url": reverse("evidence:upload", args=[upload.pk]),
    }
    if upload.evidence is not None:
        state["evidence"] = {"id": upload.evidence.pk, "sha256": upload.evidence.blob.sha256}
    return state


@login_required
@require_GET
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's evidence, and for those who may add some, the upload panel."""
    case = _visible_case(request, pk)
    if not permissions.can_view_evidence(request.user, case):
        raise Http404(_("未找到该案件。"))
    context = {
        "case": case,
        "items": selectors.evidence_of_case(case),
        "can_ingest": permissions.can_ingest(request.user, case),
        # The same people open an item's own page (handlers, section heads, leaders).
        "can_open_items": permissions.can_ingest(request.user, case),
        "start_url": reverse("evidence:upload_start", args=[case.pk]),
        "chunk": UPLOAD_CHUNK,
    }
    return render(request, "evidence/case_evidence.html", context)


@login_required
@require_POST
def upload_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return _error(_("文件大小无效。"), 400)
    modified_ms = request.POST.get("last_modified", "")
    last_modified = (
        datetime.datetime.fromtimestamp(int(modified_ms) / 1000, tz=datetime.UTC)
        if modified_ms.isdigit()
        else None
    )
    try:
        upload = services.upload_start(
            case=case,
            actor=request.user,
            name=request.POST.get("name", ""),
            size=size,
            last_modified=last_modified,
            proves=request.POST.get("proves", "").strip(),
        )
    except PermissionDenied as error:
        return _error(str(error), 403)
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    return _json(_state(upload), status=201)


@login_required
@require_http_methods(["GET", "PATCH", "DELETE"])
def upload(request: HttpRequest, pk: str) -> HttpResponse:
    upload = _own_upload(request, pk)
    if request.method == "GET":
        return _json(_state(upload))
    if request.method == "DELETE":
        try:
            services.upload_abandon(upload=upload, actor=request.user)
        except ValidationError as error:
            return _error(" ".join(error.messages), 409)
        except services.UploadOffsetError as error:
            return _error(str(error), 409, offset=error.received)
        return HttpResponse(status=204)
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _error(_("缺少上传位置或数据长度。"), 400)
    try:
        # The body is read straight from the connection, a chunk at a time: never whole in memory.
        upload = services.upload_append(
            upload=upload, offset=offset, source=request, length=length, actor=request.user
        )
    except services.UploadOffsetError as error:
        return _error(str(error), 409, offset=error.received)
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    except StoreError as error:
        return _error(str(error), 507)
    return _json(_state(upload))


# --- one item: its page, its metadata panel, its thumbnail -------------------------------------------------

# How often the page asks whether the background extraction has finished.
MEDIA_POLL_SECONDS = 3
MAX_INTERRUPTION_ROWS = 50


def _optional_url(name: str, pk: int) -> str:
    """The URL of a page another app provides, or "" while that app does not provide it."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _item_for(request: HttpRequest, pk: int, allowed: Any) -> Evidence:
    evidence = selectors.evidence_item(pk)
    if evidence is None or not allowed(request.user, evidence):
        raise Http404(_("未找到该证据。"))
    return evidence


def _av_form(request: HttpRequest, evidence: Evidence, record: Any) -> AVRecordForm:
    if request.method != "POST":
        return AVRecordForm(case=evidence.case, record=record)
    try:
        rows = min(int(request.POST.get("stop_rows", "0")), MAX_INTERRUPTION_ROWS)
    except ValueError:
        rows = 0
    return AVRecordForm(request.POST, case=evidence.case, record=record, rows=rows)


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's page: name, hashes, size, ingest, technical metadata, thumbnail, and its AV description."""
    evidence = _item_for(request, pk, permissions.can_view_item)
    case = evidence.case
    record = selectors.av_record_of(evidence)
    describable = (
        case is not None
        and evidence.kind in services.AV_KINDS
        and case.stage != Stage.ARCHIVED
        and permissions.can_ingest(request.user, case)
    )
    form = _av_form(request, evidence, record) if describable else None
    error = ""
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("该证据不能登记音像记录。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.av_record_describe(
                    actor=request.user,
                    evidence=evidence,
                    act=data["act"],
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    collectors=data["collectors"],
                    place=data["place"],
                    device=data["device"],
                    proves=data["proves"],
                    documents=data["documents"],
                    interruptions=data["interruptions"],
                    retention=data["retention"],
                    coercive_measure=data["coercive_measure"],
                    reason=data.get("reason", ""),
                )
            except ValidationError as problems:
                error = " ".join(problems.messages)
            else:
                return redirect("evidence:item", pk=evidence.pk)
    context = {
        "evidence": evidence,
        "case": case,
        "record": record,
        "form": form,
        "error": error,
        "media": getattr(evidence, "media", None),
        "poll_seconds": MEDIA_POLL_SECONDS,
        "open_url": _optional_url("access:evidence_open", evidence.pk),
        "custody_url": _optional_url("access:evidence_custody", evidence.pk),
    }
    return render(
        request, "evidence/item_detail.html", context, status=400 if error or (form and form.errors) else 200
    )


@login_required
@require_GET
def item_media(request: HttpRequest, pk: int) -> HttpResponse:
    """The technical-metadata panel alone: what the item page polls while the extraction runs."""
    evidence = _item_for(request, pk, permissions.can_view_item)
    context = {
        "evidence": evidence,
        "media": getattr(evidence, "media", None),
        "poll_seconds": MEDIA_POLL_SECONDS,
    }
    return render(request, "evidence/_media.html", context)


@login_required
@require_GET
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's thumbnail (a derivative row, never the original), to whoever sees the evidence list."""
    evidence = _item_for(request, pk, permissions.can_view_thumbnail)
    derivative = selectors.thumbnail_of(evidence)
    if derivative is None:
        raise Http404(_("该证据没有缩略图。"))
    response = HttpResponse(bytes(derivative.content), content_type=derivative.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = f'"{derivative.sha256}"'
    return response
