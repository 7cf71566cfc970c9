"""Staff pages of the worklist: "my work" and the notifications. Parse, check, call the service, render."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from sanxiang.accounts.models import User
from sanxiang.worklist import permissions, selectors, services
from sanxiang.worklist.models import Notification
from sanxiang.worklist.selectors import Show

PAGE_SIZE = 100


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The running clocks of the user's matters, overdue first, then by due date."""
    try:
        show = Show(request.GET.get("show", Show.ALL))
    except ValueError:
        show = Show.ALL
    today = timezone.localdate()
    # One query counts the filters; one reads the page: a leader's list covers the whole agency.
    counts = selectors.work_counts(request.user, today=today)
    clocks = selectors.WorkList(request.user, today=today, show=show, count=counts.of(show))
    page = Paginator(clocks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "days_left": item.days_left(today),
            "days_overdue": -item.days_left(today),
            "urgency": selectors.urgency(item, today),
        }
        for item in page.object_list
    ]
    filters = [
        (Show.OVERDUE, gettext("已逾期"), counts.overdue),
        (Show.WEEK, gettext("7日内到期"), counts.week),
        (Show.ALL, gettext("全部"), counts.all),
    ]
    return render(
        request,
        "worklist/my_work.html",
        {
            "rows": rows,
            "page": page,
            "show": show,
            "filters": filters,
            "today": today,
            "missing_years": selectors.missing_years_for(request.user),
        },
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "worklist/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = selectors.notification_get_for(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404(gettext("未找到该提醒。")) from None
    if not permissions.can_mark_read(request.user, notification):
        raise Http404(gettext("未找到该提醒。"))
    notification = services.notification_mark_read(actor=cast(User, request.user), notification=notification)
    if getattr(request, "htmx", False):
        return render(request, "worklist/_notification.html", {"notification": notification})
    return redirect("worklist:notifications")
