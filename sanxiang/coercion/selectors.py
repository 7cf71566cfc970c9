"""Reads of coercive measures, always scoped to the agencies the user may see, and their clocks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.coercion.models import (
    CoerciveMeasure,
    MeasureExtension,
    MeasureStage,
    Preservation,
    PreservationStage,
)
from sanxiang.core import due
from sanxiang.core.due import EVERY_ROLE, DueItem
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing, add_calendar_days
from sanxiang.evidence.models import AVRecord, RecordedAct


def measure_list_for(user: Any) -> QuerySet[CoerciveMeasure]:
    """Measures of the user's agency (and, for a supervisor, of the agencies below); none without a role."""
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return CoerciveMeasure.objects.none()
    return CoerciveMeasure.objects.filter(agency_id__in=visible_agency_ids(user)).select_related(
        "agency", "case"
    )


def measure_get_for(user: Any, pk: int) -> CoerciveMeasure:
    """One visible measure; raises ``CoerciveMeasure.DoesNotExist`` for one the user may not see."""
    return measure_list_for(user).get(pk=pk)


def preservation_list_for(user: Any) -> QuerySet[Preservation]:
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return Preservation.objects.none()
    return Preservation.objects.filter(agency_id__in=visible_agency_ids(user)).select_related(
        "agency", "case"
    )


def preservation_get_for(user: Any, pk: int) -> Preservation:
    return preservation_list_for(user).get(pk=pk)


@dataclass(frozen=True)
class MeasurePeriod:
    """The period of a 查封、扣押 (行政强制法 Art.25).

    ``base_end`` ends the decided period (at most 30 days from the act); ``extension_end`` the one extension;
    ``end`` adds the days excluded for testing or appraisal. The excluded days are added to the days of the
    last segment before the rest-day roll-over, so that a roll-over is never counted twice.
    """

    starts_on: datetime.date
    base_end: datetime.date
    extension_end: datetime.date | None
    excluded_days: int
    end: datetime.date


def _segment_end(start: datetime.date, days: int, full: Any, extra: int = 0) -> datetime.date:
    # The full 30 days are the statutory clock itself; a shorter decided period counts the same way.
    if days == 30 and extra == 0:
        result: datetime.date = full(start)
        return result
    return add_calendar_days(start, days + extra)


def measure_period(measure: CoerciveMeasure) -> MeasurePeriod | None:
    """The period of a measure that has been carried out, or None before the act."""
    starts_on = measure.acted_on
    if starts_on is None or measure.decided_on is None:
        return None
    excluded = sum(p.days for p in measure.excluded_periods.all())
    extension = _extension_of(measure)
    base_end = _segment_end(starts_on, measure.period_days, clocks.coercion_period_end)
    extension_end = None
    if extension is None:
        end = _segment_end(starts_on, measure.period_days, clocks.coercion_period_end, excluded)
    else:
        extension_end = _segment_end(base_end, extension.days, clocks.coercion_extension_end)
        end = _segment_end(base_end, extension.days, clocks.coercion_extension_end, excluded)
    return MeasurePeriod(starts_on, base_end, extension_end, excluded, end)


def _extension_of(measure: CoerciveMeasure) -> MeasureExtension | None:
    # Read through the relation when the caller loaded it (``select_related("extension")``, as the clocks
    # do for many measures at once); else from the table, so a page never trusts a copy older than the row.
    if CoerciveMeasure.extension.is_cached(measure):
        try:
            return measure.extension
        except MeasureExtension.DoesNotExist:
            return None
    return MeasureExtension.objects.filter(measure=measure).first()


def measure_period_or_error(measure: CoerciveMeasure) -> tuple[MeasurePeriod | None, str]:
    """For pages: the period, or the Chinese message saying which year's holiday table is missing.

    A period touching a year without a holiday table is never guessed (see ``deadlines.calendar``).
    """
    try:
        return measure_period(measure), ""
    except CalendarMissing as missing:
        return None, str(missing)


def emergency_overdue(measure: CoerciveMeasure, *, now: datetime.datetime | None = None) -> bool:
    """An emergency act not approved within 24 hours (行政强制法 Art.19)."""
    due = measure.report_due_at
    if due is None or measure.stage not in {MeasureStage.EMERGENCY, MeasureStage.REPORTED}:
        return False
    return (now or timezone.now()) > due


