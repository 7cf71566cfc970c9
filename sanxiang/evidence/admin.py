"""Evidence in the Django admin: read-only. Originals and items are never edited or deleted in place."""

from __future__ import annotations

from django.contrib import admin

from sanxiang.audit.admin import ReadOnlyAdmin
from sanxiang.evidence.models import AVRecord, Blob, Derivative, Evidence, FixityCheck, MediaMetadata


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


@admin.register(AVRecord)
class AVRecordAdmin(ReadOnlyAdmin):
    list_display = ["number", "act", "case", "started_at", "ended_at", "retention", "version"]
    list_filter = ["act", "retention"]
    search_fields = ["number", "place", "device", "case__number"]
    list_select_related = ["case"]


@admin.register(MediaMetadata)
class MediaMetadataAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "status", "container", "duration", "width", "height", "extracted_at"]
    list_filter = ["status"]
    list_select_related = ["evidence"]


@admin.register(Derivative)
class DerivativeAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "kind", "width", "height", "made_at"]
    exclude = ["content"]
    list_select_related = ["evidence"]
