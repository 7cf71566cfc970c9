"""公示 (publication): redacted derivatives of decisions, inspection results and agency information.

A :class:`Publication` is never its source: it holds :class:`PublicationVersion` rows, each a redacted text of
the source as it stood, and the public sees only a published version. A changed source gives a new version
with a public correction note; a revoked, changed or annulled decision is withdrawn (:class:`Withdrawal`, a
tombstone with its public reason) within 3 working days (行政处罚法 Art.48 with Art.85); a publication whose
period has ended leaves the portal (``ends_on``). A discloser's change to the redaction is a
:class:`RedactionChange` row, never an edit of a published text.

The state fields of :class:`Publication` change only through ``sanxiang.disclosure.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.disclosure.redaction import Kind, NameStyle

__all__ = [
    "DisclosureSettings",
    "Publication",
    "PublicationKind",
    "PublicationStatus",
    "PublicationVersion",
    "RedactionAction",
    "RedactionChange",
    "RevocationGround",
    "Withdrawal",
]


class PublicationKind(models.TextChoices):
    """What is published; penalties and permits have 7 working days, the rest 20."""

    PENALTY = "penalty", _("行政处罚决定")
    PERMIT = "permit", _("行政许可决定")
    NO_PENALTY = "no_penalty", _("不予行政处罚决定")
    COERCION = "coercion", _("行政强制决定")
    INSPECTION = "inspection", _("行政检查结果")
    AGENCY_INFO = "agency_info", _("机关信息")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("待公示")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("公示期满")
    NOT_PUBLISHED = "not_published", _("不予公示")


class RevocationGround(models.TextChoices):
    """Why a published decision must be withdrawn (行政处罚法 Art.48 para 2)."""

    CHANGED = "changed", _("决定被变更")
    REVOKED = "revoked", _("决定被撤销")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("决定被确认违法")
    ANNULLED = "annulled", _("决定被确认无效")
    OTHER = "other", _("其他原因")


class Publication(models.Model):
    """One item of the portal: the publication of one source record of one agency, in versions."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(_("公示类别"), max_length=16, choices=PublicationKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        editable=False,
    )
    title = models.CharField(_("标题"), max_length=300)
    number = models.CharField(_("决定书文号"), max_length=80, blank=True)
    subject = models.CharField(_("行政相对人（公示名称）"), max_length=200, blank=True)
    source_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("来源文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("行政检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公示期限"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True, editable=False)
    ends_on = models.DateField(_("公示截止日期"), null=True, blank=True, editable=False)
    overdue_flagged_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True, editable=False)
    minor = models.BooleanField(_("当事人为未成年人"), default=False, editable=False)
    not_published_reason = models.TextField(_("不予公示理由"), blank=True, editable=False)
    # A decision changed, revoked, confirmed illegal or annulled: withdraw within 3 working days (Art.48).
    revoked_on = models.DateField(_("决定变更、撤销等日期"), null=True, blank=True, editable=False)
    revocation_ground = models.CharField(
        _("撤回原因类别"), max_length=20, choices=RevocationGround.choices, blank=True, editable=False
    )
    withdrawal_due_on = models.DateField(_("撤回期限"), null=True, blank=True, editable=False)
    # What the redaction knows of the source: names of persons, the punished, what stays (Context).
    context = models.JSONField(_("脱敏依据"), default=dict, blank=True, editable=False)
    # Kept from the published version for the portal's lists and search (sanxiang.disclosure.published):
    # never a source of truth, always rebuilt from the published text and the source's fields.
    search_text = models.TextField(_("检索文本"), blank=True, default="", editable=False)
    category = models.ForeignKey(
        "agencies.EnforcementCategory",
        verbose_name=_("执法类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    fine_fen = models.BigIntegerField(_("罚款金额（分）"), default=0, editable=False)
    # An annual report (年度报告) of this year's figures: one per agency and year (disclosure.annual).
    report_year = models.PositiveSmallIntegerField(_("年度报告年度"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("公示信息")
        verbose_name_plural = _("公示信息")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_document"],
                condition=Q(source_document__isnull=False),
                name="publication_one_per_source_document",
            ),
            models.UniqueConstraint(
                fields=["agency", "report_year"],
                condition=Q(report_year__isnull=False),
                name="publication_one_annual_report_per_year",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="publication_queue"),
            # The portal's lists: newest first, overall, per agency and per kind.
            models.Index(fields=["status", "-decided_on", "-id"], name="publication_public"),
            models.Index(fields=["agency", "status", "-decided_on", "-id"], name="publication_public_agency"),
            models.Index(fields=["kind", "status", "-decided_on", "-id"], name="publication_public_kind"),
            models.Index(
                fields=["category", "status", "-decided_on", "-id"], name="publication_public_category"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def matter(self) -> str:
        return f"publication:{self.pk}"

    def latest_version(self) -> PublicationVersion | None:
        return self.versions.order_by("-number").first()

    def published_version(self) -> PublicationVersion | None:
        return self.versions.exclude(published_at=None).order_by("-number").first()


class PublicationVersion(models.Model):
    """One redacted text of the source. Frozen once published; a draft follows the discloser's changes."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("公示信息"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    source_text = models.TextField(_("来源原文"))
    source_sha256 = models.CharField(_("原文 SHA-256"), max_length=64)
    text = models.TextField(_("公示文本"))
    spans = models.JSONField(_("脱敏项"), default=list, blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公示人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publication_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"


class RedactionAction(models.TextChoices):
    ADD = "add", _("增加脱敏")
    REMOVE = "remove", _("取消脱敏")


class RedactionChange(models.Model):
    """A discloser's change to the redaction of a publication: mask a phrase, or keep one, with a reason."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("公示信息"), on_delete=models.PROTECT, related_name="redaction_changes"
    )
    action = models.CharField(_("操作"), max_length=8, choices=RedactionAction.choices)
    kind = models.CharField(
        _("类别"), max_length=16, choices=[(k.value, k.value) for k in Kind], default=Kind.OTHER.value
    )
    phrase = models.CharField(_("文字"), max_length=200)
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("脱敏调整")
        verbose_name_plural = _("脱敏调整")
        ordering = ["publication", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.action} {self.kind}"


class Withdrawal(models.Model):
    """The tombstone of a withdrawn publication: when, why (shown to the public) and by whom."""

    publication = models.OneToOneField(
        Publication, verbose_name=_("公示信息"), on_delete=models.PROTECT, related_name="withdrawal"
    )
    ground = models.CharField(_("原因类别"), max_length=20, choices=RevocationGround.choices)
    reason = models.TextField(_("公开说明的理由"))
    withdrawn_at = models.DateTimeField(_("撤回时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_time = models.BooleanField(_("按期撤回"), default=True)

    class Meta:
        verbose_name = _("撤回公示")
        verbose_name_plural = _("撤回公示")

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.get_ground_display()}"


class DisclosureSettings(models.Model):
    """Per-agency publication policy. Without a row the defaults below apply.

    Periods follow the 市场监管 rule as a model (domain.md §8, SCGS 13–14): a short period for warnings,
    通报批评 and small fines, a long one otherwise; the limit of a small fine is the agency's choice.
    """

    DEFAULT_SHORT_MONTHS = 3
    DEFAULT_LONG_MONTHS = 36
    DEFAULT_SMALL_FINE_FEN = 1_000_000

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        on_delete=models.PROTECT,
        related_name="disclosure_settings",
    )
    short_period_months = models.PositiveSmallIntegerField(
        _("较短公示期限（月）"), default=DEFAULT_SHORT_MONTHS
    )
    long_period_months = models.PositiveSmallIntegerField(
        _("一般公示期限（月）"), default=DEFAULT_LONG_MONTHS
    )
    small_fine_fen = models.BigIntegerField(_("较低数额罚款（分，含本数）"), default=DEFAULT_SMALL_FINE_FEN)
    punished_name = models.CharField(
        _("被处罚自然人姓名公开方式"),
        max_length=20,
        choices=[
            (NameStyle.SURNAME_MOUMOU.value, _("姓＋某某")),
            (NameStyle.SURNAME_MOU.value, _("姓＋某")),
            (NameStyle.FULL.value, _("全名")),
        ],
        default=NameStyle.SURNAME_MOUMOU.value,
    )

    class Meta:
        verbose_name = _("公示设置")
        verbose_name_plural = _("公示设置")

    def __str__(self) -> str:
        return str(self.agency_id)
