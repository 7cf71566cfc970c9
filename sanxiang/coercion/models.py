"""Administrative coercive measures of a case.

查封、扣押 (行政强制法 Art.18–28) and 先行登记保存 (行政处罚法 Art.56). Each measure moves through stages by
named actions (see ``workflow.py``); every move leaves a transition row and an audit event. Rows that record
legal facts (items, extensions, excluded testing periods) are only ever added.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    SEAL = "seal", _("查封")
    SEIZE = "seize", _("扣押")


class MeasureStage(models.TextChoices):
    REQUESTED = "requested", _("待负责人批准")
    APPROVED = "approved", _("已批准，待实施")
    REFUSED = "refused", _("不予批准")
    EMERGENCY = "emergency", _("当场实施，待报告")
    REPORTED = "reported", _("已报告，待补办批准")
    IN_FORCE = "in_force", _("查封扣押中")
    RELEASED = "released", _("已解除")
    HANDLED = "handled", _("已作处理")


class MeasureAction(models.TextChoices):
    REQUEST = "request", _("申请批准")
    ACT_EMERGENCY = "act_emergency", _("当场实施（情况紧急）")
    APPROVE = "approve", _("批准")
    REFUSE = "refuse", _("不予批准")
    IMPLEMENT = "implement", _("作出决定并实施")
    REPORT = "report", _("向负责人报告")
    EXTEND = "extend", _("延长期限")
    EXCLUDE_DAYS = "exclude_days", _("扣除检测、检验、鉴定期间")
    RELEASE = "release", _("解除查封扣押")
    HANDLE = "handle", _("作出处理决定")


class HandlingKind(models.TextChoices):
    """How a 查封、扣押 ends other than by release (行政强制法 Art.27)."""

    CONFISCATE = "confiscate", _("没收")
    DESTROY = "destroy", _("销毁")
    TRANSFER = "transfer", _("移送有关部门")
    OTHER = "other", _("其他处理")


class CoerciveMeasure(models.Model):
    """One 查封 or 扣押 of places, facilities or goods, attached to a case (行政强制法 Art.18–28)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="coercive_measures"
    )
    kind = models.CharField(_("措施种类"), max_length=16, choices=MeasureKind.choices)
    stage = models.CharField(_("状态"), max_length=16, choices=MeasureStage.choices)
    emergency = models.BooleanField(_("情况紧急当场实施"), default=False)
    reasons = models.TextField(_("查封扣押的理由"), blank=True)
    basis = models.TextField(_("查封扣押的依据"), blank=True)
    period_days = models.PositiveSmallIntegerField(_("期限（日）"), default=30)
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    acted_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("向负责人报告时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("负责人批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    party_present = models.BooleanField(_("当事人到场"), default=False)
    witness_name = models.CharField(_("见证人"), max_length=40, blank=True)
    list_in_two_copies = models.BooleanField(_("清单一式二份"), default=False)
    officers = models.ManyToManyField(
        "agencies.Officer", verbose_name=_("实施执法人员"), related_name="+", blank=True
    )
    ended_on = models.DateField(_("解除或处理日期"), null=True, blank=True)
    handling = models.CharField(_("处理方式"), max_length=16, choices=HandlingKind.choices, blank=True)
    end_reference = models.CharField(_("解除或处理决定文书"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("查封扣押")
        verbose_name_plural = _("查封扣押")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=~Q(number=""),
                name="coercive_measure_unique_number_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(period_days__gte=1, period_days__lte=30),
                name="coercive_measure_period_at_most_30_days",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} #{self.pk}"

    @property
    def acted_on(self) -> datetime.date | None:
        return timezone.localtime(self.acted_at).date() if self.acted_at else None

    @property
    def report_due_at(self) -> datetime.datetime | None:
        """行政强制法 Art.19: an emergency act is reported and approved within 24 hours."""
        if not self.emergency or self.acted_at is None:
            return None
        return self.acted_at + datetime.timedelta(hours=24)


class MeasureItem(models.Model):
    """One line of the 查封扣押清单 (行政强制法 Art.24: names and quantities of places, facilities, goods)."""

    measure = models.ForeignKey(
        CoerciveMeasure, verbose_name=_("查封扣押"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("名称"), max_length=200)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20)
    specification = models.CharField(_("地点或规格"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("查封扣押物品")
        verbose_name_plural = _("查封扣押清单")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="measure_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"


class MeasureExtension(models.Model):
    """The one extension of a 查封、扣押 (行政强制法 Art.25): the leader's approval and written notice.

    One-to-one with the measure, so the database itself refuses a second extension.
    """

    measure = models.OneToOneField(
        CoerciveMeasure, verbose_name=_("查封扣押"), on_delete=models.PROTECT, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("延长日数"))
    reason = models.TextField(_("延长理由"))
    decided_on = models.DateField(_("延长决定日期"))
    notice_reference = models.CharField(_("书面告知文书"), max_length=200)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("延长查封扣押期限")
        verbose_name_plural = _("延长查封扣押期限")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=30), name="measure_extension_at_most_30_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} +{self.days}"


class ExcludedPeriod(models.Model):
    """Time for testing, inspection or appraisal, excluded from the period when stated in writing (Art.25)."""

    measure = models.ForeignKey(
        CoerciveMeasure, verbose_name=_("查封扣押"), on_delete=models.PROTECT, related_name="excluded_periods"
    )
    days = models.PositiveSmallIntegerField(_("扣除日数"))
    reason = models.CharField(_("检测、检验、检疫或鉴定事项"), max_length=200)
    notice_reference = models.CharField(_("书面告知文书"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("扣除期间")
        verbose_name_plural = _("扣除期间")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="excluded_period_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.days}"


class MeasureTransition(models.Model):
    """One move of a measure from stage to stage, or an action within a stage (extension, excluded days)."""

    measure = models.ForeignKey(
        CoerciveMeasure, verbose_name=_("查封扣押"), on_delete=models.PROTECT, related_name="transitions"
    )
    source = models.CharField(_("原状态"), max_length=16, choices=MeasureStage.choices, blank=True)
    target = models.CharField(_("新状态"), max_length=16, choices=MeasureStage.choices)
    action = models.CharField(_("操作"), max_length=16, choices=MeasureAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("查封扣押流转记录")
        verbose_name_plural = _("查封扣押流转记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.source}→{self.target}"


class PreservationStage(models.TextChoices):
    REQUESTED = "requested", _("待负责人批准")
    REFUSED = "refused", _("不予批准")
    PRESERVED = "preserved", _("登记保存中")
    HANDLED = "handled", _("已作处理决定")


class PreservationAction(models.TextChoices):
    REQUEST = "request", _("申请批准")
    APPROVE = "approve", _("批准登记保存")
    REFUSE = "refuse", _("不予批准")
    HANDLE = "handle", _("作出处理决定")


class PreservationOutcome(models.TextChoices):
    """The handling decision on evidence under 先行登记保存 (行政处罚法 Art.56)."""

    RETURN = "return", _("退还")
    CONFISCATE = "confiscate", _("没收")
    TRANSFER = "transfer", _("移送有关部门")
    LIFT = "lift", _("解除登记保存")


class Preservation(models.Model):
    """先行登记保存 of evidence that may be lost or hard to obtain later (行政处罚法 Art.56)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="preservations"
    )
    stage = models.CharField(_("状态"), max_length=16, choices=PreservationStage.choices)
    reason = models.TextField(_("登记保存理由"))
    place = models.CharField(_("保存地点"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    preserved_on = models.DateField(_("登记保存日期"), null=True, blank=True)
    outcome = models.CharField(_("处理决定"), max_length=16, choices=PreservationOutcome.choices, blank=True)
    decided_on = models.DateField(_("处理决定日期"), null=True, blank=True)
    decision_reference = models.CharField(_("处理决定文书"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("先行登记保存")
        verbose_name_plural = _("先行登记保存")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"先行登记保存 #{self.pk}"


class PreservationItem(models.Model):
    """One line of the 先行登记保存证据清单."""

    preservation = models.ForeignKey(
        Preservation, verbose_name=_("先行登记保存"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("名称"), max_length=200)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20)
    specification = models.CharField(_("规格或存放地点"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("先行登记保存物品")
        verbose_name_plural = _("先行登记保存证据清单")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="preservation_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"


class PreservationTransition(models.Model):
    """One move of a 先行登记保存 from stage to stage."""

    preservation = models.ForeignKey(
        Preservation, verbose_name=_("先行登记保存"), on_delete=models.PROTECT, related_name="transitions"
    )
    source = models.CharField(_("原状态"), max_length=16, choices=PreservationStage.choices, blank=True)
    target = models.CharField(_("新状态"), max_length=16, choices=PreservationStage.choices)
    action = models.CharField(_("操作"), max_length=16, choices=PreservationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("先行登记保存流转记录")
        verbose_name_plural = _("先行登记保存流转记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.source}→{self.target}"
