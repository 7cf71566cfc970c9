"""Django admin for reference data. Saves go through the services so that every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from sanxiang.agencies import services
from sanxiang.agencies.models import (
    Agency,
    BenchmarkItem,
    BenchmarkLevel,
    DiscretionBenchmark,
    EnforcementCategory,
    Officer,
    PowerItem,
    RandomCheckItem,
    Section,
)


class NoDeleteMixin:
    """Reference data of legal consequence is deactivated or revoked, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _changed_values(form: Any, obj: Any) -> dict[str, Any]:
    return {
        name: getattr(obj, name) for name in form.changed_data if name in {f.name for f in obj._meta.fields}
    }


@admin.register(Agency)
class AgencyAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "region_code", "level", "parent"]
    search_fields = ["name", "short_name", "region_code"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        if change:
            services.agency_update(actor=request.user, agency=obj, **_changed_values(form, obj))
        else:
            fields = {f.name: getattr(obj, f.name) for f in obj._meta.fields if f.name != "id"}
            created = services.agency_create(actor=request.user, **fields)
            obj.pk = created.pk


@admin.register(Section)
class SectionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "agency", "is_legal_review_unit", "order"]
    list_filter = ["agency", "is_legal_review_unit"]

    def save_model(self, request: HttpRequest, obj: Section, form: Any, change: bool) -> None:
        if change:
            services.section_update(actor=request.user, section=obj, **_changed_values(form, obj))
        else:
            created = services.section_create(
                actor=request.user,
                agency=obj.agency,
                name=obj.name,
                is_legal_review_unit=obj.is_legal_review_unit,
                duties=obj.duties,
                order=obj.order,
            )
            obj.pk = created.pk


@admin.register(EnforcementCategory)
class EnforcementCategoryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Officer)
class OfficerAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "certificate_number", "agency", "section", "valid_to", "status"]
    list_filter = ["agency", "status", "categories"]
    search_fields = ["name", "certificate_number"]
    readonly_fields = ["status", "status_reason", "credential_token"]
    filter_horizontal = ["categories"]

    def save_model(self, request: HttpRequest, obj: Officer, form: Any, change: bool) -> None:
        # Categories are many-to-many: handled in save_related, after the officer exists.
        self._pending = (obj, change, _changed_values(form, obj))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj, is_change, changed = self._pending
        categories = list(form.cleaned_data["categories"])
        if is_change:
            services.officer_update(actor=request.user, officer=obj, categories=categories, **changed)
        else:
            created = services.officer_create(
                actor=request.user,
                agency=obj.agency,
                section=obj.section,
                user=obj.user,
                name=obj.name,
                certificate_number=obj.certificate_number,
                categories=categories,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
            )
            obj.pk = created.pk
            form.instance = created


@admin.register(PowerItem)
class PowerItemAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["order", "name", "kind", "agency", "section", "is_active"]
    list_filter = ["agency", "kind", "is_active"]
    search_fields = ["name", "legal_basis"]


@admin.register(RandomCheckItem)
class RandomCheckItemAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["order", "category", "item", "agency", "responsible_unit", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["item", "basis"]


# ----------------------------------------------------------------------------------------------------
# 行政处罚裁量基准: a draft is edited here; publishing freezes it (a change is then a new version).


def _benchmark_of(obj: Any) -> DiscretionBenchmark | None:
    if isinstance(obj, DiscretionBenchmark):
        return obj
    if isinstance(obj, BenchmarkItem):
        return obj.benchmark
    return None


class _DraftOnlyMixin:
    """Rows of a published benchmark are read-only for everyone."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        benchmark = _benchmark_of(obj)
        if benchmark is not None and benchmark.is_published:
            return False
        return bool(super().has_change_permission(request, obj))  # type: ignore[misc]


class BenchmarkItemInline(_DraftOnlyMixin, NoDeleteMixin, admin.StackedInline):
    model = BenchmarkItem
    extra = 0
    show_change_link = True
    fields = ["order", "violation", "violated_provision", "penalty_provision", "leniency_note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(obj, DiscretionBenchmark) and obj.is_published:
            return False
        return super().has_add_permission(request, obj)


@admin.register(DiscretionBenchmark)
class DiscretionBenchmarkAdmin(_DraftOnlyMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["agency", "number", "title", "document_number", "effective_on", "published_at"]
    list_filter = ["agency"]
    readonly_fields = ["number", "published_at", "published_by"]
    inlines = [BenchmarkItemInline]
    actions = ["publish"]

    def save_model(self, request: HttpRequest, obj: DiscretionBenchmark, form: Any, change: bool) -> None:
        try:
            if change:
                services.benchmark_update(actor=request.user, benchmark=obj, **_changed_values(form, obj))
            else:
                created = services.benchmark_draft(
                    actor=request.user,
                    agency=obj.agency,
                    title=obj.title,
                    document_number=obj.document_number,
                    effective_on=obj.effective_on,
                    note=obj.note,
                )
                obj.pk = created.pk
                obj.number = created.number
                obj.created_at = created.created_at
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(str(exc)) from exc

    @admin.action(description="发布所选裁量基准（发布后不可修改）")
    def publish(self, request: HttpRequest, queryset: QuerySet[DiscretionBenchmark]) -> None:
        for benchmark in queryset:
            try:
                services.benchmark_publish(actor=request.user, benchmark=benchmark)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{benchmark}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )
            else:
                self.message_user(request, f"{benchmark}: 已发布", messages.SUCCESS)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            services.benchmark_update(actor=request.user, benchmark=form.instance)


class BenchmarkLevelInline(admin.TabularInline):
    model = BenchmarkLevel
    extra = 0
    fields = ["level", "circumstance", "penalty", "fine_min_yuan", "fine_max_yuan"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.benchmark.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.benchmark.is_published:
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and not obj.benchmark.is_published


@admin.register(BenchmarkItem)
class BenchmarkItemAdmin(_DraftOnlyMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["benchmark", "order", "violation"]
    list_filter = ["benchmark__agency"]
    inlines = [BenchmarkLevelInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The rows of a draft changed: recorded through the benchmark's one door.
        services.benchmark_update(actor=request.user, benchmark=form.instance.benchmark)
