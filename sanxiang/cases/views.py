"""Staff pages for cases: parse, check permission, call the service, render.

Every stage change goes through one view, :func:`case_act`, which calls ``services.case_transition``; the
buttons on the case page are exactly ``selectors.available_actions(user, case)``, and the steps a guard
refuses are listed with the reason (``selectors.actions_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.accounts.models import Role, User
from sanxiang.agencies.models import EnforcementCategory, Officer
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import av_rules, leads, permissions, presenters, selectors, services, workflow
from sanxiang.cases.forms import ActionForm, CaseFilterForm, CaseOpenForm, LeadForm
from sanxiang.cases.models import Case, CaseOfficer, CaseParty
from sanxiang.cases.workflow import Action, Stage, Step, Who
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.evidence.models import RecordedAct
from sanxiang.parties import permissions as party_permissions
from sanxiang.parties import selectors as party_selectors
from sanxiang.parties import services as party_services
from sanxiang.parties.forms import PartyForm

PER_PAGE = 25
# The list shows "共 N 条" up to this many and "N 条以上" beyond: the count is bounded, however big the table.
COUNT_CAP = 10_000
OPENING_ROLES = (Role.OFFICER, Role.SECTION_HEAD, Role.LEADER)
QUEUE_ROLES = (Role.SECTION_HEAD, Role.LEADER, Role.LEGAL_REVIEWER, Role.ARCHIVIST)
# Which ``Who`` of the workflow table each approving role acts as (see ``permissions.can_act_as``).
ROLE_ACTS_AS = {
    Role.SECTION_HEAD: {Who.SECTION_HEAD},
    Role.LEADER: {Who.LEADER, Who.EXECUTOR},
    Role.LEGAL_REVIEWER: {Who.LEGAL_REVIEWER},
    Role.ARCHIVIST: {Who.ARCHIVIST},
}


def _staff(request: HttpRequest) -> User:
    """The signed-in user; every view here is behind ``login_required``."""
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _visible_case(request: HttpRequest, pk: int) -> Case:
    # Another agency's case is "not found", not "forbidden": its existence is itself information.
    try:
        return selectors.case_get_for(request.user, pk)
    except Case.DoesNotExist:
        raise Http404(gettext("未找到该案件。")) from None


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def can_open_case(user: Any) -> bool:
    """Officers, section heads and leaders register leads (案源登记) in their own agency."""
    return bool(user.agency_id) and any(user.has_role(role) for role in OPENING_ROLES)


def _agency_officers(user: User) -> QuerySet[Officer]:
    return Officer.objects.filter(agency_id__in=visible_agency_ids(user)).order_by("name", "pk")


# ------------------------------------------------------------------------------------------------ list


@dataclass
class ListPage:
    """One page of the list, found without counting the whole table (the count is capped)."""

    rows: list[presenters.ListRow]
    number: int
    has_previous: bool
    has_next: bool
    total: int
    total_capped: bool

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _list_page(cases: QuerySet[Case], number: int, *, today: Any) -> ListPage:
    offset = (number - 1) * PER_PAGE
    # Ordered like the (agency, -created_at) index, so a page is an index range scan.
    found = list(
        cases.order_by("-created_at", "-pk").prefetch_related(
            Prefetch("case_officers", queryset=CaseOfficer.objects.select_related("officer").order_by("pk")),
            Prefetch("case_parties", queryset=CaseParty.objects.select_related("party").order_by("pk")),
        )[offset : offset + PER_PAGE + 1]
    )
    total = cases.order_by().values("pk")[: COUNT_CAP + 1].count()
    return ListPage(
        rows=presenters.list_rows(found[:PER_PAGE], today=today),
        number=number,
        has_previous=number > 1,
        has_next=len(found) > PER_PAGE,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    today = workflow.today()
    form = CaseFilterForm(request.GET or None, officers=_agency_officers(user))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "stage": data["stage"] or None,
            "category": data["category"],
            "officer": data["officer"],
            "overdue": data["overdue"],
        }
    cases = selectors.case_list_for(user, today=today, **filters)
    page = _list_page(cases, _page_number(request.GET.get("page")), today=today)
    # The filters are drawn by hand from plain choices: widget templates cost more than the 25 rows.
    values = {name: form.data.get(name, "") for name in ("stage", "category", "officer")}
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "values": values,
            "overdue": bool(filters.get("overdue")),
            "stages": Stage.choices,
            "categories": list(EnforcementCategory.objects.values_list("pk", "name")),
            "officer_choices": list(_agency_officers(user).values_list("pk", "name")),
            "page": page,
            "can_open": can_open_case(user),
        },
    )


# ------------------------------------------------------------------------------------------------ open


class _PartyRefusedError(Exception):
    """The new party was refused; its form carries the errors. Rolls back the block it leaves."""


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    agency = user.agency
    if agency is None or not can_open_case(user):
        raise PermissionDenied(gettext("您无权登记案源。"))
    parties = party_selectors.party_list_for(user).filter(agency=agency).order_by("name", "pk")
    form = CaseOpenForm(
        request.POST or None,
        parties=parties,
        officers=Officer.objects.filter(agency=agency).prefetch_related("categories").order_by("name", "pk"),
        today=workflow.today(),
        initial={key: request.GET[key] for key in ("source", "procedure") if request.GET.get(key)},
    )
    wants_new_party = bool(request.POST.get("new_party"))
    party_form = PartyForm(request.POST if wants_new_party else None, prefix="party")
    if request.method == "POST":
        if form.is_valid() and (not wants_new_party or party_form.is_valid()):
            case = _open(request, form, party_form, wants_new_party)
            if case is not None:
                messages.success(request, gettext("案源已登记。"))
                url = reverse("cases:detail", args=[case.pk])
                if form.cleaned_data["procedure"] == CaseOpenForm.SIMPLE:
                    url += f"?action={Action.DECIDE_ON_SPOT.value}#action-panel"
                return redirect(url)
        return render(request, "cases/case_form.html", {"form": form, "party_form": party_form}, status=422)
    return render(request, "cases/case_form.html", {"form": form, "party_form": party_form})


def _open(
    request: HttpRequest, form: CaseOpenForm, party_form: PartyForm, wants_new_party: bool
) -> Case | None:
    """Create the new party (if asked) and the lead in one transaction: if one is refused, neither stays."""
    user = _staff(request)
    agency = user.agency
    assert agency is not None  # noqa: S101 (checked by the view)
    try:
        with transaction.atomic():
            chosen = list(form.cleaned_data["parties"])
            if wants_new_party:
                if not party_permissions.can_create_party(user, agency):
                    form.add_error("new_party", gettext("您无权登记当事人。"))
                    raise _PartyRefusedError
                try:
                    chosen.append(
                        party_services.party_create(actor=user, agency=agency, **party_form.service_fields())
                    )
                except ValidationError as error:
                    _add_errors(party_form, error)
                    raise _PartyRefusedError from error
            return services.case_open(
                actor=user,
                agency=agency,
                parties=chosen,
                officers=form.cleaned_data["officers"],
                **form.service_fields(),
            )
    except _PartyRefusedError:
        return None
    except ValidationError as error:
        _add_errors(form, error)
        return None


# ---------------------------------------------------------------------------------------------- detail


def _action_buttons(request: HttpRequest, case: Case, steps: list[Step]) -> list[dict[str, Any]]:
    return [
        {
            "action": str(step.action),
            "label": step.action.label,
            "url": reverse("cases:act", args=[case.pk, step.action]),
        }
        for step in steps
    ]


def _action_av_warning(case: Case, action: str) -> str | None:
    """The AV recording warning of the form of ``action``: recording a hearing asks for its video (118号)."""
    if action != Action.RECORD_HEARING:
        return None
    return av_rules.av_warning(case, RecordedAct.HEARING, case.hearing_held_on or case.hearing_on)


def _detail_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = _staff(request)
    today = workflow.today()
    calendar_error = ""
    refused: list[tuple[Step, str]] = []
    try:
        steps, refused = selectors.actions_for(user, case)
    except CalendarMissing as missing:
        # A guard's clock runs into a year without a holiday table: say so rather than guess the buttons.
        steps, calendar_error = [], str(missing)
    open_action = request.GET.get("action", "")
    open_form = None
    if open_action in {str(step.action) for step in steps}:
        open_form = ActionForm(case=case, action=open_action)
    officers = [
        link.officer
        for link in case.case_officers.select_related("officer").prefetch_related("officer__categories")
    ]
    return {
        "case": case,
        "today": today,
        "parties": [link.party for link in case.case_parties.select_related("party").order_by("pk")],
        "officers": officers,
        "certified_count": presenters.officers_certified_today(
            officers, category_id=case.category_id, today=today
        ),
        "penalty_sets": presenters.penalty_sets(case),
        "fine_yuan": presenters.yuan(case.fine_fen),
        "clocks": presenters.case_clocks(case, today=today),
        "timeline": presenters.timeline(case),
        "events": presenters.case_events(user, case),
        "coercion": presenters.coercion_panel(user, case),
        "review": presenters.review_panel(user, case),
        "actions": _action_buttons(request, case, steps),
        # What the user could do but a rule refuses for now, and why (the guard's Chinese reason).
        "blocked": [(str(step.action.label), reason) for step, reason in refused],
        "can_edit_lead": permissions.can_edit_lead(user, case),
        "lead_changes": presenters.lead_changes(case),
        "calendar_error": calendar_error,
        "open_form": open_form,
        "open_action": open_action if open_form is not None else "",
        "open_label": Action(open_action).label if open_form is not None else "",
        "open_url": reverse("cases:act", args=[case.pk, open_action]) if open_form is not None else "",
        "action_av_warning": _action_av_warning(case, open_action) if open_form is not None else None,
        # A hearing held without an AV record covering its day (国办发〔2018〕118号: 举行听证).
        "hearing_av_warning": av_rules.av_warning(case, RecordedAct.HEARING, case.hearing_held_on),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    services.case_record_access(case=case, actor=request.user)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


# ------------------------------------------------------------------------------------------------- act


def _action_response(
    request: HttpRequest,
    case: Case,
    action: str,
    form: ActionForm | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": case,
        "action": action,
        "label": Action(action).label,
        "form": form,
        "error": error,
        "url": reverse("cases:act", args=[case.pk, action]),
        "action_av_warning": _action_av_warning(case, action),
    }
    template = "cases/_action_form.html" if _is_htmx(request) else "cases/action_page.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: the form of ``action`` (an HTMX partial). POST: perform it through ``services.case_transition``.

    A refused step (a guard, missing data, a stage that moved on) is shown in Chinese above the form with
    status 422, and nothing changes: the service runs in one transaction.
    """
    user = _staff(request)
    case = _visible_case(request, pk)
    if action not in Action.values:
        raise Http404(gettext("未知的操作。"))
    try:
        step = workflow.step(case.stage, action)
    except workflow.TransitionNotAllowed as refused:
        return _action_response(request, case, action, None, error=" ".join(refused.messages), status=422)
    if not permissions.can_perform(user, case, step):
        raise PermissionDenied(
            gettext("“%(action)s”须由%(who)s办理。")
            % {"action": step.action.label, "who": Who(step.who).label}
        )
    if request.method == "GET":
        return _action_response(request, case, action, ActionForm(case=case, action=action))
    form = ActionForm(request.POST, case=case, action=action)
    if form.is_valid():
        try:
            services.case_transition(
                case=case, action=action, actor=user, note=form.note(), **form.transition_data()
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("已完成“%(action)s”。") % {"action": step.action.label})
            url = reverse("cases:detail", args=[case.pk])
            if _is_htmx(request):
                response = HttpResponse(status=200)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    return _action_response(request, case, action, form, status=422)


