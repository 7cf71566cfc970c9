"""Read-only admin: inspections are written on the staff pages, which keep the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.inspections.models import Inspection, RectificationOrder


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg,unused-ignore]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(_ReadOnly):
    list_display = ["number", "agency", "kind", "planned_on", "stage"]
    list_filter = ["stage", "kind", "agency"]
    search_fields = ["number"]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(_ReadOnly):
    list_display = ["number", "inspection", "issued_on", "due_on"]
    search_fields = ["number"]
