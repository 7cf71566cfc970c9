"""Staff pages of the agency: overview, officers, certificates, lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxiang.agencies import permissions, selectors, services
from sanxiang.agencies.forms import CertificateRenewForm, OfficerStatusForm
from sanxiang.agencies.models import Agency, Officer

if TYPE_CHECKING:
    from sanxiang.accounts.models import User


def _agency_for(request: HttpRequest) -> Agency:
    """The agency a page is about: the user's own, or (for supervisors) one below it chosen with ?agency=."""
    wanted = request.GET.get("agency")
    if wanted:
        try:
            return selectors.agency_get_for(request.user, int(wanted))
        except (ValueError, Agency.DoesNotExist) as exc:
            raise Http404(_("没有找到该执法机关，或您无权查看。")) from exc
    if request.user.agency is None:  # type: ignore[union-attr]
        raise PermissionDenied(_("您的账户尚未分配所属执法机关。"))
    return request.user.agency  # type: ignore[union-attr]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    agency = _agency_for(request)
    today = timezone.localdate()
    officers = selectors.officer_list_for(request.user, agency=agency)
    sections = agency.sections.all()
    context = {
        "agency": agency,
        "sections": [(s, [o for o in officers if o.section_id == s.pk]) for s in sections],
        "unassigned": [o for o in officers if o.section_id is None],
        "officer_count": len(officers),
        "warnings": selectors.certificate_warnings(officers, today=today),
        "power_count": selectors.power_items(agency).count(),
        "check_count": selectors.random_check_items(agency).count(),
        "children": agency.children.all(),
    }
    return render(request, "agencies/overview.html", context)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    agency = _agency_for(request)
    today = timezone.localdate()
    officers = list(selectors.officer_list_for(request.user, agency=agency))
    state = request.GET.get("state", "")
    if state == "attention":
        officers = [o for o in officers if o.certificate_state(today) not in {"valid", "not_yet_valid"}]
    expiring = [o for o in officers if o.certificate_state(today) == "expiring"]
    return render(
        request,
        "agencies/officer_list.html",
        {
            "agency": agency,
            "officers": officers,
            "expiring": expiring,
            "state": state,
            "today": today,
            "can_manage": permissions.can_manage_officers(request.user, agency),
        },
    )


def _officer_or_404(request: HttpRequest, pk: int) -> Officer:
    try:
        return selectors.officer_get_for(request.user, pk)
    except Officer.DoesNotExist as exc:
        raise Http404(_("没有找到该执法人员，或您无权查看。")) from exc


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer_or_404(request, pk)
    history = officer.history.select_related("history_user").order_by("-history_date")[:50]
    return render(
        request,
        "agencies/officer_detail.html",
        {
            "officer": officer,
            "history": history,
            "status_form": OfficerStatusForm(),
            "renew_form": CertificateRenewForm(),
            "can_manage": permissions.can_manage_officers(request.user, officer.agency),
        },
    )


def _manageable_officer(request: HttpRequest, pk: int) -> Officer:
    officer = _officer_or_404(request, pk)
    if not permissions.can_manage_officers(request.user, officer.agency):
        raise PermissionDenied(_("只有本机关的系统管理员或机关负责人可以办理证件事项。"))
    return officer


def _form_error_message(form: Any) -> str:
    return _("；").join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def officer_status(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _manageable_officer(request, pk)
    form = OfficerStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_message(form))
    else:
        try:
            services.officer_set_status(
                actor=request.user,
                officer=officer,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("证件状态已变更。"))
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
    return redirect("agencies:officer_detail", pk=officer.pk)


@login_required
@require_POST
def officer_renew(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _manageable_officer(request, pk)
    form = CertificateRenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_message(form))
    else:
        try:
            services.officer_renew_certificate(actor=request.user, officer=officer, **form.cleaned_data)
            messages.success(request, _("已登记换发的执法证件。"))
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
    return redirect("agencies:officer_detail", pk=officer.pk)


@login_required
@require_POST
def officer_rotate_token(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _manageable_officer(request, pk)
    services.officer_rotate_credential_token(actor=request.user, officer=officer)
    messages.success(request, _("已更换亮证二维码，旧二维码即时失效，请重新打印证件卡。"))
    return redirect("agencies:officer_card", pk=officer.pk)


def credential_url(officer: Officer) -> str:
    return settings.PUBLIC_BASE_URL + reverse("disclosure:credential", args=[officer.credential_token])


@login_required
def officer_card(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable card with the officer's QR code that opens the public credential page (亮证)."""
    officer = _officer_or_404(request, pk)
    url = credential_url(officer)
    qr_svg = segno.make(url, error="m").svg_inline(scale=4, title=_("亮证二维码"))
    return render(
        request,
        "agencies/officer_card.html",
        {
            "officer": officer,
            "url": url,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 - segno output
            "can_manage": permissions.can_manage_officers(request.user, officer.agency),
        },
    )


@login_required
def officer_qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer_or_404(request, pk)
    import io

    buffer = io.BytesIO()
    segno.make(credential_url(officer), error="m").save(buffer, kind="png", scale=8)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="credential-{officer.certificate_number}.png"'
    return response


@login_required
def supervised(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role("supervisor"):  # type: ignore[union-attr]
        raise PermissionDenied(_("只有执法监督人员可以查看下级执法机关。"))
    today = timezone.localdate()
    rows = []
    user = cast("User", request.user)
    for agency in selectors.agency_list_for(user).exclude(pk=user.agency_id or 0):
        officers = selectors.officer_list_for(request.user, agency=agency)
        rows.append(
            {
                "agency": agency,
                "officers": len(officers),
                "warnings": len(selectors.certificate_warnings(officers, today=today)),
            }
        )
    return render(request, "agencies/supervised.html", {"rows": rows})


@login_required
def power_items(request: HttpRequest) -> HttpResponse:
    agency = _agency_for(request)
    return render(
        request, "agencies/power_items.html", {"agency": agency, "items": selectors.power_items(agency)}
    )


@login_required
def random_check_items(request: HttpRequest) -> HttpResponse:
    agency = _agency_for(request)
    return render(
        request,
        "agencies/random_check_items.html",
        {"agency": agency, "items": selectors.random_check_items(agency)},
    )
