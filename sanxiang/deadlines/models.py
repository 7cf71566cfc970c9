"""The holiday table: one row per calendar year loaded from the State Council notice, one per special day.

A day not listed follows the week: Monday to Friday are working days, Saturday and Sunday are rest days.
"""

from __future__ import annotations

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日/休息日"
    ADJUSTED_WORKDAY = "adjusted_workday", "调休上班日"


class HolidayYear(models.Model):
    """One calendar year whose holiday arrangement has been loaded; years without a row are unknown."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    notice_title = models.CharField("通知标题", max_length=200, blank=True)
    notice_number = models.CharField("发文字号", max_length=100, blank=True)
    notice_url = models.URLField("通知网址", max_length=500, blank=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    loaded_at = models.DateTimeField("导入时间")
    # Bumped by every write to the year or its days; the per-process calendar cache compares it.
    changed_at = models.DateTimeField("最后修改时间")

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949) & models.Q(year__lte=2999),
                name="deadlines_holidayyear_year_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class SpecialDay(models.Model):
    """A day that departs from the week: a weekday off (holiday) or a weekend day worked (调休)."""

    holiday_year = models.ForeignKey(
        HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=20, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=50)

    class Meta:
        verbose_name = "特殊日期"
        verbose_name_plural = "特殊日期"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="deadlines_specialday_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"
