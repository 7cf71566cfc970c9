"""Reads of cases, always scoped to the agencies the user may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import permissions, workflow
from sanxiang.cases.models import Case, CaseOfficer
from sanxiang.cases.workflow import Stage, Step
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing

__all__ = [
    "actions_for",
    "approval_queue_for",
    "approver_roles",
    "available_actions",
    "case_get_for",
    "case_list_for",
    "clocks_of",
]


def case_list_for(
    user: Any,
    *,
    stage: str | None = None,
    category: Any = None,
    officer: Any = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """The cases of the agencies ``user`` sees, optionally filtered.

    ``overdue``: the decision is past its due date (行政处罚法 Art.60, or the extension's date), or a
    decision is past its delivery date (Art.61).
    """
    cases = Case.objects.filter(agency_id__in=visible_agency_ids(user))
    if stage:
        cases = cases.filter(stage=stage)
    if category is not None:
        cases = cases.filter(category=category)
    if officer is not None:
        cases = cases.filter(case_officers__officer=officer)
    if overdue:
        day = today or workflow.today()
        cases = cases.filter(
            Q(stage__in=workflow.PRE_DECISION, decision_due_on__lt=day)
            | Q(stage=Stage.DECIDED, delivery_due_on__lt=day)
        )
    return cases.select_related("agency", "category")


def case_get_for(user: Any, pk: int) -> Case:
    """One case the user may see, or ``Case.DoesNotExist`` (a 404 for other agencies)."""
    return case_list_for(user).get(pk=pk)


# The approval queues: the stages in which a case waits for a holder of each role in its agency. A requested
# extension of the decision period also waits for the leader (行政处罚法 Art.60).
QUEUE_STAGES: dict[str, tuple[Stage, ...]] = {
    "section_head": (Stage.FILING_SUBMITTED, Stage.ON_SPOT_DECIDED),
    "leader": (
        Stage.FILING_REVIEWED,
        Stage.CASE_REVIEW,
        Stage.DEFENCE_CONCLUDED,
        Stage.LEGAL_REVIEWED,
        Stage.DISCUSSED,
        Stage.CLOSING_SUBMITTED,
    ),
    "legal_reviewer": (Stage.LEGAL_REVIEW,),  # not the reviewer's own cases: see approval_queue_for
    "archivist": (Stage.CLOSED,),
}


def approver_roles(stage: str, *, extension_requested: bool = False) -> tuple[str, ...]:
    """The roles in whose approval queue a case in ``stage`` waits."""
    roles = [role for role, stages in QUEUE_STAGES.items() if stage in stages]
    if extension_requested and "leader" not in roles:
        roles.append("leader")
    return tuple(roles)


def approval_queue_for(user: Any) -> QuerySet[Case]:
    """The cases waiting for this user's approval in their own agency (:data:`QUEUE_STAGES`).

    Section head: filings to review and on-the-spot decisions to record (备案). Leader: filings to approve,
    case reviews, decisions, extensions and closings. Legal reviewer: cases awaiting the review outcome (not
    their own). Archivist: closed cases to archive.
    """
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return Case.objects.none()
    wanted = Q(pk__in=[])
    for role, stages in QUEUE_STAGES.items():
        if not user.has_role(role):
            continue
        if role == "legal_reviewer":
            # A reviewer does not review a case they handle (行政处罚法 Art.58: review by other staff).
            wanted |= Q(stage__in=stages) & ~Q(case_officers__officer__user=user)
        else:
            wanted |= Q(stage__in=stages)
    if user.has_role("leader"):
        wanted |= Q(extension_requested_until__isnull=False)
    return (
        Case.objects.filter(agency_id=user.agency_id)
        .filter(wanted)
        .distinct()
        .select_related("agency", "category")
        .order_by("created_at", "pk")
    )


def actions_for(user: Any, case: Case) -> tuple[list[Step], list[tuple[Step, str]]]:
    """The steps ``user`` may perform on ``case`` now, and those they may perform but a guard refuses.

    A step is available when the user is permitted and every guard that needs no data passes
    (:func:`workflow.refusal`); guards that read the step's data (penalties, dates) are checked when the
    action is performed. A refused step comes with the guard's Chinese reason (a missing document, an open
    seizure, a fine not yet paid, a holiday table not loaded …), so the page can say why; a step that does not
    apply to
    the case at all (:class:`workflow.NotApplicable`: the other procedure, nothing to execute) is neither.
    """
    if not permissions.can_view_case(user, case):
        return [], []
    found: list[Step] = []
    refused: list[tuple[Step, str]] = []
    for step in workflow.steps_from(case.stage):
        if not permissions.can_perform(user, case, step):
            continue
        refusal = workflow.refusal(case, user, step)
        if refusal is None:
            found.append(step)
        elif not isinstance(refusal, workflow.NotApplicable):
            refused.append((step, " ".join(refusal.messages)))
    return found, refused


def available_actions(user: Any, case: Case) -> list[Step]:
    """The steps ``user`` may perform on ``case`` now (the first half of :func:`actions_for`)."""
    return actions_for(user, case)[0]


# The stages in which a case runs a clock of its own (see clocks_of).
CLOCK_STAGES = (*workflow.PRE_DECISION, Stage.NOTIFIED, Stage.HEARING_SCHEDULED, Stage.DECIDED)
_CLOCK_COLUMNS = (
    "pk",
    "agency_id",
    "number",
    "title",
    "stage",
    "decision_due_on",
    "decision_due_provisional",
    "notified_on",
    "hearing_right",
    "hearing_on",
    "delivery_due_on",
    "extension_requested_until",
)


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """The running clocks of the cases among ``matters`` ("case:12"; None: of every case).

    Decision due (行政处罚法 Art.60, 90 days or the approved extension), the hearing request window
    (Art.64(一)), the latest day to notify a hearing (Art.64(二)) and delivery due (Art.61). The fine's
    payment clock (Art.67) comes from the payments app, which knows deferrals and what was paid.

    Each goes to the case's handling officers and to the roles in whose approval queue the case waits
    (:func:`approver_roles`). The legal reviewers' queue leaves out a reviewer's own cases, but on "my work"
    a handler sees the case's clocks as a handler anyway, so the role alone says it.
    """
    ids = due.matter_ids(matters, "case")
    cases = Case.objects.filter(stage__in=CLOCK_STAGES)
    if ids is not None:
        if not ids:
            return []
        cases = cases.filter(pk__in=ids)
    handlers: dict[int, list[int]] = defaultdict(list)
    officers = CaseOfficer.objects.filter(case__in=cases.values("pk"), officer__user__isnull=False)
    for case_id, user_id in officers.order_by("pk").values_list("case_id", "officer__user_id"):
        handlers[case_id].append(user_id)
    items: list[DueItem] = []
    for row in cases.values_list(*_CLOCK_COLUMNS).iterator(chunk_size=2_000):
        items.extend(_case_clocks(dict(zip(_CLOCK_COLUMNS, row, strict=True)), tuple(handlers[row[0]])))
    return items


def _case_clocks(case: dict[str, Any], handlers: tuple[int, ...]) -> list[DueItem]:
    pk, stage = case["pk"], case["stage"]
    roles = approver_roles(stage, extension_requested=case["extension_requested_until"] is not None)
    found: list[DueItem] = []

    def add(clock: str, title: str, day: datetime.date, basis: str, missing_year: int | None = None) -> None:
        found.append(
            DueItem(
                key=f"case:{pk}:{clock}",
                title=title,
                subject=f"{case['number']} {case['title']}".strip(),
                due=day,
                url=f"/cases/{pk}/",
                basis=basis,
                agency_id=case["agency_id"],
                user_ids=handlers,
                roles=roles,
                provisional=missing_year is not None,
                missing_year=missing_year,
            )
        )

    decision_due_on = case["decision_due_on"]
    if stage in workflow.PRE_DECISION and decision_due_on is not None:
        art60 = gettext_noop("行政处罚法第六十条")
        if case["decision_due_provisional"]:
            # Filed with no holiday table for the end's year: the nominal 90th day, not yet rolled over.
            title = gettext_noop("作出处罚决定（节假日安排未导入，期限待定，遇休息日顺延）")
            add("decision_due", title, decision_due_on, art60, decision_due_on.year)
        else:
            add("decision_due", gettext_noop("作出处罚决定"), decision_due_on, art60)
    art64 = gettext_noop("行政处罚法第六十四条")
    if stage == Stage.NOTIFIED and case["hearing_right"] and case["notified_on"] is not None:
        notified_on = case["notified_on"]
        try:
            add(
                "hearing_request_due",
                gettext_noop("听证申请期限届满"),
                clocks.hearing_request_due(notified_on),
                art64,
            )
        except CalendarMissing as missing:
            # A working-day period into a year without a table: its nominal end, weekdays only, never a guess
            # presented as final.
            title = gettext_noop("听证申请期限届满（节假日安排未导入，期限待定）")
            add("hearing_request_due", title, _weekdays(notified_on, 5), art64, missing.year)
    if stage == Stage.HEARING_SCHEDULED and case["hearing_on"] is not None:
        hearing_on = case["hearing_on"]
        try:
            add(
                "hearing_notice_latest",
                gettext_noop("送达听证通知"),
                clocks.hearing_notice_latest(hearing_on),
                art64,
            )
        except CalendarMissing as missing:
            title = gettext_noop("送达听证通知（节假日安排未导入，期限待定）")
            add("hearing_notice_latest", title, _weekdays(hearing_on, -7), art64, missing.year)
    if stage == Stage.DECIDED and case["delivery_due_on"] is not None:
        title = gettext_noop("送达处罚决定书")
        add("delivery_due", title, case["delivery_due_on"], gettext_noop("行政处罚法第六十一条"))
    # The fine's own clock (Art.67, with deferrals and late fees) is the payments app's.
    return found


def _weekdays(start: datetime.date, n: int) -> datetime.date:
    """The n-th weekday after ``start`` (before it, for a negative n).

    The nominal end of a working-day period (行政处罚法 Art.85) while its year's holiday table is missing;
    the table may move it.
    """
    step = datetime.timedelta(days=1 if n > 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if day.weekday() < 5:
            left -= 1
    return day
