"""调阅 in the admin: the agencies' policies through their service; requests and reads are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.access import services
from sanxiang.access.models import AccessPolicy, AccessRequest, EvidenceAccess


@admin.register(AccessPolicy)
class AccessPolicyAdmin(admin.ModelAdmin):
    list_display = ["agency", "approval_required", "changed_at", "changed_by"]
    readonly_fields = ["changed_at", "changed_by"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AccessPolicy, form: Any, change: bool) -> None:
        saved = services.access_policy_set(
            agency=obj.agency, approval_required=obj.approval_required, actor=request.user
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Requests change state through their service only; reads are records and never change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "requester", "state", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state"]


@admin.register(EvidenceAccess)
class EvidenceAccessAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "user", "kind", "basis", "accessed_at", "audit_seq"]
    list_filter = ["kind", "basis"]
