"""Cases (案件): the penalty procedure of the 行政处罚法 as rows.

A case's ``stage`` changes only through :func:`sanxiang.cases.services.case_transition`, which writes a
:class:`CaseTransition` for every step. Penalties are written as whole sets per stage (proposed, notified,
final) and never edited: a later set is a new set of rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.workflow import Action, Stage

__all__ = [
    "Case",
    "CaseOfficer",
    "CaseOutcome",
    "CaseParty",
    "CaseSettings",
    "CaseSource",
    "CaseTransition",
    "CollectiveDiscussion",
    "Penalty",
    "PenaltyKind",
    "PenaltyStage",
    "Procedure",
]


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("移送交办")
    OTHER = "other", _("其他")


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLE = "simple", _("简易程序")


class CaseOutcome(models.TextChoices):
    """What the 负责人 decided after the investigation (行政处罚法 Art.57), or a withdrawn filing."""

    OPEN = "", _("未决")
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    NOT_ESTABLISHED = "not_established", _("违法事实不成立")
    REFERRAL = "referral", _("移送司法机关")
    WITHDRAWN = "withdrawn", _("撤销立案")


class Case(models.Model):
    """One case of one agency, from the lead (案源) to the archived file.

    The dates and flags below are written by the transitions' effects; the ``CaseTransition`` rows are the
    record of who did what and when.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("立案编号"), max_length=60, blank=True, editable=False)
    title = models.CharField(_("案由"), max_length=300)
    source = models.CharField(_("案件来源"), max_length=16, choices=CaseSource.choices)
    source_reference = models.CharField(_("来源编号"), max_length=100, blank=True)
    category = models.ForeignKey(
        "agencies.EnforcementCategory", verbose_name=_("执法类别"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.CharField(
        _("程序"), max_length=8, choices=Procedure.choices, default=Procedure.GENERAL, editable=False
    )
    stage = models.CharField(
        _("办理阶段"), max_length=32, choices=Stage.choices, default=Stage.LEAD, editable=False
    )
    outcome = models.CharField(
        _("处理结果"), max_length=16, choices=CaseOutcome.choices, blank=True, default="", editable=False
    )
    facts = models.TextField(_("违法事实"), blank=True)
    act_date = models.DateField(_("违法行为发生日期"), null=True, blank=True)
    act_ended_on = models.DateField(
        _("违法行为终了日期"), null=True, blank=True, help_text=_("连续或者继续状态的违法行为填写")
    )
    discovered_on = models.DateField(_("发现日期"), null=True, blank=True)
    endangers_life_health = models.BooleanField(
        _("涉及公民生命健康安全且有危害后果"),
        default=False,
        help_text=_("行政处罚法第三十六条：追责期限五年"),
    )
    is_major = models.BooleanField(_("重大案件"), default=False)
    is_complex = models.BooleanField(_("情节复杂"), default=False)

    filed_on = models.DateField(_("立案日期"), null=True, blank=True, editable=False)
    decision_due_on = models.DateField(_("作出决定期限"), null=True, blank=True, editable=False)
    decision_due_provisional = models.BooleanField(
        _("期限待定"),
        default=False,
        editable=False,
        help_text=_("期末所在年度的节假日安排尚未导入：显示的是未顺延的日期，遇休息日可能顺延。"),
    )
    extension_requested_until = models.DateField(_("申请延长至"), null=True, blank=True, editable=False)
    notified_on = models.DateField(_("处罚告知日期"), null=True, blank=True, editable=False)
    hearing_right = models.BooleanField(_("享有听证权利"), default=False, editable=False)
    defence_made = models.BooleanField(_("已陈述申辩"), default=False, editable=False)
    rights_waived_on = models.DateField(_("书面放弃权利日期"), null=True, blank=True, editable=False)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True, editable=False)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True, editable=False)
    hearing_chair = models.ForeignKey(
        "agencies.Officer",
        verbose_name=_("听证主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    hearing_notified_on = models.DateField(_("听证通知日期"), null=True, blank=True, editable=False)
    hearing_held_on = models.DateField(_("听证举行日期"), null=True, blank=True, editable=False)
    discussed_on = models.DateField(_("集体讨论日期"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True, editable=False)
    decision_number = models.CharField(_("决定书编号"), max_length=60, blank=True, editable=False)
    delivery_due_on = models.DateField(_("送达期限"), null=True, blank=True, editable=False)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True, editable=False)
    delivery_method = models.CharField(_("送达方式"), max_length=40, blank=True, editable=False)
    fine_fen = models.BigIntegerField(_("罚款总额（分）"), default=0, editable=False)
    executed_on = models.DateField(_("执行完毕日期"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True, editable=False)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "stage"], name="case_agency_stage"),
            models.Index(fields=["agency", "-created_at"], name="case_agency_created"),
            models.Index(fields=["agency", "category", "-created_at"], name="case_agency_category_created"),
            # The overdue filter and the clocks read these two days by agency.
            models.Index(fields=["agency", "decision_due_on"], name="case_agency_decision_due"),
            models.Index(fields=["agency", "delivery_due_on"], name="case_agency_delivery_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~Q(number=""), name="case_unique_number_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "decision_number"],
                condition=~Q(decision_number=""),
                name="case_unique_decision_number_per_agency",
            ),
            models.CheckConstraint(condition=Q(fine_fen__gte=0), name="case_fine_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('未立案')} {self.title}"

    @property
    def needs_collective_discussion(self) -> bool:
        """集体讨论 for 情节复杂或者重大违法行为 (行政处罚法 Art.57 para 2)."""
        return self.is_major or self.is_complex


class CaseParty(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="case_parties"
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="case_links"
    )

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="case_party_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.party_id}"


class CaseOfficer(models.Model):
    """A handling officer (承办人) of a case."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="case_officers"
    )
    officer = models.ForeignKey(
        "agencies.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="case_links"
    )

    class Meta:
        verbose_name = _("承办人员")
        verbose_name_plural = _("承办人员")
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_officer_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class CaseTransition(models.Model):
    """One step of a case: who moved it from which stage to which, when, by which action, with which data."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="transitions"
    )
    source = models.CharField(_("原阶段"), max_length=32, choices=Stage.choices)
    target = models.CharField(_("新阶段"), max_length=32, choices=Stage.choices)
    action = models.CharField(_("操作"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.source} → {self.target} ({self.action})"


class PenaltyKind(models.TextChoices):
    """The kinds of administrative penalty (行政处罚法 Art.9)."""

    WARNING = "warning", _("警告")
    PUBLIC_CRITICISM = "public_criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_PRODUCTION = "restrict_production", _("限制开展生产经营活动")
    ORDER_SUSPENSION = "order_suspension", _("责令停产停业")
    ORDER_CLOSURE = "order_closure", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("其他行政处罚")


class PenaltyStage(models.TextChoices):
    PROPOSED = "proposed", _("拟处罚")
    NOTIFIED = "notified", _("已告知")
    FINAL = "final", _("决定")


class Penalty(models.Model):
    """One penalty of one set. A set is every row written by one transition for one stage.

    ``violation`` names the illegal act the penalty answers (e.g. the provision broken). Rows of one set with
    the same ``violation`` are one act, which may carry only one fine (行政处罚法 Art.29).
    """

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="penalties")
    transition = models.ForeignKey(
        CaseTransition, verbose_name=_("流转记录"), on_delete=models.PROTECT, related_name="penalties"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=PenaltyStage.choices)
    kind = models.CharField(_("处罚种类"), max_length=24, choices=PenaltyKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    violation = models.CharField(_("违法行为"), max_length=200)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        ordering = ["case", "transition", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="penalty_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen}"


class CollectiveDiscussion(models.Model):
    """集体讨论 of a case (行政处罚法 Art.57 para 2): date, participants (staff user ids), conclusion."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="collective_discussions"
    )
    transition = models.OneToOneField(
        CaseTransition, verbose_name=_("流转记录"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("讨论日期"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参加人员"), related_name="+"
    )
    conclusion = models.TextField(_("讨论结论"))

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class CaseSettings(models.Model):
    """Per-agency thresholds of 较大数额 that give a hearing right (行政处罚法 Art.63), inclusive (≥)."""

    DEFAULT_PERSON_FEN = 2_000_000
    DEFAULT_ORGANISATION_FEN = 5_000_000

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="case_settings"
    )
    hearing_fine_person_fen = models.BigIntegerField(
        _("公民较大数额罚款（分，含本数）"), default=DEFAULT_PERSON_FEN
    )
    hearing_fine_organisation_fen = models.BigIntegerField(
        _("法人或其他组织较大数额罚款（分，含本数）"), default=DEFAULT_ORGANISATION_FEN
    )

    class Meta:
        verbose_name = _("案件办理设置")
        verbose_name_plural = _("案件办理设置")

    def __str__(self) -> str:
        return str(self.agency_id)
