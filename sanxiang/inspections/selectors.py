"""Reads of inspections, always scoped to what the user may see, and the inspection clocks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core import due
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


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """Running rectification and re-check clocks of the inspections among ``matters`` ("inspection:7").

    They go to the inspection's officers, who are told; every section head and leader of the agency sees them
    too, without being told.
    """
    ids = due.matter_ids(matters, "inspection")
    orders = _open_orders()
    if ids is not None:
        if not ids:
            return []
        orders = orders.filter(inspection_id__in=ids)
    orders = orders.select_related("inspection__party").prefetch_related("inspection__assignments__officer")
    items: list[DueItem] = []
    for order in orders.order_by("pk"):
        inspection = order.inspection
        url = reverse("inspections:detail", args=[inspection.pk])
        subject = f"{inspection.number} {inspection.party.name}"
        user_ids = tuple(a.officer.user_id for a in inspection.assignments.all() if a.officer.user_id)
        key = f"inspection:{inspection.pk}:order:{order.pk}"
        number = {"number": order.number}
        missing_year = None
        try:
            recheck_on = recheck_due(order)
            recheck_title = gettext_noop("整改复查（%(number)s）")
        except CalendarMissing as missing:
            # Without the holiday table the roll-over cannot be known; show the earliest possible day.
            recheck_on = order.due_on
            recheck_title = gettext_noop("整改复查（%(number)s，节假日安排未导入，期限待定）")
            missing_year = missing.year
        for suffix, title, day, basis, year in (
            (
                "rectification_due",
                gettext_noop("整改期限届满（%(number)s）"),
                order.due_on,
                gettext_noop("安全生产法第六十五条第一款第二项"),
                None,
            ),
            (
                "recheck_due",
                recheck_title,
                recheck_on,
                gettext_noop("安全生产违法行为行政处罚办法（整改复查期限）"),
                missing_year,
            ),
        ):
            items.append(
                DueItem(
                    key=f"{key}:{suffix}",
                    title=title,
                    title_args=number,
                    subject=subject,
                    due=day,
                    url=url,
                    basis=basis,
                    agency_id=inspection.agency_id,
                    user_ids=user_ids,
                    roles=(Role.SECTION_HEAD, Role.LEADER),
                    tell_roles=False,
                    provisional=year is not None,
                    missing_year=year,
                )
            )
    return items


def inspection_evidence(inspection: Inspection) -> list[Any]:
    """The evidence items of ``inspection`` (photos, recordings, scans), in the order they were stored."""
    return list(
        inspection.evidence.select_related("ingested_by", "av_record")
        .prefetch_related("corrections")
        .order_by("ingested_at", "pk")
    )
