"""Reads of the holiday table for pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sanxiang.deadlines.models import HolidayYear, SpecialDay


def holiday_year_list() -> QuerySet[HolidayYear]:
    """Every loaded year, newest first, with its special days in date order."""
    return HolidayYear.objects.order_by("-year").prefetch_related(
        Prefetch("days", queryset=SpecialDay.objects.order_by("date"))
    )
