"""Admin: the catalog of document types is edited here (through the service, so a type used by issued
documents is versioned, never changed under them); the numbering setting per agency; documents and their
records are read-only (they change only through the services, which keep the audit trail)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext

from sanxiang.documents import doctypes, services
from sanxiang.documents.models import (
    Delivery,
    Document,
    DocumentSettings,
    DocumentType,
    DocumentVoid,
    NumberSeries,
    Signature,
)

# The columns of a type the admin may change; key, agency and version are fixed once the row exists.
EDITABLE = [
    "title",
    "code",
    "numbered",
    "code_source",
    "fields",
    "stages",
    "signers",
    "rules",
    "party_receives",
    "template_name",
    "order",
    "active",
    "note",
]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["agency", "key", *EDITABLE]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        entry = {"key": cleaned.get("key") or (self.instance.key if self.instance.pk else "")}
        entry.update({("template" if k == "template_name" else k): cleaned.get(k) for k in EDITABLE})
        try:
            doctypes.check_catalog({"types": [json.loads(json.dumps(entry, default=str))]})
        except doctypes.CatalogError as exc:
            raise ValidationError(exc.problems) from exc
        return cleaned


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    form = DocumentTypeForm
    list_display = ["title", "code", "key", "agency", "version", "current", "active", "order"]
    list_filter = ["current", "active", "agency", "numbered", "party_receives"]
    search_fields = ["title", "code", "key"]
    ordering = ["order", "key", "version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["version", "current", "created_at"]
        return [*fixed, "agency", "key"] if obj is not None else fixed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An earlier version is history: only the current one may change (into a new version if used).
        return super().has_change_permission(request, obj) and (obj is None or obj.current)

    def save_model(self, request: HttpRequest, obj: DocumentType, form: Any, change: bool) -> None:
        if not change:
            entry = {
                "key": obj.key,
                **{("template" if k == "template_name" else k): getattr(obj, k) for k in EDITABLE},
            }
            services.document_catalog_load(
                actor=request.user, data={"catalog": "admin", "types": [entry]}, agency=obj.agency
            )
            saved = doctypes.type_for(obj.agency_id, obj.key)
            assert saved is not None  # noqa: S101 (just loaded)
            obj.pk = saved.pk
            return
        changed = {k: getattr(obj, k) for k in form.changed_data if k in EDITABLE}
        if not changed:
            return
        row = services.document_type_change(actor=request.user, doc_type=obj, values=changed)
        if row.pk != obj.pk:
            messages.info(
                request,
                gettext("该文书种类已有签发的文书使用，已另立第 %(version)d 版；已签发的文书仍使用原版本。")
                % {"version": row.version},
            )
        obj.pk = row.pk


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "serial_scope"]
    fields = ["agency", "serial_scope"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["agency"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: DocumentSettings, form: Any, change: bool) -> None:
        saved = services.document_settings_set(
            actor=request.user, agency=obj.agency, serial_scope=obj.serial_scope
        )
        obj.pk = saved.pk


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["type", "number", "status", "agency", "case", "inspection", "issued_at"]
    list_filter = ["status", "agency", "type__key"]
    search_fields = ["number", "type__title"]


@admin.register(DocumentVoid)
class DocumentVoidAdmin(ReadOnlyAdmin):
    list_display = ["document", "by", "at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["document", "role", "signer_name", "refused", "signed_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["document", "method", "delivered_on", "recipient"]


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["agency", "code", "year", "last"]
    list_filter = ["agency", "year"]
