"""Reads of inspections, always scoped to what the user may see, and the inspection clocks."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core.due import DueItem
from sanxiang.deadlines.calendar import CalendarMissing, add_calendar_days
from sanxiang.inspections.models import Inspection, RectificationOrder, Stage

RECHECK_DAYS = 10


def inspection_list_for(user: Any) -> QuerySet[Inspection]:
    """Inspections of the agencies the user may see; none for a user without a role."""
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return Inspection.objects.none()
    return Inspection.objects.filter(agency_id__in=visible_agency_ids(user)).select_related(
        "agency", "party", "category"
    )


def inspection_get_for(user: Any, pk: int) -> Inspection:
    """One visible inspection; raises ``Inspection.DoesNotExist`` for one the user may not see."""
    return inspection_list_for(user).get(pk=pk)


def _open_orders() -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.filter(inspection__stage=Stage.RECTIFYING, rechecks__isnull=True)


def overdue_filter(today: datetime.date) -> Q:
    """Inspections with an order still un-rechecked after its rectification period."""
    late = _open_orders().filter(inspection=OuterRef("pk"), due_on__lt=today)
    return Q(Exists(late))


def inspection_search_for(
    user: Any, *, stage: str = "", overdue: bool = False, today: datetime.date | None = None
) -> QuerySet[Inspection]:
    inspections = inspection_list_for(user)
    if stage:
        inspections = inspections.filter(stage=stage)
    if overdue and today is not None:
        inspections = inspections.filter(overdue_filter(today))
    return inspections


def recheck_due(order: RectificationOrder) -> datetime.date:
    """Re-check within 10 days after the rectification period ends.

    原《安全生产违法行为行政处罚办法》(总局令第15号) 复查规定: 自收到申请或者限期届满之日起十日内复查; the
    wording of 应急管理部令第18号 was not obtained (unverified). Calendar days: not an Art.85 period.
    """
    return add_calendar_days(order.due_on, RECHECK_DAYS)


def due_items_for(user: Any, *, today: datetime.date) -> list[DueItem]:
    """Running rectification and re-check clocks of the inspections the user works on.

    An officer sees the inspections they are assigned to; a section head or leader every one of the agency.
    """
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return []
    orders = _open_orders().filter(inspection__agency_id=user.agency_id)
    if not (user.has_role(Role.SECTION_HEAD) or user.has_role(Role.LEADER)):
        orders = orders.filter(inspection__assignments__officer__user=user)
    orders = orders.select_related("inspection__party").prefetch_related("inspection__assignments__officer")
    items: list[DueItem] = []
    for order in orders.distinct():
        inspection = order.inspection
        url = reverse("inspections:detail", args=[inspection.pk])
        subject = f"{inspection.number} {inspection.party.name}"
        user_ids = tuple(a.officer.user_id for a in inspection.assignments.all() if a.officer.user_id)
        key = f"inspection:{inspection.pk}:order:{order.pk}"
        try:
            recheck_on = recheck_due(order)
            recheck_title = gettext("整改复查（%(number)s）") % {"number": order.number}
        except CalendarMissing:
            # Without the holiday table the roll-over cannot be known; show the earliest possible day.
            recheck_on = order.due_on
            recheck_title = gettext("整改复查（%(number)s，节假日安排未导入，期限待定）") % {
                "number": order.number
            }
        for suffix, title, due, basis in (
            (
                "rectification_due",
                gettext("整改期限届满（%(number)s）") % {"number": order.number},
                order.due_on,
                gettext("安全生产法第六十五条第一款第二项"),
            ),
            (
                "recheck_due",
                recheck_title,
                recheck_on,
                gettext("安全生产违法行为行政处罚办法（整改复查期限）"),
            ),
        ):
            items.append(
                DueItem(
                    key=f"{key}:{suffix}",
                    title=title,
                    subject=subject,
                    due=due,
                    url=url,
                    basis=basis,
                    agency_id=inspection.agency_id,
                    user_ids=user_ids,
                )
            )
    return items
