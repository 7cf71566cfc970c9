"""Legal review (法制审核, 行政处罚法第五十八条; 国办发〔2018〕118号): the catalog as data, rounds, opinions,
objections and the leaders' meeting.

A catalog (重大执法决定法制审核目录清单) is published as a whole new version; a published version is never
edited. A case is judged by the version in force when it was first submitted (``LegalReview.catalog``). Each
submission is a ``ReviewRound`` that keeps the rules it triggered and why, who submitted (answering for the
materials) and, with its ``Opinion``, who reviewed (answering for the opinion). Nothing here is edited or
deleted in place: a correction is a new round, a disagreement an ``Objection`` decided by a ``Meeting``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import PenaltyKind
from sanxiang.parties.models import PartyKind

__all__ = [
    "ACT_KINDS",
    "CatalogRule",
    "CatalogVersion",
    "CatchAll",
    "CheckItem",
    "Finding",
    "LegalReview",
    "Meeting",
    "MeetingOutcome",
    "Objection",
    "Opinion",
    "OpinionKind",
    "ReviewRound",
    "ReviewSettings",
]

# The act a rule is about: the penalty kinds of 行政处罚法第九条, coercive measures, permits.
COERCIVE_MEASURE = "coercive_measure"
PERMIT = "permit"
ACT_KINDS: list[tuple[str, Any]] = [
    *PenaltyKind.choices,
    (COERCIVE_MEASURE, _("行政强制措施（查封、扣押）")),
    (PERMIT, _("行政许可（不予许可、撤销、撤回许可）")),
]


class CatchAll(models.TextChoices):
    """Circumstances a catalog lists besides its rules; the handler or the section head names them."""

    AFTER_HEARING = "after_hearing", _("经过听证程序作出的")
    BEYOND_BENCHMARK = "beyond_benchmark", _("拟超出裁量基准减轻或者加重处罚的")
    COMPLEX_RELATIONS = "complex_relations", _("案件情况疑难复杂、涉及多个法律关系的")
    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益、可能造成重大社会影响或者引发社会风险的")
    SECTION_HEAD_REFERRAL = "section_head_referral", _("承办机构负责人认为需要审核的")


class CatalogVersion(models.Model):
    """One published version of an agency's catalog. In force from ``published_at`` until the next one."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        on_delete=models.PROTECT,
        related_name="review_catalogs",
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("名称"), max_length=200)
    basis = models.TextField(_("制定依据"), blank=True)
    after_hearing = models.BooleanField(CatchAll.AFTER_HEARING.label, default=True)
    beyond_benchmark = models.BooleanField(CatchAll.BEYOND_BENCHMARK.label, default=True)
    complex_relations = models.BooleanField(CatchAll.COMPLEX_RELATIONS.label, default=True)
    public_interest = models.BooleanField(CatchAll.PUBLIC_INTEREST.label, default=True)
    section_head_referral = models.BooleanField(CatchAll.SECTION_HEAD_REFERRAL.label, default=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("修订说明"), blank=True)

    class Meta:
        verbose_name = _("法制审核目录清单")
        verbose_name_plural = _("法制审核目录清单")
        ordering = ["agency", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="review_catalog_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{_('第%(n)d版') % {'n': self.number}}）"

    def catch_alls(self) -> list[str]:
        """The catch-all circumstances this version lists."""
        return [c.value for c in CatchAll if getattr(self, c.value)]

    def catch_all_labels(self) -> list[str]:
        return [str(c.label) for c in CatchAll if getattr(self, c.value)]


class CatalogRule(models.Model):
    """One rule: an act of ``act_kind`` against a party of ``subject_type`` (blank: any), optionally at an
    amount threshold in fen, inclusive (以上（含本数）) or exclusive (以上（不含本数）), needs legal review
    and may also give a hearing right and call for collective discussion."""

    catalog = models.ForeignKey(
        CatalogVersion, verbose_name=_("目录清单"), on_delete=models.PROTECT, related_name="rules"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    act_kind = models.CharField(_("执法行为"), max_length=24, choices=ACT_KINDS)
    subject_type = models.CharField(
        _("当事人类型"), max_length=24, choices=PartyKind.choices, blank=True, help_text=_("留空：不限")
    )
    threshold_fen = models.BigIntegerField(
        _("金额标准（分）"), null=True, blank=True, help_text=_("留空：不论金额")
    )
    inclusive = models.BooleanField(_("含本数"), default=True)
    triggers_hearing_notice = models.BooleanField(_("同时告知听证权利"), default=False)
    triggers_collective_discussion = models.BooleanField(_("同时须集体讨论"), default=False)
    text = models.CharField(_("清单表述"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审核目录事项")
        verbose_name_plural = _("审核目录事项")
        ordering = ["catalog", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_fen__isnull=True) | Q(threshold_fen__gte=0),
                name="review_rule_threshold_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.text or self.get_act_kind_display()

    @property
    def threshold_yuan(self) -> str:
        """The threshold in 元 with two decimals, or "" when the rule has none."""
        return "" if self.threshold_fen is None else f"{self.threshold_fen / 100:,.2f}"


class ReviewSettings(models.Model):
    """Per-agency review period: 5 working days by default, one extension of up to 3 approved by a leader.

    118号 sets no figure; local rules do (domain.md §4: 5 or 7 working days, +3).
    """

    DEFAULT_DAYS = 5
    DEFAULT_EXTENSION_DAYS = 3

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        on_delete=models.PROTECT,
        related_name="review_settings",
    )
    review_days = models.PositiveSmallIntegerField(_("审核期限（工作日）"), default=DEFAULT_DAYS)
    extension_days = models.PositiveSmallIntegerField(_("可延长（工作日）"), default=DEFAULT_EXTENSION_DAYS)

    class Meta:
        verbose_name = _("法制审核期限设置")
        verbose_name_plural = _("法制审核期限设置")

    def __str__(self) -> str:
        return str(self.agency_id)


class LegalReview(models.Model):
    """The legal review of one case: the catalog version it is judged by, and its rounds."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="legal_review"
    )
    catalog = models.ForeignKey(
        CatalogVersion,
        verbose_name=_("适用的目录清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    created_at = models.DateTimeField(_("首次提交时间"))

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")

    def __str__(self) -> str:
        return str(self.case_id)


class ReviewRound(models.Model):
    """One submission of a case for review and what came of it.

    ``triggers`` are what the catalog and the statute require, as judged at submission ({code, label, why,
    rule, hearing, discussion}); ``added`` the reasons the handler added. ``materials`` names the documents
    of the package. The period runs from ``submitted_on`` to ``due_on``, or ``extended_until``.
    """

    review = models.ForeignKey(
        LegalReview, verbose_name=_("法制审核"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("送审人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("送审时间"))
    submitted_on = models.DateField(_("送审日期"))
    due_on = models.DateField(_("审核期限"))
    triggers = models.JSONField(_("须审核的情形"), default=list)
    added = models.JSONField(_("承办机构补充的理由"), default=list, blank=True)
    materials = models.JSONField(_("送审材料"), default=list)
    note = models.TextField(_("送审说明"), blank=True)
    extended_until = models.DateField(_("延长至"), null=True, blank=True)
    extension_reason = models.CharField(_("延长理由"), max_length=300, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准延长的负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("审核轮次")
        verbose_name_plural = _("审核轮次")
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_round_unique_number"),
        ]
        indexes = [models.Index(fields=["due_on"], name="review_round_due")]

    def __str__(self) -> str:
        return f"{self.review_id}#{self.number}"

    @property
    def deadline(self) -> datetime.date:
        """The last day of the period: the extended day if a leader approved one."""
        return self.extended_until or self.due_on


class OpinionKind(models.TextChoices):
    APPROVE = "approve", _("同意")
    CORRECT = "correct", _("纠正")
    TRANSFER = "transfer", _("移送")


class CheckItem(models.TextChoices):
    """What the reviewer checks (国办发〔2018〕118号; the local lists of domain.md §1.3, §4)."""

    SUBJECT = "subject", _("执法主体是否合法")
    QUALIFICATION = "qualification", _("执法人员是否具备执法资格")
    PROCEDURE = "procedure", _("执法程序是否合法")
    FACTS_EVIDENCE = "facts_evidence", _("案件事实是否清楚，证据是否合法充分")
    LAW_DISCRETION = "law_discretion", _("适用法律是否准确，裁量基准运用是否适当")
    AUTHORITY = "authority", _("是否超越法定权限")
    DOCUMENTS = "documents", _("执法文书是否完备、规范")
    PARTY_RIGHTS = "party_rights", _("当事人的陈述、申辩、听证等权利是否得到保障")
    CRIME_REFERRAL = "crime_referral", _("违法行为是否涉嫌犯罪、需要移送司法机关")


class Finding(models.TextChoices):
    SOUND = "sound", _("符合规定")
    PROBLEM = "problem", _("存在问题")


class Opinion(models.Model):
    """The reviewer's written opinion on one round, issued as a numbered 法制审核意见书 they sign.

    ``findings``: one {item, finding, note} per :class:`CheckItem`; ``corrections``: the items to correct
    (纠正) as {item, note}; ``organ``: the competent organ for a 移送.
    """

    round = models.OneToOneField(
        ReviewRound, verbose_name=_("审核轮次"), on_delete=models.PROTECT, related_name="opinion"
    )
    kind = models.CharField(_("审核意见"), max_length=10, choices=OpinionKind.choices)
    findings = models.JSONField(_("审核内容"), default=list)
    corrections = models.JSONField(_("纠正事项"), default=list, blank=True)
    organ = models.CharField(_("移送机关"), max_length=200, blank=True)
    text = models.TextField(_("具体意见"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("出具时间"))
    given_on = models.DateField(_("审核日期"))
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("法制审核意见书"),
        on_delete=models.PROTECT,
        related_name="legal_review_opinion",
    )

    class Meta:
        verbose_name = _("法制审核意见")
        verbose_name_plural = _("法制审核意见")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.kind}"


class Objection(models.Model):
    """The handling unit disagrees with an opinion (纠正 or 移送) and says why; a meeting decides it."""

    opinion = models.OneToOneField(
        Opinion, verbose_name=_("审核意见"), on_delete=models.PROTECT, related_name="objection"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    reasons = models.TextField(_("异议理由"))

    class Meta:
        verbose_name = _("审核意见异议")
        verbose_name_plural = _("审核意见异议")

    def __str__(self) -> str:
        return str(self.opinion_id)


class MeetingOutcome(models.TextChoices):
    UPHOLD_OPINION = "uphold_opinion", _("维持审核意见")
    UPHOLD_HANDLER = "uphold_handler", _("采纳承办机构意见")


class Meeting(models.Model):
    """局长办公会 (collective discussion of the leaders) deciding an unresolved disagreement."""

    objection = models.OneToOneField(
        Objection, verbose_name=_("异议"), on_delete=models.PROTECT, related_name="meeting"
    )
    held_on = models.DateField(_("会议日期"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参加人员"), related_name="+"
    )
    minutes = models.TextField(_("会议纪要"))
    outcome = models.CharField(_("会议决定"), max_length=16, choices=MeetingOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("局长办公会决定")
        verbose_name_plural = _("局长办公会决定")

    def __str__(self) -> str:
        return f"{self.objection_id} {self.held_on}"
