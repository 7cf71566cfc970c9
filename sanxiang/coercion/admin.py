"""Read-only admin: measures change only through their services, which keep the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.coercion.models import (
    CoerciveMeasure,
    ExcludedPeriod,
    MeasureExtension,
    MeasureItem,
    MeasureTransition,
    Preservation,
    PreservationItem,
    PreservationTransition,
)


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _Inline(_ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False


class MeasureItemInline(_Inline):
    model = MeasureItem
    fields = ["name", "quantity", "unit", "specification", "created_at"]
    readonly_fields = ["name", "quantity", "unit", "specification", "created_at"]


class MeasureExtensionInline(_Inline):
    model = MeasureExtension
    fields = ["days", "reason", "decided_on", "notice_reference", "approved_by"]
    readonly_fields = ["days", "reason", "decided_on", "notice_reference", "approved_by"]


class ExcludedPeriodInline(_Inline):
    model = ExcludedPeriod
    fields = ["days", "reason", "notice_reference", "created_at"]
    readonly_fields = ["days", "reason", "notice_reference", "created_at"]


class MeasureTransitionInline(_Inline):
    model = MeasureTransition
    fields = ["at", "action", "source", "target", "actor", "note"]
    readonly_fields = ["at", "action", "source", "target", "actor", "note"]


@admin.register(CoerciveMeasure)
class CoerciveMeasureAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["number", "kind", "stage", "agency", "case", "acted_at", "ended_on"]
    list_filter = ["stage", "kind", "emergency", "agency"]
    search_fields = ["number"]
    inlines = [MeasureItemInline, MeasureExtensionInline, ExcludedPeriodInline, MeasureTransitionInline]


class PreservationItemInline(_Inline):
    model = PreservationItem
    fields = ["name", "quantity", "unit", "specification", "created_at"]
    readonly_fields = ["name", "quantity", "unit", "specification", "created_at"]


class PreservationTransitionInline(_Inline):
    model = PreservationTransition
    fields = ["at", "action", "source", "target", "actor", "note"]
    readonly_fields = ["at", "action", "source", "target", "actor", "note"]


@admin.register(Preservation)
class PreservationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["pk", "stage", "agency", "case", "preserved_on", "outcome", "decided_on"]
    list_filter = ["stage", "outcome", "agency"]
    inlines = [PreservationItemInline, PreservationTransitionInline]
