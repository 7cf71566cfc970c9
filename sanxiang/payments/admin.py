"""Read-only admin views: payments are written through the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.payments.models import Payment, StatementImport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("paid_on", "case", "method", "amount_fen", "bank_transaction_number", "receipt_number")
    list_filter = ("method", "agency")
    search_fields = ("bank_transaction_number", "receipt_number")


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "agency", "file_name", "sha256")
