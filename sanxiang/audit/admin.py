"""The log and its checkpoints in the Django admin: read-only, nobody adds, changes or deletes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Checkpoint, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventTypeFilter(admin.SimpleListFilter):
    title = _("事件类型")
    parameter_name = "type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        return [(value, str(label)) for value, label in EventType.choices]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(event_type=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = [
        "seq",
        "occurred_at",
        "event_type",
        "actor_name",
        "agency_id",
        "subject_type",
        "subject_id",
    ]
    list_filter = [EventTypeFilter]
    search_fields = ["=seq", "actor_name", "subject_id"]
    show_full_result_count = False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "root_hex", "signed_at", "key_id"]
