"""The staff page of the audit log: the latest events in the viewer's scope, the latest checkpoint, verify."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanxiang.audit import selectors, services
from sanxiang.audit.permissions import can_view_audit_log

PAGE_SIZE = 50


def _page(request: HttpRequest, *, verification: services.Verification | None = None) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied(_("只有系统管理员、档案管理员和执法监督人员可以查看审计日志"))
    paginator = Paginator(selectors.event_list_for(request.user), PAGE_SIZE)
    context: dict[str, Any] = {
        "page": paginator.get_page(request.GET.get("page")),
        "checkpoint": services.latest_checkpoint(),
        "verification": verification,
    }
    return render(request, "audit/log.html", context)


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied(_("只有系统管理员、档案管理员和执法监督人员可以核验审计日志"))
    return _page(request, verification=services.verify_log())
