"""Evidence in the Django admin: read-only. Originals and items are never edited or deleted in place."""

from __future__ import annotations

from django.contrib import admin

from sanxiang.audit.admin import ReadOnlyAdmin
from sanxiang.evidence.models import Blob, Evidence, FixityCheck


@admin.register(Blob)
class BlobAdmin(ReadOnlyAdmin):
    list_display = ["sha256", "size", "stored_at"]
    search_fields = ["sha256", "sm3"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "case", "ingested_at", "ingested_by", "channel"]
    list_filter = ["kind", "channel"]
    search_fields = ["original_name", "blob__sha256", "case__number"]
    list_select_related = ["case", "ingested_by"]


@admin.register(FixityCheck)
class FixityCheckAdmin(ReadOnlyAdmin):
    list_display = ["blob", "checked_at", "outcome"]
    list_filter = ["outcome"]
