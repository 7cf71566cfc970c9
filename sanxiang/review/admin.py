"""Legal review in the admin: read-only records; the catalog is published through its staff page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanxiang.review import services
from sanxiang.review.models import (
    CatalogRule,
    CatalogVersion,
    LegalReview,
    Meeting,
    Objection,
    Opinion,
    ReviewRound,
    ReviewSettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Legal records are written by the services only, never edited or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RuleInline(admin.TabularInline):
    model = CatalogRule
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogVersion)
class CatalogVersionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "number", "title", "published_at", "published_by"]
    list_filter = ["agency"]
    inlines = [RuleInline]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "review_days", "extension_days"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ReviewSettings, form: Any, change: bool) -> None:
        saved = services.review_settings_set(
            actor=request.user,
            agency=obj.agency,
            review_days=obj.review_days,
            extension_days=obj.extension_days,
        )
        obj.pk = saved.pk


for model in (LegalReview, ReviewRound, Opinion, Objection, Meeting):
    admin.site.register(model, ReadOnlyAdmin)
