"""The admin's view of the holiday table. Every save and delete goes through the services, so it is audited
and the working-day cache is dropped."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from sanxiang.deadlines import services
from sanxiang.deadlines.holiday_data import HolidayDataError
from sanxiang.deadlines.models import HolidayYear, SpecialDay


class SpecialDayForm(forms.ModelForm):
    class Meta:
        model = SpecialDay
        fields = ["holiday_year", "date", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        holiday_year = cleaned.get("holiday_year") or getattr(self.instance, "holiday_year", None)
        if holiday_year is not None and cleaned.get("date") and cleaned.get("kind") and cleaned.get("name"):
            candidate = SpecialDay(
                pk=self.instance.pk,
                holiday_year=holiday_year,
                date=cleaned["date"],
                kind=cleaned["kind"],
                name=cleaned["name"],
            )
            try:
                services.check_special_day_for(candidate)
            except HolidayDataError as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    form = SpecialDayForm
    extra = 0
    fields = ["date", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice_number", "notice_title", "issued_on", "loaded_at", "changed_at"]
    readonly_fields = ["loaded_at", "changed_at"]
    fields = ["year", "notice_title", "notice_number", "notice_url", "issued_on", "loaded_at", "changed_at"]
    inlines = [SpecialDayInline]
    actions = None
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_inlines(self, request: HttpRequest, obj: HolidayYear | None) -> list[Any]:
        # Days are added once the year exists, so each one is checked against its year before it is saved.
        return list(self.inlines) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: HolidayYear | None = None) -> list[str]:
        if obj is not None:
            return ["year", *self.readonly_fields]
        return list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: HolidayYear, form: Any, change: bool) -> None:
        services.holiday_year_save(holiday_year=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: HolidayYear) -> None:
        services.holiday_year_delete(holiday_year=obj, actor=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for day in formset.deleted_objects:
            services.special_day_delete(special_day=day, actor=request.user)
        for day in instances:
            services.special_day_save(special_day=day, actor=request.user)


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    form = SpecialDayForm
    list_display = ["date", "kind", "name", "holiday_year"]
    list_filter = ["holiday_year", "kind"]
    date_hierarchy = "date"
    actions = ["delete_selected"]

    def save_model(self, request: HttpRequest, obj: SpecialDay, form: Any, change: bool) -> None:
        services.special_day_save(special_day=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: SpecialDay) -> None:
        services.special_day_delete(special_day=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SpecialDay]) -> None:
        for day in queryset.select_related("holiday_year"):
            services.special_day_delete(special_day=day, actor=request.user)
