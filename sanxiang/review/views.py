"""Pages of legal review: the reviewer's queue, the submission, the review (materials beside the checklist),
the objection, the leaders' meeting and the catalog. Parse → permission → service → render or redirect."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.models import Role
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases import workflow
from sanxiang.cases.models import Case
from sanxiang.documents.models import Document
from sanxiang.review import catalog, permissions, selectors, services
from sanxiang.review import figures as review_figures
from sanxiang.review.catalog import CatalogSpec, RuleSpec
from sanxiang.review.forms import (
    CatalogHeaderForm,
    ExtensionForm,
    MeetingForm,
    ObjectionForm,
    OpinionForm,
    RuleFormSet,
    SubmitForm,
)
from sanxiang.review.models import CatalogVersion, CheckItem, Finding, Objection, Opinion, ReviewRound

QUEUE_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER, Role.SECTION_HEAD, Role.SUPERVISOR, Role.ADMIN)


def _case(user: Any, pk: int) -> Case:
    try:
        return case_selectors.case_get_for(user, pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def _round(user: Any, pk: int) -> ReviewRound:
    found = ReviewRound.objects.select_related("review__case").filter(pk=pk).first()
    if found is None:
        raise Http404
    _case(user, found.review.case_id)
    return found


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or gettext("您无权办理此事项。")]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open reviews with their deadline and days left, overdue first; disagreements awaiting the meeting."""
    user: Any = request.user
    if not any(user.has_role(r) for r in QUEUE_ROLES):
        raise PermissionDenied(gettext("法制审核队列供法制审核人员、负责人和监督机关查看。"))
    rows = selectors.queue_for(user)
    return render(
        request,
        "review/queue.html",
        {
            "rows": rows,
            "overdue": sum(1 for r in rows if r["days_left"] < 0),
            "objections": selectors.objections_awaiting_meeting(user),
            "show_agency": user.has_role(Role.SUPERVISOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The handler's submission: the rules that apply and why, the package, the reasons added."""
    user: Any = request.user
    case = _case(user, case_pk)
    review = selectors.review_of(case)
    version = review.catalog if review is not None else selectors.catalog_in_force(case.agency_id)
    listed = version.catch_alls() if version is not None else []
    form = SubmitForm(_posted(request), listed=listed)
    errors: list[str] = []
    if request.method == "POST" and not permissions.can_submit(user, case):
        raise PermissionDenied(gettext("法制审核由本案承办人员提交。"))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(
                actor=user,
                case=case,
                catch_alls=form.cleaned_data["catch_alls"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, gettext("已提交法制审核。"))
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "version": version,
            "triggers": selectors.triggers_now(case, version),
            "package": selectors.package_of(case),
            "form": form,
            "errors": errors,
            "can_submit": permissions.can_submit(user, case),
        },
    )


def _findings_shown(opinion: Opinion | None) -> list[dict[str, str]]:
    if opinion is None:
        return []
    labels, verdicts = dict(CheckItem.choices), dict(Finding.choices)
    return [
        {
            "label": str(labels.get(f["item"], f["item"])),
            "verdict": str(verdicts.get(f["finding"], "")),
            "note": f["note"],
        }
        for f in opinion.findings
    ]


def _round_context(user: Any, round_: ReviewRound) -> dict[str, Any]:
    case = round_.review.case
    opinion = Opinion.objects.filter(round=round_).select_related("document", "reviewer").first()
    material_ids = [m["document"] for m in round_.materials if m.get("document")]
    return {
        "round": round_,
        "case": case,
        "opinion": opinion,
        "objection": Objection.objects.filter(opinion=opinion).select_related("meeting").first()
        if opinion
        else None,
        "materials": round_.materials,
        "findings": _findings_shown(opinion),
        "documents": Document.objects.filter(case=case, void__isnull=True)
        .select_related("type")
        .order_by("pk"),
        "material_ids": material_ids,
        "refusal": permissions.reviewer_refusal(user, case),
        "can_extend": permissions.can_extend(user, case)
        and opinion is None
        and round_.extended_until is None,
        "is_latest": (latest := selectors.latest_round(case)) is not None and latest.pk == round_.pk,
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page: the case's materials beside the checklist and the opinion form."""
    user: Any = request.user
    round_ = _round(user, pk)
    context = _round_context(user, round_)
    form = OpinionForm(_posted(request))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.review_opinion_give(
                actor=user,
                round=round_,
                kind=form.cleaned_data["kind"],
                findings=form.findings(),
                text=form.cleaned_data["text"],
                organ=form.cleaned_data["organ"],
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, gettext("已出具法制审核意见书。"))
            return redirect("review:round", round_.pk)
    return render(
        request,
        "review/round.html",
        {**context, "form": form, "errors": errors, "extension_form": ExtensionForm()},
    )


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    round_ = _round(user, pk)
    form = ExtensionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(gettext("请填写延长的工作日数和理由。"))
        services.review_extend(
            actor=user, round=round_, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, gettext("已批准延长法制审核期限。"))
    return redirect("review:round", round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def object_to(request: HttpRequest, pk: int) -> HttpResponse:
    """The handler objects to a 纠正 or 移送 opinion, with reasons."""
    user: Any = request.user
    opinion = Opinion.objects.select_related("round__review__case").filter(pk=pk).first()
    if opinion is None:
        raise Http404
    case = _case(user, opinion.round.review.case_id)
    form = ObjectionForm(_posted(request))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.review_object(actor=user, opinion=opinion, reasons=form.cleaned_data["reasons"])
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, gettext("异议已提出，待局长办公会决定。"))
            return redirect("cases:detail", case.pk)
    return render(
        request, "review/objection.html", {"opinion": opinion, "case": case, "form": form, "errors": errors}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader records the leaders' meeting that decides a disagreement."""
    user: Any = request.user
    objection = Objection.objects.select_related("opinion__round__review__case").filter(pk=pk).first()
    if objection is None:
        raise Http404
    case = _case(user, objection.opinion.round.review.case_id)
    form = MeetingForm(_posted(request), agency_id=case.agency_id)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.review_meeting_record(
                actor=user,
                objection=objection,
                held_on=form.cleaned_data["held_on"],
                participants=form.cleaned_data["participants"],
                minutes=form.cleaned_data["minutes"],
                outcome=form.cleaned_data["outcome"],
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, gettext("局长办公会决定已记录。"))
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "review/meeting.html",
        {
            "objection": objection,
            "opinion": objection.opinion,
            "case": case,
            "form": form,
            "errors": errors,
            "can_record": permissions.can_record_meeting(user, case),
        },
    )


# ----------------------------------------------------------------------------------------------------
# Figures


FIGURE_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def _figures_user(request: HttpRequest) -> Any:
    user: Any = request.user
    if not any(user.has_role(r) for r in FIGURE_ROLES):
        raise PermissionDenied(gettext("法制审核统计供法制审核人员、负责人和监督机关查看。"))
    return user


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Reviews by outcome, rounds per case, days taken, overdue, corrected share, correction items."""
    user = _figures_user(request)
    found = review_figures.figures_for(user, today=workflow.today())
    share = found.corrected_share
    return render(
        request,
        "review/figures.html",
        {
            "figures": found,
            "share": f"{share:.1%}" if share is not None else None,
            "chart_data": found.chart_data(),
            "show_agency": user.has_role(Role.SUPERVISOR),
        },
    )


@login_required
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    """The same figures as a spreadsheet."""
    user = _figures_user(request)
    found = review_figures.figures_for(user, today=workflow.today())
    title = gettext("法制审核统计（%(agency)s，截至%(day)s）") % {
        "agency": user.agency.name,
        "day": workflow.today().isoformat(),
    }
    response = HttpResponse(
        review_figures.figures_xlsx(found, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="legal-review-figures.xlsx"'
    return response


# ----------------------------------------------------------------------------------------------------
# The catalog


@login_required
def catalog_page(request: HttpRequest) -> HttpResponse:
    """The catalog in force and its earlier versions, for every staff member of the agency."""
    user: Any = request.user
    if user.agency_id is None:
        raise PermissionDenied
    versions = CatalogVersion.objects.filter(agency_id=user.agency_id).prefetch_related("rules")
    current = selectors.catalog_in_force(user.agency_id)
    days, extension = selectors.review_settings_for(user.agency_id)
    return render(
        request,
        "review/catalog.html",
        {
            "current": current,
            "versions": versions,
            "days": days,
            "extension": extension,
            "can_edit": permissions.can_edit_catalog(user, user.agency_id),
        },
    )


def _initial_rules(version: CatalogVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return [
        {
            "act_kind": r.act_kind,
            "subject_type": r.subject_type,
            "threshold_yuan": Decimal(r.threshold_fen) / 100 if r.threshold_fen is not None else None,
            "inclusive": r.inclusive,
            "triggers_hearing_notice": r.triggers_hearing_notice,
            "triggers_collective_discussion": r.triggers_collective_discussion,
            "text": r.text,
        }
        for r in version.rules.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def catalog_publish(request: HttpRequest) -> HttpResponse:
    """Publish a new version: the current one's rules to start from, edited as a whole."""
    user: Any = request.user
    if user.agency_id is None or not permissions.can_edit_catalog(user, user.agency_id):
        raise PermissionDenied(gettext("只有本机关系统管理员可以发布法制审核目录清单。"))
    current = selectors.catalog_in_force(user.agency_id)
    header_initial = (
        {"title": current.title, "basis": current.basis, "catch_alls": current.catch_alls()}
        if current
        else {}
    )
    header = CatalogHeaderForm(_posted(request), initial=header_initial)
    rules = RuleFormSet(_posted(request), initial=_initial_rules(current), prefix="rules")
    errors: list[str] = []
    if request.method == "POST" and header.is_valid() and rules.is_valid():
        specs = [
            RuleSpec(
                act_kind=row["act_kind"],
                subject_type=row.get("subject_type") or "",
                threshold_fen=int(row["threshold_yuan"] * 100)
                if row.get("threshold_yuan") is not None
                else None,
                inclusive=bool(row.get("inclusive")),
                triggers_hearing_notice=bool(row.get("triggers_hearing_notice")),
                triggers_collective_discussion=bool(row.get("triggers_collective_discussion")),
                text=row.get("text", ""),
            )
            for row in rules.cleaned_data
            if row and row.get("act_kind") and not row.get("DELETE")
        ]
        spec = CatalogSpec(
            title=header.cleaned_data["title"],
            rules=tuple(specs),
            catch_alls=frozenset(header.cleaned_data["catch_alls"]),
            basis=header.cleaned_data["basis"],
        )
        try:
            version = services.catalog_publish(
                actor=user, agency=user.agency, spec=spec, note=header.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            errors = _errors(exc)
        else:
            messages.success(
                request,
                gettext("已发布第%(n)d版目录清单，此后提交的案件按新版判断。") % {"n": version.number},
            )
            return redirect(reverse("review:catalog"))
    return render(
        request,
        "review/catalog_publish.html",
        {"header": header, "rules": rules, "errors": errors, "current": current, "yuan": catalog.yuan},
    )
