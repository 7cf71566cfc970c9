"""行政检查 for work safety (安全生产法 Art.65–68): inspections, hazards, rectification orders, re-checks.

Legal records here are written once: a correction is a new row, never an edit. The only fields that change
after creation are an inspection's ``stage`` (through ``inspection_transition``) and the links to a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    KEY = "key", _("重点检查")
    SPECIAL = "special", _("专项检查")
    COMPLAINT = "complaint", _("投诉举报核查")


class Stage(models.TextChoices):
    PLANNED = "planned", _("已制定检查方案")
    RECORDED = "recorded", _("已现场检查")
    RECTIFYING = "rectifying", _("限期整改中")
    RECHECKED = "rechecked", _("已复查")
    CLOSED = "closed", _("已办结")
    TRANSFERRED = "transferred", _("已转为案件")
    CANCELLED = "cancelled", _("已撤销")


class Inspection(models.Model):
    """An inspection of one party by two or more certified officers (安全生产法 Art.65–68, 行政处罚法 Art.42).

    Created as a plan (现场检查方案); ``number`` is the plan's document number.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="inspections"
    )
    number = models.CharField(_("检查编号"), max_length=60, unique=True)
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    category = models.ForeignKey(
        "agencies.EnforcementCategory",
        verbose_name=_("执法类别"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    planned_on = models.DateField(_("计划检查日期"))
    scope = models.TextField(_("检查内容和要求"), blank=True)
    check_items = models.ManyToManyField(
        "agencies.RandomCheckItem", verbose_name=_("抽查事项"), blank=True, related_name="inspections"
    )
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices, default=Stage.PLANNED)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转立案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("行政检查")
        verbose_name_plural = _("行政检查")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["agency", "stage"], name="inspection_agency_stage")]

    def __str__(self) -> str:
        return self.number


