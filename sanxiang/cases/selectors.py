"""Reads of cases, always scoped to the agencies the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import permissions, workflow
from sanxiang.cases.models import Case, CaseOfficer
from sanxiang.cases.workflow import GuardFailed, Stage, Step
from sanxiang.core.due import DueItem
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing

__all__ = [
    "approval_queue_for",
    "available_actions",
    "case_get_for",
    "case_list_for",
    "due_items_for",
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


def approval_queue_for(user: Any) -> QuerySet[Case]:
    """The cases waiting for this user's approval in their own agency.

    Section head: filings to review and on-the-spot decisions to record (备案). Leader: filings to approve,
    case reviews, decisions, extensions and closings. Legal reviewer: cases awaiting the review outcome (not
    their own). Archivist: closed cases to archive.
    """
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return Case.objects.none()
    wanted = Q(pk__in=[])
    if user.has_role("section_head"):
        wanted |= Q(stage__in=[Stage.FILING_SUBMITTED, Stage.ON_SPOT_DECIDED])
    if user.has_role("leader"):
        wanted |= Q(
            stage__in=[
                Stage.FILING_REVIEWED,
                Stage.CASE_REVIEW,
                Stage.DEFENCE_CONCLUDED,
                Stage.LEGAL_REVIEWED,
                Stage.DISCUSSED,
                Stage.CLOSING_SUBMITTED,
            ]
        )
        wanted |= Q(extension_requested_until__isnull=False)
    if user.has_role("legal_reviewer"):
        wanted |= Q(stage=Stage.LEGAL_REVIEW) & ~Q(case_officers__officer__user=user)
    if user.has_role("archivist"):
        wanted |= Q(stage=Stage.CLOSED)
    return (
        Case.objects.filter(agency_id=user.agency_id)
        .filter(wanted)
        .distinct()
        .select_related("agency", "category")
        .order_by("created_at", "pk")
    )


def available_actions(user: Any, case: Case) -> list[Step]:
    """The steps ``user`` may perform on ``case`` now: permitted, and every guard that needs no data passes.

    Guards that read the step's data (penalties, dates) are checked when the action is performed. A step whose
    clock would need a holiday table not yet loaded is not offered: performing it would be refused too.
    """
    if not permissions.can_view_case(user, case):
        return []
    found = []
    for step in workflow.steps_from(case.stage):
        if not permissions.can_perform(user, case, step):
            continue
        try:
            for guard in (*step.guards, *workflow.registered_guards(step.action)):
                if guard in workflow.DATA_GUARDS:
                    continue
                guard(case, user, {})
        except (GuardFailed, CalendarMissing):
            continue
        found.append(step)
    return found


# The stages in which a case runs a clock of its own (see due_items_for).
CLOCK_STAGES = (*workflow.PRE_DECISION, Stage.NOTIFIED, Stage.HEARING_SCHEDULED, Stage.DECIDED)


def _handled_or_approved(user: Any) -> QuerySet[Case]:
    """Cases with a running clock that ``user`` handles or must approve; subqueries, so no DISTINCT."""
    mine = CaseOfficer.objects.filter(officer__user=user).values("case_id")
    queue = approval_queue_for(user).values("pk")
    # A leader's list spans the agency: load only the columns the clocks read.
    return (
        Case.objects.filter(agency_id=user.agency_id, stage__in=CLOCK_STAGES)
        .filter(Q(pk__in=mine) | Q(pk__in=queue))
        .only(
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
        )
    )


def due_items_for(user: Any, *, today: datetime.date) -> list[DueItem]:
    """The running clocks of the cases ``user`` handles or must approve.

    Decision due (行政处罚法 Art.60, 90 days or the approved extension), the hearing request window
    (Art.64(一)), the latest day to notify a hearing (Art.64(二)) and delivery due (Art.61). The fine's
    payment clock (Art.67) comes from the payments app, which knows deferrals and what was paid.
    """
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return []
    # A leader's list can run to thousands of clocks: translate each text once and read plain tuples.
    text = {
        "unfiled": gettext("未立案"),
        "decide": gettext("作出处罚决定"),
        "provisional": gettext("（节假日安排未导入，期限待定，遇休息日顺延）"),
        "art60": gettext("行政处罚法第六十条"),
        "hearing_request": gettext("听证申请期限届满"),
        "hearing_notice": gettext("送达听证通知"),
        "art64": gettext("行政处罚法第六十四条"),
        "art85": gettext("行政处罚法第八十五条"),
        "deliver": gettext("送达处罚决定书"),
        "art61": gettext("行政处罚法第六十一条"),
    }
    pre_decision = set(workflow.PRE_DECISION)
    user_ids = (user.pk,)
    items: list[DueItem] = []

    def add(
        pk: int, agency_id: int, subject: str, clock: str, title: str, due: datetime.date, basis: str
    ) -> None:
        items.append(
            DueItem(
                key=f"case:{pk}:{clock}",
                title=title,
                subject=subject,
                due=due,
                url=f"/cases/{pk}/",
                basis=basis,
                agency_id=agency_id,
                user_ids=user_ids,
            )
        )

    rows = _handled_or_approved(user).values_list(
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
    )
    for (
        pk,
        agency_id,
        number,
        title,
        stage,
        decision_due_on,
        provisional,
        notified_on,
        hearing_right,
        hearing_on,
        delivery_due_on,
    ) in rows:
        subject = f"{number or text['unfiled']} {title}"
        if stage in pre_decision and decision_due_on is not None:
            what = text["decide"] + (text["provisional"] if provisional else "")
            add(pk, agency_id, subject, "decision_due", what, decision_due_on, text["art60"])
        try:
            if stage == Stage.NOTIFIED and hearing_right and notified_on is not None:
                due = clocks.hearing_request_due(notified_on)
                add(
                    pk, agency_id, subject, "hearing_request_due", text["hearing_request"], due, text["art64"]
                )
            if stage == Stage.HEARING_SCHEDULED and hearing_on is not None:
                due = clocks.hearing_notice_latest(hearing_on)
                add(
                    pk,
                    agency_id,
                    subject,
                    "hearing_notice_latest",
                    text["hearing_notice"],
                    due,
                    text["art64"],
                )
        except CalendarMissing as missing:
            # A working-day clock into a year without a table has no date yet: say so instead of guessing.
            add(pk, agency_id, subject, "calendar_missing", str(missing), today, text["art85"])
        if stage == Stage.DECIDED and delivery_due_on is not None:
            add(pk, agency_id, subject, "delivery_due", text["deliver"], delivery_due_on, text["art61"])
        # The fine's own clock (Art.67, with deferrals and late fees) is the payments app's.
    return items
