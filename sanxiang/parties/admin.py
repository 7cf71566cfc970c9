"""Read-only admin: parties are registered and changed on the staff pages, which keep the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sanxiang.parties.masking import mask_phone, mask_resident_id
from sanxiang.parties.models import Party


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "agency", "masked_resident_id", "credit_code", "created_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["name", "credit_code", "legal_representative"]
    # The full ID number, address and phone are shown only on the staff page, where viewing them is recorded.
    fields = [
        "agency",
        "kind",
        "name",
        "masked_resident_id",
        "credit_code",
        "legal_representative",
        "masked_phone",
        "created_at",
        "created_by",
        "updated_at",
    ]
    readonly_fields = fields
    history_list_display: list[str] = []

    @admin.display(description=_("公民身份号码"))
    def masked_resident_id(self, party: Party) -> str:
        return mask_resident_id(party.resident_id) if party.resident_id else ""

    @admin.display(description=_("联系电话"))
    def masked_phone(self, party: Party) -> str:
        return mask_phone(party.phone)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