# ------------------------------------------------------------------------------------------------ lead


@login_required
@require_http_methods(["GET", "POST"])
def case_lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改案源登记信息: the lead's handlers correct its facts before filing (``leads.case_lead_update``).

    A refusal (a lead already submitted, a date in the future, nothing changed) is shown in Chinese above the
    form with status 422 and nothing changes.
    """
    user = _staff(request)
    case = _visible_case(request, pk)
    if not permissions.can_edit_lead(user, case):
        raise PermissionDenied(gettext("只有本案承办人员可以在提请立案前修改案源登记信息。"))
    form = LeadForm(request.POST or None, case=case)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                leads.case_lead_update(
                    case=case, actor=user, reason=form.cleaned_data["reason"], **form.changes()
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, gettext("案源登记信息已修改，修改记录已存档。"))
                url = reverse("cases:detail", args=[case.pk])
                if _is_htmx(request):
                    response = HttpResponse(status=200)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
    context = {"case": case, "form": form, "url": reverse("cases:lead", args=[case.pk])}
    template = "cases/_lead_form.html" if _is_htmx(request) else "cases/lead_page.html"
    return render(request, template, context, status=status)


# ----------------------------------------------------------------------------------------------- queue


def _awaiting(user: User, case: Case) -> list[str]:
    """What the queue asks of this user for ``case``: the table's actions of the user's approving roles."""
    whos: set[str] = set()
    for role, acts_as in ROLE_ACTS_AS.items():
        if user.has_role(role):
            whos |= acts_as
    labels = [
        str(step.action.label)
        for step in workflow.steps_from(case.stage)
        if step.who in whos and step.action not in (Action.APPROVE_EXTENSION, Action.REQUEST_EXTENSION)
    ]
    if case.extension_requested_until is not None and Who.LEADER in whos:
        labels.append(str(Action.APPROVE_EXTENSION.label))
    return labels


@login_required
@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not any(user.has_role(role) for role in QUEUE_ROLES):
        raise PermissionDenied(gettext("您没有审批职责。"))
    page = Paginator(selectors.approval_queue_for(user), 50).get_page(request.GET.get("page"))
    rows = [(case, _awaiting(user, case)) for case in page]
    roles = [str(Role(role).label) for role in QUEUE_ROLES if user.has_role(role)]
    return render(request, "cases/queue.html", {"page": page, "rows": rows, "roles": roles})
