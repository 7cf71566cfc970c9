"""The public portal (no login): agencies' 事前公开 information and the credential check (亮证)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanxiang.agencies import selectors as agency_selectors
from sanxiang.agencies.models import Agency, Officer
from sanxiang.disclosure.views_published import cached_portal_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.select_related("parent").order_by("level", "region_code")
    return render(request, "disclosure/home.html", {"agencies": agencies})


@require_GET
def agency(request: HttpRequest, pk: int) -> HttpResponse:
    """事前公开 of one agency: profile, officers, lists, service guides; cached until its data change."""
    key = f"portal:agency:{get_language()}:{pk}"

    def build() -> dict[str, Any]:
        body = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
        return {
            "agency": body,
            "officers": agency_selectors.public_officers(body),
            "power_items": agency_selectors.power_items(body),
            "check_items": agency_selectors.random_check_items(body),
            "sections": body.sections.all(),
            "benchmark": agency_selectors.benchmark_in_force(body),
        }

    return cached_portal_page(request, key, "disclosure/agency.html", build)


@require_GET
def benchmarks(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's 行政处罚裁量基准 in force (or an earlier version, ``?version=N``) and their history."""
    value = request.GET.get("version", "")
    number = int(value) if value.isdigit() and len(value) < 5 else None
    today = timezone.localdate()
    # The day is in the key: a version announced for a later day comes into force without any save.
    key = f"portal:agency:benchmarks:{get_language()}:{pk}:{number or ''}:{today.isoformat()}"

    def build() -> dict[str, Any]:
        body = get_object_or_404(Agency, pk=pk)
        versions = list(agency_selectors.published_benchmarks(body))
        in_force = next((v for v in versions if v.effective_on <= today), None)
        upcoming = [v for v in versions if v.effective_on > today]
        if number is not None:
            shown = next((v for v in versions if v.number == number), None)
            if shown is None:
                raise Http404(_("没有找到该版本的裁量基准。"))
        else:
            shown = in_force
        return {
            "agency": body,
            "benchmark": shown,
            "in_force": in_force,
            "upcoming": upcoming,
            "versions": versions,
            "items": agency_selectors.benchmark_items(shown) if shown is not None else [],
            "today": today,
        }

    return cached_portal_page(request, key, "disclosure/benchmarks.html", build)


@require_GET
def credential(request: HttpRequest, token: str) -> HttpResponse:
    """The page an officer's QR code opens: who they are and whether the certificate is valid today."""
    try:
        officer = agency_selectors.officer_by_credential_token(token)
    except Officer.DoesNotExist as exc:
        raise Http404(_("该二维码无效或已作废。")) from exc
    state = officer.certificate_state(timezone.localdate())
    response = render(
        request,
        "disclosure/credential.html",
        {"officer": officer, "state": state, "usable": state in {"valid", "expiring"}},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def credential_search(request: HttpRequest) -> HttpResponse:
    """Check a certificate by number and name, for a party who has the card in hand but no phone camera."""
    number = request.GET.get("number", "").strip()
    name = request.GET.get("name", "").strip()
    context: dict[str, object] = {"number": number, "name": name}
    if number or name:
        if not (number and name):
            context["error"] = _("请同时填写执法证号和姓名。")
        else:
            officer = (
                Officer.objects.select_related("agency")
                .prefetch_related("categories")
                .filter(certificate_number=number, name=name)
                .first()
            )
            if officer is None:
                context["error"] = _(
                    "未查到该执法证件。请核对证号和姓名；如对方无法出示有效证件，您有权拒绝接受调查或检查（行政处罚法第五十五条）。"
                )
            else:
                state = officer.certificate_state(timezone.localdate())
                context.update({"officer": officer, "state": state, "usable": state in {"valid", "expiring"}})
    return render(request, "disclosure/credential_search.html", context)
