"""Staff pages for 查封扣押 and 先行登记保存: parse, check permission, call the service, render."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.accounts.models import User
from sanxiang.cases import av_rules
from sanxiang.coercion import forms as coercion_forms
from sanxiang.coercion import permissions, selectors, services, workflow
from sanxiang.coercion.models import (
    CoerciveMeasure,
    MeasureAction,
    MeasureExtension,
    Preservation,
    PreservationAction,
)
from sanxiang.evidence.models import RecordedAct


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _visible_case(request: HttpRequest, case_pk: int) -> Any:
    # Another agency's case is "not found", not "forbidden": its existence is itself information.
    try:
        return selectors.case_get_for(request.user, case_pk)
    except ObjectDoesNotExist:
        raise Http404(gettext("未找到该案件。")) from None


def _visible_measure(request: HttpRequest, pk: int) -> CoerciveMeasure:
    try:
        return selectors.measure_get_for(request.user, pk)
    except CoerciveMeasure.DoesNotExist:
        raise Http404(gettext("未找到该查封扣押。")) from None


def _visible_preservation(request: HttpRequest, pk: int) -> Preservation:
    try:
        return selectors.preservation_get_for(request.user, pk)
    except Preservation.DoesNotExist:
        raise Http404(gettext("未找到该先行登记保存。")) from None


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


# --------------------------------------------------------------------------------------------- case panel


@login_required
@require_GET
def case_measures(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The measures panel of a case, the partial the case page includes (and HTMX refreshes)."""
    case = _visible_case(request, case_pk)
    return render(
        request, "coercion/_case_measures.html", selectors.case_measures_context(request.user, case)
    )


# --------------------------------------------------------------------------------------------- 查封、扣押


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _visible_case(request, case_pk)
    if not permissions.can_start_measure(request.user, case.agency_id):
        raise PermissionDenied(gettext("您无权对该案件采取查封扣押。"))
    form = coercion_forms.MeasureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": _staff(request),
            "case": case,
            "kind": data["kind"],
            "reasons": data["reasons"],
            "basis": data["basis"],
            "place": data["place"],
        }
        try:
            if data["emergency"]:
                measure = services.measure_act_emergency(acted_at=data["acted_at"], **common)
            else:
                measure = services.measure_request(**common)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("coercion:measure_detail", pk=measure.pk)
    return render(request, "coercion/measure_form.html", {"form": form, "case": case})


MEASURE_ACTION_FORMS: dict[str, type[forms.Form]] = {
    MeasureAction.APPROVE: coercion_forms.NoteForm,
    MeasureAction.REFUSE: coercion_forms.NoteForm,
    MeasureAction.IMPLEMENT: coercion_forms.DecisionForm,
    MeasureAction.REPORT: coercion_forms.DecisionForm,
    MeasureAction.EXTEND: coercion_forms.ExtendForm,
    MeasureAction.EXCLUDE_DAYS: coercion_forms.ExcludeDaysForm,
    MeasureAction.RELEASE: coercion_forms.ReleaseForm,
    MeasureAction.HANDLE: coercion_forms.HandleForm,
}


def _measure_action_form(measure: CoerciveMeasure, action: str, data: Any = None) -> forms.Form:
    form_class = MEASURE_ACTION_FORMS[action]
    prefix = str(action)
    if form_class is coercion_forms.DecisionForm:
        return coercion_forms.DecisionForm(
            data,
            prefix=prefix,
            agency_id=measure.agency_id,
            emergency=action == MeasureAction.REPORT,
        )
    return form_class(data, prefix=prefix)


def _provisional_end(measure: CoerciveMeasure, extension: MeasureExtension | None) -> datetime.date | None:
    """Without the holiday table of the year the period reaches, its nominal last day (行政强制法 Art.25).

    It is the earliest day the period can end, since a roll-over over rest days only moves the end later, so
    the page can show a day to work to while it says that the day is not final.
    """
    if measure.acted_on is None:
        return None
    days = measure.period_days + (extension.days if extension else 0)
    days += sum(p.days for p in measure.excluded_periods.all())
    return measure.acted_on + datetime.timedelta(days=days)