class InspectionOfficer(models.Model):
    """One officer assigned to an inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="assignments"
    )
    officer = models.ForeignKey(
        "agencies.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "officer"], name="inspection_officer_unique")
        ]

    def __str__(self) -> str:
        return str(self.officer)


class InspectionTransition(models.Model):
    """One stage change of an inspection: the only way ``Inspection.stage`` changes."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="transitions"
    )
    source = models.CharField(_("原环节"), max_length=16, choices=Stage.choices)
    target = models.CharField(_("新环节"), max_length=16, choices=Stage.choices)
    action = models.CharField(_("操作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("检查环节变更")
        verbose_name_plural = _("检查环节变更")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.inspection} {self.source}→{self.target}"


class InspectionRecord(models.Model):
    """现场检查记录: time, place and content of the visit (安全生产法 Art.68)."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="record"
    )
    started_at = models.DateTimeField(_("检查开始时间"))
    ended_at = models.DateTimeField(_("检查结束时间"))
    place = models.CharField(_("检查地点"), max_length=200)
    content = models.TextField(_("检查情况"))
    unit_contact = models.CharField(_("被检查单位现场负责人"), max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("现场检查记录")
        verbose_name_plural = _("现场检查记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="inspection_record_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection} 现场检查记录"


class SignerKind(models.TextChoices):
    OFFICER = "officer", _("检查人员")
    UNIT_HEAD = "unit_head", _("被检查单位负责人")


class Signature(models.Model):
    """A signature on the on-site record, or a refusal to sign with the officer's note (安全生产法 Art.68)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="signatures"
    )
    signer_kind = models.CharField(_("签名人类别"), max_length=16, choices=SignerKind.choices)
    officer = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("检查人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("签名人"), max_length=40)
    refused = models.BooleanField(_("拒绝签名"), default=False)
    note = models.TextField(_("拒签情况说明"), blank=True)
    witness = models.CharField(_("见证人"), max_length=40, blank=True)
    signed_at = models.DateTimeField(_("签名时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("签名")
        verbose_name_plural = _("签名")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "officer"],
                condition=Q(signer_kind="officer"),
                name="signature_one_per_officer",
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(signer_kind="unit_head"),
                name="signature_one_unit_head",
            ),
            models.CheckConstraint(
                condition=Q(refused=False) | ~Q(note=""), name="signature_refusal_has_note"
            ),
            models.CheckConstraint(
                condition=Q(signer_kind="unit_head") | (Q(officer__isnull=False) & Q(refused=False)),
                name="signature_officer_signs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name}（{_('拒绝签名') if self.refused else _('已签名')}）"


class Handling(models.TextChoices):
    ON_SPOT = "on_spot", _("当场整改")
    ORDER = "order", _("责令限期整改")
    MEASURE = "measure", _("现场处理措施")


class Hazard(models.Model):
    """事故隐患 found on site, with the one way it is handled (安全生产法 Art.65(二)(三))."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="hazards"
    )
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("隐患部位"), max_length=200)
    legal_basis = models.TextField(_("违反的规定"))
    handling = models.CharField(_("处理方式"), max_length=16, choices=Handling.choices)
    corrected_note = models.TextField(_("当场整改情况"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转立案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(handling="on_spot") | ~Q(corrected_note=""),
                name="hazard_on_spot_has_note",
            )
        ]

    def __str__(self) -> str:
        return self.description[:40]


class MeasureKind(models.TextChoices):
    REMOVE_NOW = "remove_now", _("责令立即排除")
    WITHDRAW_WORKERS = "withdraw_workers", _("从危险区域内撤出作业人员")
    SUSPEND = "suspend", _("责令暂时停产停业")
    STOP_EQUIPMENT = "stop_equipment", _("责令停止使用相关设施、设备")


class OnSiteMeasure(models.Model):
    """现场处理措施决定 for one hazard (安全生产法 Art.65(三)), numbered 应急现决."""

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT, related_name="measure"
    )
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    kind = models.CharField(_("措施"), max_length=24, choices=MeasureKind.choices)
    content = models.TextField(_("措施内容"))
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("现场处理措施")
        verbose_name_plural = _("现场处理措施")

    def __str__(self) -> str:
        return self.number


class RectificationOrder(models.Model):
    """责令限期整改指令书 (安全生产法 Art.65(二)), numbered 应急责改 gapless per agency and year."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("行政检查"), on_delete=models.PROTECT, related_name="orders"
    )
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("整改期限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("责令限期整改指令书")
        verbose_name_plural = _("责令限期整改指令书")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("issued_on")), name="order_due_after_issue"
            )
        ]

    def __str__(self) -> str:
        return self.number


class RectificationItem(models.Model):
    """One hazard in an order, with what must be done."""

    order = models.ForeignKey(
        RectificationOrder, verbose_name=_("整改指令"), on_delete=models.PROTECT, related_name="items"
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    requirement = models.TextField(_("整改要求"))

    class Meta:
        verbose_name = _("整改项")
        verbose_name_plural = _("整改项")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["order", "hazard"], name="rectification_item_unique")]

    def __str__(self) -> str:
        return f"{self.order} · {self.hazard}"


class Recheck(models.Model):
    """整改复查意见书 for one order, numbered 应急复查."""

    order = models.ForeignKey(
        RectificationOrder, verbose_name=_("整改指令"), on_delete=models.PROTECT, related_name="rechecks"
    )
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    rechecked_on = models.DateField(_("复查日期"))
    opinion = models.TextField(_("复查意见"))
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复查人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("整改复查")
        verbose_name_plural = _("整改复查")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class RecheckResult(models.Model):
    """Whether one hazard of the order was rectified."""

    recheck = models.ForeignKey(
        Recheck, verbose_name=_("整改复查"), on_delete=models.PROTECT, related_name="results"
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT, related_name="recheck_results"
    )
    rectified = models.BooleanField(_("已整改"))
    note = models.TextField(_("复查情况"), blank=True)

    class Meta:
        verbose_name = _("复查结果")
        verbose_name_plural = _("复查结果")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["recheck", "hazard"], name="recheck_result_unique")]

    def __str__(self) -> str:
        return f"{self.recheck} · {self.hazard}"
