"""The holiday table: one row per calendar year loaded from the State Council notice, one per special day.

A day not listed follows the week: Monday to Friday are working days, Saturday and Sunday are rest days.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日/休息日")
    ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班日")


class HolidayYear(models.Model):
    """One calendar year whose holiday arrangement has been loaded; years without a row are unknown."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice_title = models.CharField(_("通知标题"), max_length=200, blank=True)
    notice_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    notice_url = models.URLField(_("通知网址"), max_length=500, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("导入时间"))
    # Bumped by every write to the year or its days; the per-process calendar cache compares it.
    changed_at = models.DateTimeField(_("最后修改时间"))

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949) & models.Q(year__lte=2999),
                name="deadlines_holidayyear_year_range",
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s年节假日安排") % {"year": self.year}


class SpecialDay(models.Model):
    """A day that departs from the week: a weekday off (holiday) or a weekend day worked (调休)."""

    holiday_year = models.ForeignKey(
        HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=50)

    class Meta:
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="deadlines_specialday_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return _("%(date)s %(name)s（%(kind)s）") % {
            "date": self.date.isoformat(),
            "name": self.name,
            "kind": self.get_kind_display(),
        }
