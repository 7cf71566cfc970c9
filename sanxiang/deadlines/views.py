from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanxiang.deadlines import calendar, selectors
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.deadlines.forms import MODE_CHOICES, CalculatorForm


def _compute(form: CalculatorForm) -> dict[str, Any]:
    start: datetime.date = form.cleaned_data["start"]
    days: int = form.cleaned_data["days"]
    mode: str = form.cleaned_data["mode"]
    try:
        if mode == "working":
            due = calendar.add_working_days(start, days)
            nominal = None
        else:
            nominal = start + datetime.timedelta(days=days)
            due = calendar.add_calendar_days(start, days)
    except CalendarMissing as exc:
        return {"error": str(exc)}
    except OverflowError:
        return {"error": _("结果超出可表示的日期范围")}
    return {
        "start": start,
        "days": days,
        "mode_label": dict(MODE_CHOICES)[mode],
        "due": due,
        "nominal": nominal,
        "rolled_over": nominal is not None and nominal != due,
    }


@login_required
@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    """Staff calculator: a due date from a start date and a number of working or calendar days."""
    form = CalculatorForm(request.GET or None)
    result: dict[str, Any] | None = None
    if form.is_bound and form.is_valid():
        result = _compute(form)
    context: dict[str, Any] = {"form": form, "result": result}
    if getattr(request, "htmx", False):
        return render(request, "deadlines/_result.html", context)
    context["years"] = selectors.holiday_year_list()
    return render(request, "deadlines/calculator.html", context)