def preservation_due_or_error(preservation: Preservation) -> tuple[datetime.date | None, str]:
    """For pages: the handling due date, or the message naming the missing holiday table."""
    try:
        return preservation_due(preservation), ""
    except CalendarMissing as missing:
        return None, str(missing)


def preservation_due(preservation: Preservation) -> datetime.date | None:
    """The last day for the handling decision: 7 working days after preservation (行政处罚法 Art.56)."""
    if preservation.preserved_on is None:
        return None
    return clocks.preservation_decision_due(preservation.preserved_on)


def _subject(matter: CoerciveMeasure | Preservation) -> str:
    case = matter.case
    return f"{getattr(case, 'number', '') or ''} {getattr(case, 'title', '')}".strip()


def measure_due_items(measure: CoerciveMeasure) -> list[DueItem]:
    """The running clocks of one measure: the 24-hour report and approval, or the end of its period.

    They belong to the measure's case (a refresh of the case recomputes them) and are told to the officer who
    started the measure; every staff member who can see the agency sees them (``measure_list_for``).
    """
    url = reverse("coercion:measure_detail", args=[measure.pk])
    common: dict[str, Any] = {
        "subject": _subject(measure),
        "url": url,
        "agency_id": measure.agency_id,
        "user_ids": (measure.created_by_id,),
        "roles": (EVERY_ROLE,),
        "tell_roles": False,
        "matter": f"case:{measure.case_id}",
    }
    items: list[DueItem] = []
    due_at = measure.report_due_at
    if due_at is not None and measure.stage in {MeasureStage.EMERGENCY, MeasureStage.REPORTED}:
        items.append(
            DueItem(
                key=f"coercion:{measure.pk}:emergency_approval",
                title=gettext_noop("当场实施查封扣押：24小时内报告负责人并补办批准"),
                due=timezone.localtime(due_at).date(),
                basis=gettext_noop("行政强制法第十九条"),
                **common,
            )
        )
    if measure.stage == MeasureStage.IN_FORCE and measure.acted_on is not None:
        extended = _extension_of(measure) is not None
        missing_year = None
        try:
            period = measure_period(measure)
            assert period is not None  # noqa: S101 — the measure has been carried out
            end = period.end
            title = (
                gettext_noop("查封扣押延长期限届满：解除或作出处理决定")
                if extended
                else gettext_noop("查封扣押期限届满：解除、延长或作出处理决定")
            )
        except CalendarMissing as missing:
            # Without the holiday table the roll-over cannot be known: show the earliest possible day, so the
            # clock is never shown later than it runs, and say that the day is not final.
            end = _earliest_end(measure)
            title = (
                gettext_noop("查封扣押延长期限届满：解除或作出处理决定（节假日安排未导入，期限待定）")
                if extended
                else gettext_noop("查封扣押期限届满：解除、延长或作出处理决定（节假日安排未导入，期限待定）")
            )
            missing_year = missing.year
        items.append(
            DueItem(
                key=f"coercion:{measure.pk}:{'extension_end' if extended else 'period_end'}",
                title=title,
                due=end,
                basis=gettext_noop("行政强制法第二十五条"),
                provisional=missing_year is not None,
                missing_year=missing_year,
                **common,
            )
        )
    return items


def _earliest_end(measure: CoerciveMeasure) -> datetime.date:
    """The end of the period before any rest-day roll-over: the earliest the period can end."""
    assert measure.acted_on is not None  # noqa: S101
    extension = _extension_of(measure)
    days = measure.period_days + (extension.days if extension else 0)
    days += sum(p.days for p in measure.excluded_periods.all())
    return measure.acted_on + datetime.timedelta(days=days)


