"""Staff pages for payments: parse, check permission, call the service, render."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.cases.workflow import Stage
from sanxiang.payments import forms, permissions, selectors, services
from sanxiang.payments.models import AppealPeriod, DeferralApplication, Payment
from sanxiang.payments.statements import StatementError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # kept in the session between preview and confirm
PENDING_KEY = "payments_statement_pending"


def _visible_case(request: HttpRequest, pk: int) -> Any:
    # A case of another agency is "not found", not "forbidden": its existence is itself information.
    from sanxiang.cases.models import Case

    try:
        case = selectors.case_get_for(request.user, pk)
    except Case.DoesNotExist:
        raise Http404(_("未找到该案件。")) from None
    return case


SETTLED_STAGES = frozenset({Stage.EXECUTED, Stage.CLOSING_SUBMITTED, Stage.CLOSED, Stage.ARCHIVED})


def panel_context(case: Any, user: Any, **forms_: Any) -> dict[str, Any]:
    """Everything ``payments/_case_payments_panel.html`` shows for ``case`` to ``user``."""
    today = timezone.localdate()
    can_record = permissions.can_record_payment(user, case)
    can_decide = permissions.can_decide_deferral(user, case)
    applications = list(
        DeferralApplication.objects.filter(case_id=case.pk)
        .select_related("decision")
        .prefetch_related("decision__instalments")
    )
    pending = [a for a in applications if not hasattr(a, "decision")]
    balance = selectors.balance_for(case, today=today)
    # A fine paid in full (or a case past its execution) takes no more entries: the forms are not offered.
    settled = balance.is_settled or case.stage in SETTLED_STAGES
    return {
        "case": case,
        "today": today,
        "balance": balance,
        "settled": bool(case.fine_fen) and settled,
        "execution_waiting": selectors.execution_waiting(case, user, today=today),
        "can_enter": can_record and bool(case.fine_fen) and not settled,
        "payments": list(selectors.payments_of(case)),
        "appeal_periods": list(AppealPeriod.objects.filter(case_id=case.pk)),
        "applications": applications,
        "pending_application": pending[0] if pending else None,
        "can_record": can_record,
        "can_decide": can_decide,
        "payment_form": forms_.get("payment_form") or forms.PaymentForm(initial={"paid_on": today}),
        "spot_form": forms_.get("spot_form") or forms.OnTheSpotForm(initial={"collected_on": today}),
        "deferral_form": forms_.get("deferral_form")
        or forms.DeferralApplicationForm(initial={"applied_on": today}),
        "decision_form": forms_.get("decision_form")
        or forms.DeferralDecisionForm(initial={"decided_on": today}),
        "appeal_form": forms_.get("appeal_form") or forms.AppealPeriodForm(),
        "errors": forms_.get("errors", []),
    }


def _render_panel(request: HttpRequest, case: Any, status: int = 200, **forms_: Any) -> HttpResponse:
    context = panel_context(case, request.user, **forms_)
    template = (
        "payments/_case_payments_panel.html"
        if getattr(request, "htmx", False)
        else "payments/case_payments.html"
    )
    return render(request, template, context, status=status)


@login_required
def case_payments(request: HttpRequest, pk: int) -> HttpResponse:
    """The payment panel of a case: a page of its own, or the partial when HTMX asks."""
    return _render_panel(request, _visible_case(request, pk))


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def _post_form(
    request: HttpRequest,
    case: Any,
    *,
    form_class: type,
    form_name: str,
    call: Callable[[Any], Any],
    allowed: bool,
) -> HttpResponse:
    if not allowed:
        raise PermissionDenied(_("您无权办理该案件的罚款缴纳事项。"))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if getattr(request, "htmx", False):
                return _render_panel(request, selectors.case_get_for(request.user, case.pk))
            return redirect("payments:case", pk=case.pk)
    if form_name in {"handover_form", "appeal_end_form"}:  # one-field forms inside a table: show errors above
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return _render_panel(request, case, status=422, errors=messages)
    return _render_panel(request, case, status=422, **{form_name: form})


@login_required
@require_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return _post_form(
        request,
        case,
        form_class=forms.PaymentForm,
        form_name="payment_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.payment_record(actor=request.user, case=case, **form.service_fields()),
    )


@login_required
@require_POST
def on_the_spot_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return _post_form(
        request,
        case,
        form_class=forms.OnTheSpotForm,
        form_name="spot_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.payment_collect_on_the_spot(
            actor=request.user, case=case, **form.service_fields()
        ),
    )


@login_required
@require_POST
def cash_handover(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        payment = Payment.objects.get(pk=payment_pk, case_id=case.pk)
    except Payment.DoesNotExist:
        raise Http404(_("未找到该缴款记录。")) from None
    return _post_form(
        request,
        case,
        form_class=forms.CashHandoverForm,
        form_name="handover_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.cash_handover_record(
            actor=request.user, payment=payment, handed_over_on=form.cleaned_data["handed_over_on"]
        ),
    )


@login_required
@require_POST
def deferral_apply(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return _post_form(
        request,
        case,
        form_class=forms.DeferralApplicationForm,
        form_name="deferral_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.deferral_apply(actor=request.user, case=case, **form.cleaned_data),
    )


@login_required
@require_POST
def deferral_decide(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        application = DeferralApplication.objects.get(pk=application_pk, case_id=case.pk)
    except DeferralApplication.DoesNotExist:
        raise Http404(_("未找到该申请。")) from None
    return _post_form(
        request,
        case,
        form_class=forms.DeferralDecisionForm,
        form_name="decision_form",
        allowed=permissions.can_decide_deferral(request.user, case),
        call=lambda form: services.deferral_decide(
            actor=request.user, application=application, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return _post_form(
        request,
        case,
        form_class=forms.AppealPeriodForm,
        form_name="appeal_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.appeal_period_record(actor=request.user, case=case, **form.cleaned_data),
    )


@login_required
@require_POST
def appeal_end(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    try:
        period = AppealPeriod.objects.get(pk=period_pk, case_id=case.pk)
    except AppealPeriod.DoesNotExist:
        raise Http404(_("未找到该期间。")) from None
    return _post_form(
        request,
        case,
        form_class=forms.AppealEndForm,
        form_name="appeal_end_form",
        allowed=permissions.can_record_payment(request.user, case),
        call=lambda form: services.appeal_period_end(
            actor=request.user, period=period, ended_on=form.cleaned_data["ended_on"]
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# Statement import: upload → preview → confirm


@login_required
@require_http_methods(["GET", "POST"])
def statement_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_statement(request.user):
        raise PermissionDenied(_("只有本机关的股室负责人、机关负责人或系统管理员可以导入银行对账单。"))
    agency = request.user.agency  # type: ignore[union-attr]
    context: dict[str, Any] = {"form": forms.StatementUploadForm(), "max_mb": MAX_UPLOAD_BYTES // 2**20}
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            _confirm(request, agency, context)
        else:
            _preview(request, agency, context)
    template = "payments/statement_import.html"
    if request.method == "POST" and getattr(request, "htmx", False):
        template = "payments/_statement_result.html"
    return render(request, template, context, status=422 if context.get("errors") else 200)


def _preview(request: HttpRequest, agency: Any, context: dict[str, Any]) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        context["errors"] = [_("请选择要上传的对账单文件。")]
        return
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        context["errors"] = [_("文件超过 %(mb)s MB，请按日期分段导出。") % {"mb": MAX_UPLOAD_BYTES // 2**20}]
        return
    content = upload.read()
    file_name = upload.name or "statement"
    context["file_name"] = file_name
    try:
        matches = services.statement_preview(agency=agency, file_name=file_name, content=content)
    except StatementError as exc:
        context["errors"] = exc.errors
        return
    digest = hashlib.sha256(content).hexdigest()
    # Kept in the session until confirmed, so the file the user previewed is the file imported.
    request.session[PENDING_KEY] = {
        "file_name": file_name,
        "sha256": digest,
        "content": base64.b64encode(content).decode("ascii"),
    }
    context["sha256"] = digest
    context["matches"] = matches
    context["matched_count"] = sum(1 for m in matches if m.matched)


def _confirm(request: HttpRequest, agency: Any, context: dict[str, Any]) -> None:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("sha256") != request.POST.get("sha256"):
        context["errors"] = [_("待导入的对账单已失效，请重新上传并预览。")]
        return
    try:
        statement = services.statement_import(
            actor=request.user,
            agency=agency,
            file_name=pending["file_name"],
            content=base64.b64decode(pending["content"]),
        )
    except StatementError as exc:
        context["errors"] = exc.errors
        return
    del request.session[PENDING_KEY]
    context["statement"] = statement
    context["lines"] = list(statement.lines.select_related("case"))
    # A fine paid in full whose 执行完毕 a rule still refuses: say which case and why, never nothing.
    today = timezone.localdate()
    paid = {line.case.pk: line.case for line in context["lines"] if line.case is not None}
    context["execution_waiting"] = [
        (case, reason)
        for case in paid.values()
        if (reason := selectors.execution_waiting(case, request.user, today=today)) is not None
    ]
    context["applied_count"] = sum(1 for line in context["lines"] if line.outcome == "matched")


@login_required
def unmatched_lines(request: HttpRequest) -> HttpResponse:
    """Imported transfers not applied to any case: to be entered by hand or explained."""
    page = Paginator(selectors.unmatched_lines_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "payments/unmatched_lines.html", {"page": page})
