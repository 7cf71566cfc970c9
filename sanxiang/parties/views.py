"""Staff pages for parties: parse, check permission, call the service, render."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.models import User
from sanxiang.parties import permissions, selectors, services
from sanxiang.parties.forms import PartyForm
from sanxiang.parties.masking import mask_address, mask_phone, mask_resident_id
from sanxiang.parties.models import Party


def _staff(request: HttpRequest) -> User:
    """The signed-in user; every view here is behind ``login_required``."""
    return cast(User, request.user)


def _visible_party(request: HttpRequest, pk: int) -> Party:
    # A party of another agency is "not found", not "forbidden": its existence is itself information.
    try:
        party = selectors.party_get_for(request.user, pk)
    except Party.DoesNotExist:
        raise Http404(_("未找到该当事人。")) from None
    if not permissions.can_view_party(request.user, party):
        raise Http404(_("未找到该当事人。"))
    return party


def _personal_context(party: Party, *, revealed: bool) -> dict[str, object]:
    if revealed:
        return {"resident_id": party.resident_id, "phone": party.phone, "address": party.address}
    return {
        "resident_id": mask_resident_id(party.resident_id) if party.resident_id else "",
        "phone": mask_phone(party.phone),
        "address": mask_address(party.address) if party.is_natural_person else party.address,
    }


def _add_service_errors(form: PartyForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    parties = selectors.party_search_for(request.user, query)
    page = Paginator(parties, 50).get_page(request.GET.get("page"))
    rows = [(party, _personal_context(party, revealed=False)) for party in page]
    return render(
        request,
        "parties/party_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "can_create": permissions.can_create_party(request.user, _staff(request).agency_id),
        },
    )


@login_required
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    party = _visible_party(request, pk)
    return render(
        request,
        "parties/party_detail.html",
        {
            "party": party,
            "personal": _personal_context(party, revealed=False),
            "revealed": False,
            "can_edit": permissions.can_edit_party(request.user, party),
        },
    )


@login_required
@require_POST
def party_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the unmasked personal fields after recording the access (调阅) in the audit log."""
    party = _visible_party(request, pk)
    services.party_personal_data_view(actor=_staff(request), party=party)
    context = {
        "party": party,
        "personal": _personal_context(party, revealed=True),
        "revealed": True,
        "can_edit": permissions.can_edit_party(request.user, party),
    }
    template = "parties/_personal.html" if getattr(request, "htmx", False) else "parties/party_detail.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def party_create_view(request: HttpRequest) -> HttpResponse:
    agency = _staff(request).agency
    if agency is None or not permissions.can_create_party(request.user, agency):
        raise PermissionDenied(_("您无权登记当事人。"))
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            party = services.party_create(actor=_staff(request), agency=agency, **form.service_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect("parties:detail", pk=party.pk)
    return render(request, "parties/party_form.html", {"form": form, "party": None})


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = _visible_party(request, pk)
    if not permissions.can_edit_party(request.user, party):
        raise PermissionDenied(_("您无权修改该当事人信息。"))
    if request.method == "GET":
        # The form shows the full ID number, address and phone, so opening it is an access like 显示完整信息.
        services.party_personal_data_view(actor=_staff(request), party=party)
    initial = {field: getattr(party, field) for field in services.EDITABLE_FIELDS}
    form = PartyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(actor=_staff(request), party=party, **form.service_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect("parties:detail", pk=party.pk)
    return render(request, "parties/party_form.html", {"form": form, "party": party})