def preservation_due_items(preservation: Preservation) -> list[DueItem]:
    """The 7-working-day handling clock of preserved evidence (行政处罚法 Art.56), of its case."""
    if preservation.preserved_on is None or preservation.stage != PreservationStage.PRESERVED:
        return []
    missing_year = None
    try:
        day = clocks.preservation_decision_due(preservation.preserved_on)
        title = gettext_noop("先行登记保存：七日内作出处理决定")
    except CalendarMissing as missing:
        # Seven working days are never fewer than seven calendar days: the earliest possible day.
        day = preservation.preserved_on + datetime.timedelta(days=7)
        title = gettext_noop("先行登记保存：七日内作出处理决定（节假日安排未导入，期限待定）")
        missing_year = missing.year
    return [
        DueItem(
            key=f"coercion:preservation:{preservation.pk}:decision_due",
            title=title,
            subject=_subject(preservation),
            due=day,
            url=reverse("coercion:preservation_detail", args=[preservation.pk]),
            basis=gettext_noop("行政处罚法第五十六条"),
            agency_id=preservation.agency_id,
            user_ids=(preservation.created_by_id,),
            roles=(EVERY_ROLE,),
            tell_roles=False,
            provisional=missing_year is not None,
            missing_year=missing_year,
            matter=f"case:{preservation.case_id}",
        )
    ]


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """The clocks of the open measures and preservations of the cases among ``matters`` ("case:12")."""
    ids = due.matter_ids(matters, "case")
    measures = CoerciveMeasure.objects.filter(
        stage__in=[MeasureStage.EMERGENCY, MeasureStage.REPORTED, MeasureStage.IN_FORCE]
    )
    preservations = Preservation.objects.filter(stage=PreservationStage.PRESERVED)
    if ids is not None:
        if not ids:
            return []
        measures = measures.filter(case_id__in=ids)
        preservations = preservations.filter(case_id__in=ids)
    items: list[DueItem] = []
    for measure in measures.select_related("case", "extension").prefetch_related("excluded_periods"):
        items.extend(measure_due_items(measure))
    for preservation in preservations.select_related("case"):
        items.extend(preservation_due_items(preservation))
    return items


def preservation_overdue(preservation: Preservation, *, today: datetime.date) -> bool:
    """Preserved evidence without a handling decision after the 7 working days (行政处罚法 Art.56)."""
    due = preservation_due(preservation)
    return preservation.stage == PreservationStage.PRESERVED and due is not None and today > due


def case_get_for(user: Any, pk: int) -> Any:
    """A case of an agency the user may see; raises ``Case.DoesNotExist`` otherwise."""
    from sanxiang.cases.models import Case

    if not getattr(user, "is_authenticated", False) or not user.role_set:
        raise Case.DoesNotExist
    return Case.objects.select_related("agency", "category").get(
        pk=pk, agency_id__in=visible_agency_ids(user)
    )


def case_measures_context(user: Any, case: Any) -> dict[str, Any]:
    """The context of ``coercion/_case_measures.html`` for one case the user may see."""
    from sanxiang.coercion import permissions, workflow

    now = timezone.now()
    measures = []
    for measure in measure_list_for(user).filter(case=case).prefetch_related("excluded_periods"):
        period, period_error = measure_period_or_error(measure)
        measures.append(
            {
                "measure": measure,
                "period": period,
                "period_error": period_error,
                "emergency_overdue": emergency_overdue(measure, now=now),
            }
        )
    today = timezone.localdate()
    preservations = []
    for preservation in preservation_list_for(user).filter(case=case):
        due, due_error = preservation_due_or_error(preservation)
        preservations.append(
            {
                "preservation": preservation,
                "due": due,
                "due_error": due_error,
                "overdue": due is not None and preservation_overdue(preservation, today=today),
            }
        )
    return {
        "case": case,
        "measures": measures,
        "preservations": preservations,
        # No button that could only be refused: an ended case takes no new measure.
        "can_start": case.stage not in workflow.CASE_ENDED
        and permissions.can_start_measure(user, case.agency_id),
    }


def av_records_of_measure(measure: CoerciveMeasure) -> QuerySet[AVRecord]:
    """The case's AV records of the act 查封扣押 tied to ``measure``, or tied to no measure yet."""
    return (
        AVRecord.objects.filter(case_id=measure.case_id, act=RecordedAct.SEAL_SEIZE)
        .filter(Q(coercive_measure=measure) | Q(coercive_measure__isnull=True))
        .select_related("evidence")
        .order_by("started_at", "pk")
    )


def av_records_covering_act(measure: CoerciveMeasure, acted_at: datetime.datetime) -> QuerySet[AVRecord]:
    """Those of :func:`av_records_of_measure` whose capture ran at the moment of the act."""
    return av_records_of_measure(measure).filter(started_at__lte=acted_at, ended_at__gte=acted_at)
