"""The portal's pages beside the agencies' own: procedures (事前公开) and the progress query (事中公示)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.core.throttle import Throttle, client_address
from sanxiang.disclosure import flowcharts, progress

# Five wrong codes from one address, or ten on one case number, close the query for 15 minutes.
PROGRESS_BY_ADDRESS = Throttle("progress-address", limit=5)
PROGRESS_BY_NUMBER = Throttle("progress-number", limit=10)


@require_http_methods(["GET", "POST"])
def progress_query(request: HttpRequest) -> HttpResponse:
    """A party enters its case number and the query code printed on its documents (POST: not in the logs)."""
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:80]
        code = request.POST.get("code", "").strip()[:20]
        context.update(number=number)
        address = client_address(request)
        number_key = progress.normalise_case_number(number)
        if not (number and code):
            context["error"] = _("请同时填写案件编号和查询码。")
            status = 400
        elif PROGRESS_BY_ADDRESS.blocked(address) or PROGRESS_BY_NUMBER.blocked(number_key):
            context["error"] = _("查询码输错次数过多，请 15 分钟后再试。")
            status = 429
        else:
            found = progress.case_progress(number=number, code=code)
            if found is None:
                PROGRESS_BY_ADDRESS.fail(address)
                PROGRESS_BY_NUMBER.fail(number_key)
                context["error"] = _(
                    "案件编号或查询码不正确。请核对文书上印制的案件编号和查询码；"
                    "连续输错 5 次将暂停查询 15 分钟。"
                )
                status = 400
            else:
                context["progress"] = found
    response = render(request, "disclosure/portal/progress.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    """执法流程图 of the main procedures, drawn from the transition tables the system runs."""
    charts = [flowcharts.chart(key) for key in flowcharts.CHARTS]
    return render(request, "disclosure/portal/procedures.html", {"charts": charts})
