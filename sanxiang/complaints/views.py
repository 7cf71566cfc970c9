"""Complaints: the public form and tracking page (no login), the staff queue and the steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.complaints import permissions, selectors, services
from sanxiang.complaints.forms import ComplaintForm, NoteForm, TrackForm
from sanxiang.complaints.models import Complaint, ComplaintAction, ComplaintStatus
from sanxiang.core.throttle import Throttle, client_address

TRACK_BY_ADDRESS = Throttle("complaint-track", limit=10)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public form; on success the tracking code is shown once, on this response only."""
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint, code = services.complaint_file(
                agency=data["agency"],
                kind=data["kind"],
                subject=data["subject"],
                content=data["content"],
                place=data["place"],
                name=data["name"],
                phone=data["phone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _no_store(render(request, "complaints/filed.html", {"complaint": complaint, "code": code}))
    status = 400 if request.method == "POST" else 200
    return render(request, "complaints/new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    """Follow a complaint with its tracking code: its status, due day and the agency's answer."""
    form = TrackForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if TRACK_BY_ADDRESS.blocked(address):
            context["error"] = _("跟踪码输错次数过多，请 15 分钟后再试。")
            status = 429
        else:
            complaint = selectors.complaint_by_code(form.cleaned_data["code"])
            if complaint is None:
                TRACK_BY_ADDRESS.fail(address)
                context["error"] = _("未找到该跟踪码对应的投诉举报，请核对后重新输入。")
                status = 400
            else:
                context["complaint"] = complaint
                context["answers"] = [s for s in complaint.steps.all() if s.note]
    return _no_store(render(request, "complaints/track.html", context, status=status))


@login_required
def complaint_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_queue(request.user):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    if show not in {"open", "all", *ComplaintStatus.values}:
        show = "open"
    rows = selectors.complaint_list_for(request.user, status="" if show == "all" else show)
    return render(
        request,
        "complaints/queue.html",
        {
            "complaints": rows[:200],
            "show": show,
            "statuses": ComplaintStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _get(request: HttpRequest, pk: int) -> Complaint:
    try:
        return selectors.complaint_get_for(request.user, pk)
    except Complaint.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _get(request, pk)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "steps": complaint.steps.select_related("actor"),
            "can_handle": permissions.can_handle(request.user, complaint),
            "form": NoteForm(),
            "today": timezone.localdate(),
        },
    )


_DOORS = {
    ComplaintAction.ACCEPT: lambda c, u, note: services.complaint_accept(complaint=c, actor=u, note=note),
    ComplaintAction.ANSWER: lambda c, u, note: services.complaint_answer(complaint=c, actor=u, answer=note),
    ComplaintAction.DECLINE: lambda c, u, note: services.complaint_decline(complaint=c, actor=u, reason=note),
}


@login_required
@require_POST
def complaint_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    complaint = _get(request, pk)
    door = _DOORS.get(action)  # type: ignore[call-overload]
    if door is None:
        raise Http404
    try:
        door(complaint, request.user, request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or _("无权办理该投诉举报。"))
    else:
        messages.success(request, _("已%(action)s。") % {"action": ComplaintAction(action).label})
    return redirect("complaints:detail", pk=complaint.pk)
