"""Pages of 调阅: the player of an original, its bytes with HTTP range requests, the download, the custody
history, the access log, the leaders' queue of requests and the agency's policy.

Opening the player page is logged once; the media requests of that playback carry a signed token naming the
logged view, so seeking (many range requests) adds no events.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.access import permissions, selectors, services
from sanxiang.access.forms import DecisionForm, LogFilterForm, PolicyForm, ReasonForm
from sanxiang.access.models import AccessPolicy, AccessRequest, EvidenceAccess, RequestState
from sanxiang.access.permissions import Route
from sanxiang.access.ranges import RangeNotSatisfiableError, byte_range
from sanxiang.evidence.models import Evidence, Kind
from sanxiang.evidence.storage import get_store


def _evidence(pk: int) -> Evidence:
    try:
        return selectors.evidence_get(pk)
    except Evidence.DoesNotExist:
        raise Http404(_("未找到该证据。")) from None


def _errors(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _content_type(evidence: Evidence) -> str:
    mime, _encoding = mimetypes.guess_type(evidence.original_name)
    return mime or "application/octet-stream"


def _player(request: HttpRequest, evidence: Evidence, access: EvidenceAccess) -> HttpResponse:
    token = services.play_token(access)
    content_type = _content_type(evidence)
    media = {
        Kind.VIDEO: "video",
        Kind.AUDIO: "audio",
        Kind.PHOTO: "image" if content_type.startswith("image/") else "file",
    }.get(Kind(evidence.kind), "pdf" if content_type == "application/pdf" else "file")
    context = {
        "evidence": evidence,
        "access": access,
        "media": media,
        "content_type": content_type,
        "content_url": f"{reverse('access:evidence_content', args=[evidence.pk])}?t={token}",
        "token": token,
    }
    return render(request, "access/evidence_open.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The player of an original. Handlers open it at once; others give a reason or wait for approval."""
    evidence = _evidence(pk)
    terms = permissions.require_access(request.user, evidence)
    token = request.GET.get("t", "")
    if token and request.method == "GET":
        access = services.access_from_token(token, user=request.user, evidence_pk=evidence.pk)
        if access is not None:
            return _player(request, evidence, access)
    errors: list[str] = []
    form = ReasonForm(request.POST or None)
    if terms.route is Route.DIRECT and request.method == "GET":
        access = services.evidence_view(evidence=evidence, actor=request.user)
        return _player(request, evidence, access)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if terms.route is Route.APPROVAL and request.POST.get("action") == "request":
                services.access_request_create(evidence=evidence, actor=request.user, reason=reason)
                messages.success(request, _("调阅申请已提交，等待机关负责人批准。"))
                return redirect("access:evidence_open", pk=evidence.pk)
            access = services.evidence_view(evidence=evidence, actor=request.user, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            errors = _errors(error)
        else:
            url = reverse("access:evidence_open", args=[evidence.pk])
            return redirect(f"{url}?t={services.play_token(access)}")
    latest: AccessRequest | None = None
    approved: AccessRequest | None = None
    if terms.route is Route.APPROVAL:
        services.access_requests_expire(evidence=evidence, requester=request.user)
        latest = selectors.latest_request(evidence=evidence, user=request.user)
        approved = services.valid_approval(evidence=evidence, user=request.user)
    context = {
        "evidence": evidence,
        "terms": terms,
        "form": form,
        "errors": errors,
        "latest": latest,
        "approved": approved,
        "pending": latest is not None and latest.state == RequestState.PENDING,
        "min_reason": services.MIN_REASON,
    }
    return render(request, "access/evidence_gate.html", context, status=400 if errors else 200)


def _logged_view(request: HttpRequest, pk: int, token: str) -> EvidenceAccess:
    access = services.access_from_token(token, user=request.user, evidence_pk=pk)
    if access is None:
        raise PermissionDenied(_("调阅凭证无效或已过期，请重新打开证据调阅页面。"))
    return access


def _stream(evidence: Evidence, start: int, stop: int) -> Any:
    # A generator over the store's chunks: constant memory, and closed by the server when the client leaves.
    return get_store().read_range(evidence.blob.storage_key, start, stop)


@login_required
@require_http_methods(["GET", "HEAD"])
def evidence_content(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The original's bytes for the player, with ``Range`` support; authorised by the logged view's token."""
    access = _logged_view(request, pk, request.GET.get("t", ""))
    evidence = access.evidence
    size = evidence.blob.size
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{evidence.blob.sha256}"',  # content-addressed: the bytes never change
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition_header(False, evidence.original_name) or "inline",
    }
    if_range = request.headers.get("If-Range")
    header = request.headers.get("Range") if not if_range or if_range == headers["ETag"] else None
    try:
        found = byte_range(header, size)
    except RangeNotSatisfiableError:
        return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    start, stop = found if found is not None else (0, size)
    status = 206 if found is not None else 200
    headers["Content-Length"] = str(stop - start)
    if found is not None:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    content_type = _content_type(evidence)
    if request.method == "HEAD":
        return HttpResponse(status=status, content_type=content_type, headers=headers)
    return StreamingHttpResponse(
        _stream(evidence, start, stop), status=status, content_type=content_type, headers=headers
    )


@login_required
@require_POST
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The whole original as an attachment, from a logged view, logged as a download."""
    view = _logged_view(request, pk, request.POST.get("t", ""))
    services.evidence_download(view=view, actor=request.user)
    evidence = view.evidence
    headers = {
        "Content-Length": str(evidence.blob.size),
        "Content-Disposition": content_disposition_header(True, evidence.original_name) or "attachment",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingHttpResponse(
        _stream(evidence, 0, evidence.blob.size), content_type=_content_type(evidence), headers=headers
    )


@login_required
@require_GET
def evidence_custody(request: HttpRequest, pk: int) -> HttpResponse:
    """Custody history: ingest with its hashes, fixity checks, requests, approvals, views and downloads."""
    evidence = _evidence(pk)
    if not permissions.can_see_custody(request.user, evidence):
        raise PermissionDenied(_("您无权查看该证据的保管记录。"))
    context = {"evidence": evidence, "entries": selectors.custody_history(evidence)}
    return render(request, "access/evidence_custody.html", context)


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Every read of an original in the user's agency and those below it, for supervisors and leaders."""
    agency_ids = permissions.access_log_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied(_("只有监督人员和机关负责人可以查看证据调阅记录。"))
    form = LogFilterForm(request.GET or None, agency_ids=agency_ids)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "agency_id": data["agency"].pk if data["agency"] else None,
            "user_id": data["user"].pk if data["user"] else None,
            "since": data["since"],
            "until": data["until"],
        }
    rows = selectors.access_log(agency_ids=agency_ids, **filters)[:500]
    context = {"form": form, "rows": rows, "show_agency": len(agency_ids) > 1}
    return render(request, "access/log.html", context)


@login_required
@require_GET
def request_queue(request: HttpRequest) -> HttpResponse:
    """The leaders' queue of requests to open an original, with the recent decisions."""
    if not permissions.can_decide_for(request.user):
        raise PermissionDenied(_("只有机关负责人可以审批证据调阅申请。"))
    agency_id: int = getattr(request.user, "agency_id", 0)
    services.access_requests_expire(agency_ids={agency_id})
    context = {
        "pending": selectors.pending_requests(agency_id=agency_id),
        "decided": selectors.recent_decisions(agency_id=agency_id),
        "form": DecisionForm(),
    }
    return render(request, "access/requests.html", context)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = AccessRequest.objects.select_related("evidence").filter(pk=pk).first()
    if access_request is None or not permissions.can_decide_for(request.user):
        raise Http404(_("未找到该调阅申请。"))
    form = DecisionForm(request.POST)
    form.is_valid()
    target = {"approve": RequestState.APPROVED, "refuse": RequestState.REFUSED}.get(
        request.POST.get("decision", "")
    )
    if target is None:
        messages.error(request, _("请选择批准或拒绝。"))
        return redirect("access:requests")
    try:
        services.access_request_transition(
            access_request=access_request,
            target=target,
            actor=request.user,
            note=form.cleaned_data.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("已批准该调阅申请。") if target == RequestState.APPROVED else _("已拒绝该调阅申请。")
        )
    return redirect("access:requests")


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """The agency's rule for staff who are not handlers, set by its leader."""
    user: Any = request.user
    if not permissions.can_set_policy(user, user.agency_id):
        raise PermissionDenied(_("只有机关负责人可以修改证据调阅设置。"))
    current = AccessPolicy.objects.filter(agency_id=user.agency_id).first() or AccessPolicy(
        agency_id=user.agency_id
    )
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.access_policy_set(
            agency=user.agency,
            approval_required=form.cleaned_data["approval_required"],
            actor=user,
        )
        messages.success(request, _("证据调阅设置已保存。"))
        return redirect("access:policy")
    return render(request, "access/policy.html", {"form": form, "policy": current})
