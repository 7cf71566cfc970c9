"""Read-only admin: cases change only through ``case_transition``, which keeps the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.cases.models import (
    Case,
    CaseOfficer,
    CaseParty,
    CaseSettings,
    CaseTransition,
    CollectiveDiscussion,
    Penalty,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(admin.TabularInline):
    model = CaseTransition
    fields = ["at", "action", "source", "target", "actor", "note"]
    readonly_fields = ["at", "action", "source", "target", "actor", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "title",
        "agency",
        "stage",
        "procedure",
        "decision_number",
        "fine_fen",
        "created_at",
    ]
    list_filter = ["stage", "procedure", "agency", "category"]
    search_fields = ["number", "decision_number", "title"]
    inlines = [TransitionInline]


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "source", "target", "actor", "at"]
    list_filter = ["action"]


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "kind", "amount_fen", "violation"]
    list_filter = ["stage", "kind"]


@admin.register(CollectiveDiscussion)
class CollectiveDiscussionAdmin(ReadOnlyAdmin):
    list_display = ["case", "held_on"]


@admin.register(CaseSettings)
class CaseSettingsAdmin(ReadOnlyAdmin):
    list_display = ["agency", "hearing_fine_person_fen", "hearing_fine_organisation_fen"]


admin.site.register(CaseParty, ReadOnlyAdmin)
admin.site.register(CaseOfficer, ReadOnlyAdmin)
