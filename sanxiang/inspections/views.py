"""Staff pages for inspections: parse, check permission, call the service, render.

Officers use these pages on site from a phone: each section of the detail page is a small form, and the
hazard and signature sections are HTMX partials that swap in place.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.models import User
from sanxiang.inspections import permissions, selectors, services, workflow
from sanxiang.inspections.forms import (
    HazardForm,
    InspectionFilterForm,
    InspectionPlanForm,
    NoteForm,
    OrderForm,
    RecheckForm,
    RecordForm,
    SignatureForm,
    ToCaseForm,
)
from sanxiang.inspections.models import Inspection, SignerKind, Stage
from sanxiang.inspections.workflow import Action


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)


def _visible(request: HttpRequest, pk: int) -> Inspection:
    # Another agency's inspection is "not found": its existence is itself information.
    try:
        return selectors.inspection_get_for(request.user, pk)
    except Inspection.DoesNotExist:
        raise Http404(_("未找到该检查。")) from None


def _actionable(request: HttpRequest, pk: int) -> Inspection:
    inspection = _visible(request, pk)
    if not permissions.can_act(request.user, inspection):
        raise PermissionDenied(_("只有本次检查的执法人员或本机关股室负责人、机关负责人可以办理。"))
    return inspection


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def _open_order_hazards(inspection: Inspection) -> list[Any]:
    order = inspection.orders.order_by("-pk").first()
    if order is None:
        return []
    return [item.hazard for item in order.items.select_related("hazard")]


def _context(request: HttpRequest, inspection: Inspection, **forms: Form) -> dict[str, Any]:
    """Everything the detail page and its partials show, with a form only for what the user may do now."""
    may_act = permissions.can_act(request.user, inspection)
    stage = inspection.stage
    today = timezone.localdate()
    allowed: set[Action] = set()
    blocked: dict[str, str] = {}
    if may_act:
        ctx = workflow.Context(actor=request.user, on=today)
        for action in workflow.actions_from(stage):
            reason = workflow.blocked_by(inspection, action, ctx)
            if reason is None:
                allowed.add(action)
            else:
                blocked[str(Action(action).label)] = reason
    context: dict[str, Any] = {
        "inspection": inspection,
        "record": getattr(inspection, "record", None),
        "officers": [a.officer for a in inspection.assignments.select_related("officer")],
        "signatures": list(inspection.signatures.all()),
        "hazards": list(
            inspection.hazards.select_related("measure").prefetch_related(
                "rectification_items__order", "recheck_results__recheck"
            )
        ),
        "orders": list(inspection.orders.prefetch_related("items__hazard", "rechecks__results__hazard")),
        "transitions": list(inspection.transitions.select_related("actor")),
        # Its officers (and the agency's heads) open an item's page; the others go through a logged 调阅.
        "evidence": selectors.inspection_evidence(inspection),
        "may_act": may_act,
        "blocked": blocked,
        "today": today,
    }
    if Action.RECORD in allowed:
        context["record_form"] = forms.get("record_form") or RecordForm()
    if may_act and stage == Stage.RECORDED:
        context["signature_form"] = forms.get("signature_form") or SignatureForm(
            inspection=inspection, initial={"signer_kind": SignerKind.OFFICER}
        )
        context["hazard_form"] = forms.get("hazard_form") or HazardForm()
    if Action.ISSUE_ORDER in allowed:
        waiting = workflow.hazards_awaiting_order(inspection)
        if waiting:
            context["order_form"] = forms.get("order_form") or OrderForm(
                hazards=waiting, initial={"issued_on": today}
            )
    if Action.RECHECK in allowed:
        context["recheck_form"] = forms.get("recheck_form") or RecheckForm(
            hazards=_open_order_hazards(inspection), initial={"rechecked_on": today}
        )
    if Action.TO_CASE in allowed and inspection.hazards.exists():
        context["to_case_form"] = forms.get("to_case_form") or ToCaseForm(inspection=inspection)
    context["can_close"] = Action.CLOSE in allowed
    context["can_cancel"] = Action.CANCEL in allowed
    context["note_form"] = forms.get("note_form") or NoteForm()
    return context


def _detail(request: HttpRequest, inspection: Inspection, status: int = 200, **forms: Form) -> HttpResponse:
    inspection = Inspection.objects.select_related("agency", "party", "category").get(pk=inspection.pk)
    context = _context(request, inspection, **forms)
    return render(request, "inspections/inspection_detail.html", context, status=status)


def _partial(
    request: HttpRequest, inspection: Inspection, template: str, status: int = 200, **forms: Form
) -> HttpResponse:
    """One section for HTMX, with what depends on it (what is blocked, the next steps' forms) out of band.

    A refused form answers 422, the one error status the detail page lets HTMX swap in, so the Chinese
    message shows where the officer typed.
    """
    inspection = Inspection.objects.select_related("agency", "party", "category").get(pk=inspection.pk)
    context = _context(request, inspection, **forms)
    context["partial"] = template
    return render(request, "inspections/_partial_update.html", context, status=status)


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None)
    stage, overdue = "", False
    if form.is_bound and form.is_valid():
        stage = form.cleaned_data["stage"]
        overdue = form.cleaned_data["overdue"]
    today = timezone.localdate()
    inspections = selectors.inspection_search_for(request.user, stage=stage, overdue=overdue, today=today)
    page = Paginator(inspections, 50).get_page(request.GET.get("page"))
    overdue_ids = set(
        selectors.inspection_search_for(request.user, overdue=True, today=today)
        .filter(pk__in=[i.pk for i in page])
        .values_list("pk", flat=True)
    )
    context = {
        "form": form,
        "page": page,
        "overdue_ids": overdue_ids,
        "can_plan": permissions.can_plan_inspection(request.user, _staff(request).agency_id),
    }
    if getattr(request, "htmx", False):
        return render(request, "inspections/_rows.html", context)
    return render(request, "inspections/inspection_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    agency = actor.agency
    if agency is None or not permissions.can_plan_inspection(actor, agency):
        raise PermissionDenied(_("您无权制定检查方案。"))
    form = InspectionPlanForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_plan(actor=actor, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/inspection_form.html", {"form": form})


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@login_required
@require_POST
def inspection_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _actionable(request, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_record(inspection=inspection, actor=_staff(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, record_form=form)


@login_required
@require_POST
def signature_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _actionable(request, pk)
    form = SignatureForm(request.POST, inspection=inspection)
    ok = False
    if form.is_valid():
        try:
            services.signature_add(inspection=inspection, actor=_staff(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            ok = True
    if getattr(request, "htmx", False):
        forms: dict[str, Form] = {} if ok else {"signature_form": form}
        return _partial(request, inspection, "inspections/_signatures.html", 200 if ok else 422, **forms)
    if ok:
        return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, signature_form=form)


@login_required
@require_POST
def hazard_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _actionable(request, pk)
    form = HazardForm(request.POST)
    ok = False
    if form.is_valid():
        try:
            services.hazard_add(inspection=inspection, actor=_staff(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            ok = True
    if getattr(request, "htmx", False):
        forms: dict[str, Form] = {} if ok else {"hazard_form": form}
        return _partial(request, inspection, "inspections/_hazards.html", 200 if ok else 422, **forms)
    if ok:
        return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, hazard_form=form)


@login_required
@require_POST
def order_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _actionable(request, pk)
    form = OrderForm(request.POST, hazards=workflow.hazards_awaiting_order(inspection))
    if form.is_valid():
        try:
            services.rectification_order_issue(
                inspection=inspection,
                actor=_staff(request),
                issued_on=form.cleaned_data["issued_on"],
                due_on=form.cleaned_data["due_on"],
                requirements=form.requirements(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, order_form=form)


@login_required
@require_POST
def recheck_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _actionable(request, pk)
    form = RecheckForm(request.POST, hazards=_open_order_hazards(inspection))
    if form.is_valid():
        try:
            services.recheck_record(
                inspection=inspection,
                actor=_staff(request),
                results=form.results(),
                notes=form.notes(),
                opinion=form.cleaned_data["opinion"],
                rechecked_on=form.cleaned_data["rechecked_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, recheck_form=form)


@login_required
@require_POST
def transition_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """办结 or 撤销检查方案, the two actions that only need a note."""
    inspection = _actionable(request, pk)
    if action not in (Action.CLOSE, Action.CANCEL):
        raise Http404(_("未知的操作。"))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_transition(
                inspection=inspection, action=action, actor=_staff(request), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, note_form=form)


@login_required
@require_POST
def to_case_view(request: HttpRequest, pk: int) -> HttpResponse:
    """转为案件: open a case from the chosen hazards."""
    inspection = _actionable(request, pk)
    form = ToCaseForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.inspection_to_case(
                inspection=inspection,
                actor=_staff(request),
                hazards=list(form.cleaned_data["hazards"]),
                title=form.cleaned_data["title"],
                act_date=form.cleaned_data["act_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("inspections:detail", pk=pk)
    return _detail(request, inspection, status=400, to_case_form=form)