def _measure_context(
    request: HttpRequest, measure: CoerciveMeasure, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    extension = MeasureExtension.objects.filter(measure=measure).first() if measure.pk else None
    actions = [
        (action, MeasureAction(action).label, bound.get(action) or _measure_action_form(measure, action))
        for action in workflow.measure_actions(measure.stage)
        if permissions.can_perform_measure(request.user, measure, action)
        # The period is extended once only (行政强制法 Art.25): no form for a second extension, unless one
        # was posted anyway and comes back with its refusal.
        and not (action == MeasureAction.EXTEND and extension is not None and action not in bound)
    ]
    period, period_error = selectors.measure_period_or_error(measure)
    if measure.ended_on is not None:
        period_error = ""  # released or handled: the period no longer runs, nothing is left to compute
    return {
        "measure": measure,
        "case": measure.case,
        "items": measure.items.all(),
        "transitions": measure.transitions.select_related("actor"),
        "extension": extension,
        "provisional_end": _provisional_end(measure, extension) if period_error else None,
        "excluded_periods": measure.excluded_periods.all(),
        "period": period,
        "period_error": period_error,
        "emergency_overdue": selectors.emergency_overdue(measure),
        "can_edit_draft": permissions.can_edit_measure_draft(request.user, measure),
        "av_records": selectors.av_records_of_measure(measure),
        "item_form": bound.get("item") or coercion_forms.ItemForm(prefix="item"),
        "actions": actions,
    }


@login_required
@require_GET
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _visible_measure(request, pk)
    return render(request, "coercion/measure_detail.html", _measure_context(request, measure))


@login_required
@require_POST
def measure_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _visible_measure(request, pk)
    if not permissions.can_edit_measure_draft(request.user, measure):
        raise PermissionDenied(gettext("该查封扣押的清单不能再修改。"))
    form = coercion_forms.ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.measure_add_item(actor=_staff(request), measure=measure, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            form = coercion_forms.ItemForm(prefix="item")
    context = _measure_context(request, measure, {"item": form})
    if _is_htmx(request):
        return render(request, "coercion/_measure_items.html", context)
    if form.errors:
        return render(request, "coercion/measure_detail.html", context, status=422)
    return redirect("coercion:measure_detail", pk=measure.pk)


@login_required
@require_POST
def measure_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    measure = _visible_measure(request, pk)
    if action not in MEASURE_ACTION_FORMS:
        raise Http404(gettext("没有该操作。"))
    if not permissions.can_perform_measure(request.user, measure, action):
        raise PermissionDenied(gettext("您无权执行该操作。"))
    form = _measure_action_form(measure, action, request.POST)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        if "officers" in data:
            data["officers"] = list(data["officers"])
        try:
            services.measure_transition(measure=measure, action=action, actor=_staff(request), **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("coercion:measure_detail", pk=measure.pk)
    measure.refresh_from_db()
    context = _measure_context(request, measure, {action: form})
    return render(request, "coercion/measure_detail.html", context, status=422)


# --------------------------------------------------------------------------------------------- 先行登记保存


@login_required
@require_http_methods(["GET", "POST"])
def preservation_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _visible_case(request, case_pk)
    if not permissions.can_start_measure(request.user, case.agency_id):
        raise PermissionDenied(gettext("您无权对该案件申请先行登记保存。"))
    form = coercion_forms.PreservationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            preservation = services.preservation_request(
                actor=_staff(request), case=case, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("coercion:preservation_detail", pk=preservation.pk)
    return render(request, "coercion/preservation_form.html", {"form": form, "case": case})


PRESERVATION_ACTION_FORMS: dict[str, type[forms.Form]] = {
    PreservationAction.APPROVE: coercion_forms.PreservationApproveForm,
    PreservationAction.REFUSE: coercion_forms.NoteForm,
    PreservationAction.HANDLE: coercion_forms.PreservationHandleForm,
}


def _preservation_context(
    request: HttpRequest, preservation: Preservation, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = [
        (
            action,
            PreservationAction(action).label,
            bound.get(action) or PRESERVATION_ACTION_FORMS[action](prefix=str(action)),
        )
        for action in workflow.preservation_actions(preservation.stage)
        if permissions.can_perform_preservation(request.user, preservation, action)
    ]
    due, due_error = selectors.preservation_due_or_error(preservation)
    today = timezone.localdate()
    return {
        "preservation": preservation,
        "case": preservation.case,
        "items": preservation.items.all(),
        "transitions": preservation.transitions.select_related("actor"),
        "due": due,
        "due_error": due_error,
        "overdue": due is not None and selectors.preservation_overdue(preservation, today=today),
        "can_edit_items": permissions.can_edit_preservation_items(request.user, preservation),
        "item_form": bound.get("item") or coercion_forms.ItemForm(prefix="item"),
        "actions": actions,
        # 先行登记保存 is 调查取证 on site: 国办发〔2018〕118号 recommends an AV record of it.
        "av_warning": (
            av_rules.av_warning(preservation.case, RecordedAct.PRESERVATION, preservation.preserved_on)
            if preservation.preserved_on
            else None
        ),
    }


@login_required
@require_GET
def preservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    preservation = _visible_preservation(request, pk)
    return render(request, "coercion/preservation_detail.html", _preservation_context(request, preservation))


@login_required
@require_POST
def preservation_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    preservation = _visible_preservation(request, pk)
    if not permissions.can_edit_preservation_items(request.user, preservation):
        raise PermissionDenied(gettext("该先行登记保存的清单不能再修改。"))
    form = coercion_forms.ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.preservation_add_item(
                actor=_staff(request), preservation=preservation, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            form = coercion_forms.ItemForm(prefix="item")
    context = _preservation_context(request, preservation, {"item": form})
    if _is_htmx(request):
        return render(request, "coercion/_preservation_items.html", context)
    if form.errors:
        return render(request, "coercion/preservation_detail.html", context, status=422)
    return redirect("coercion:preservation_detail", pk=preservation.pk)


@login_required
@require_POST
def preservation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    preservation = _visible_preservation(request, pk)
    if action not in PRESERVATION_ACTION_FORMS:
        raise Http404(gettext("没有该操作。"))
    if not permissions.can_perform_preservation(request.user, preservation, action):
        raise PermissionDenied(gettext("您无权执行该操作。"))
    form = PRESERVATION_ACTION_FORMS[action](request.POST, prefix=str(action))
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        try:
            services.preservation_transition(
                preservation=preservation, action=action, actor=_staff(request), **data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("coercion:preservation_detail", pk=preservation.pk)
    preservation.refresh_from_db()
    context = _preservation_context(request, preservation, {action: form})
    return render(request, "coercion/preservation_detail.html", context, status=422)
