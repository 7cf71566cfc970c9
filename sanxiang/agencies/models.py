"""Agencies (执法机关), their sections (股室), officers (执法人员) and published lists."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇（街道）")


class Agency(models.Model):
    """An enforcement body (行政执法主体). ``short_name`` (简称) prefixes its document numbers."""

    name = models.CharField(_("机关名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=10, help_text=_("用于文书编号，如“舒”"))
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    level = models.CharField(
        _("层级"), max_length=16, choices=AgencyLevel.choices, default=AgencyLevel.COUNTY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉监督电话"), max_length=40, blank=True)
    description = models.TextField(_("机构职能"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执法机关")
        verbose_name_plural = _("执法机关")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> set[int]:
        """Ids of every agency below this one (not including itself)."""
        found: set[int] = set()
        frontier = [self.pk]
        while frontier:
            children = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            children = [c for c in children if c not in found]
            found.update(children)
            frontier = children
        return found


class Section(models.Model):
    """A section of an agency (股室、大队、中队)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField(_("名称"), max_length=60)
    is_legal_review_unit = models.BooleanField(_("法制审核机构"), default=False)
    duties = models.TextField(_("职责"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("股室")
        verbose_name_plural = _("股室")
        ordering = ["agency", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="section_unique_name")]

    def __str__(self) -> str:
        return self.name


class EnforcementCategory(models.Model):
    """执法类别 printed on a certificate, e.g. 安全生产."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("执法类别")
        verbose_name_plural = _("执法类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("注销")


def new_credential_token() -> str:
    return secrets.token_urlsafe(24)


class Officer(models.Model):
    """An enforcement officer (执法人员) and the certificate (执法证) they hold."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="officers"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officer",
    )
    name = models.CharField(_("姓名"), max_length=40)
    certificate_number = models.CharField(_("执法证号"), max_length=40, unique=True)
    categories = models.ManyToManyField(
        EnforcementCategory, verbose_name=_("执法类别"), related_name="officers"
    )
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("证件状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    # 行政处罚法第五十八条第二款: one first appointed to legal review work (法制审核) from 2021-07-15 on
    # must hold the 法律职业资格; the appointment date decides whether the qualification is required.
    legal_review_appointed_on = models.DateField(
        _("初次从事法制审核日期"),
        null=True,
        blank=True,
        help_text=_("从事行政处罚决定法制审核的人员填写；2021年7月15日以后初次从事的，须取得法律职业资格。"),
    )
    legal_qualification_number = models.CharField(_("法律职业资格证书编号"), max_length=40, blank=True)
    credential_token = models.CharField(
        _("亮证令牌"), max_length=64, unique=True, default=new_credential_token, editable=False
    )
    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["agency", "section__order", "name"]

    def __str__(self) -> str:
        return _("%(name)s（%(certificate_number)s）") % {
            "name": self.name,
            "certificate_number": self.certificate_number,
        }

    def certificate_state(self, today: datetime.date) -> str:
        """The certificate's state on ``today``.

        One of ``valid``, ``expiring`` (within 30 days), ``expired``, ``not_yet_valid``,
        ``suspended``, ``revoked``.
        """
        if self.status == CertificateStatus.REVOKED:
            return "revoked"
        if self.status == CertificateStatus.SUSPENDED:
            return "suspended"
        if today < self.valid_from:
            return "not_yet_valid"
        if today > self.valid_to:
            return "expired"
        if (self.valid_to - today).days <= 30:
            return "expiring"
        return "valid"

    def is_certified(self, today: datetime.date) -> bool:
        """A certificate is usable when active and within its validity (行政处罚法 Art.42)."""
        return self.certificate_state(today) in {"valid", "expiring"}


class PowerKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    PERMIT = "permit", _("行政许可")
    OTHER = "other", _("其他")


class PowerItem(models.Model):
    """One item of the agency's list of powers and responsibilities (权责清单)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="power_items"
    )
    code = models.CharField(_("事项编码"), max_length=60, blank=True)
    name = models.CharField(_("事项名称"), max_length=300)
    kind = models.CharField(_("职权类型"), max_length=16, choices=PowerKind.choices)
    legal_basis = models.TextField(_("设定依据"))
    section = models.ForeignKey(
        Section,
        verbose_name=_("承办股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    responsible_unit = models.CharField(_("承办机构"), max_length=100, blank=True)
    remark = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(_("序号"), default=0)
    is_active = models.BooleanField(_("现行有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("权责事项")
        verbose_name_plural = _("权责清单")
        ordering = ["agency", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class RandomCheckItem(models.Model):
    """One item of the 随机抽查事项清单 (类别、事项、对象、依据、承办机构、方式、比例、频次)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="random_check_items"
    )
    category = models.CharField(_("抽查类别"), max_length=100)
    item = models.CharField(_("抽查事项"), max_length=300)
    targets = models.CharField(_("抽查对象"), max_length=300)
    basis = models.TextField(_("检查依据"))
    responsible_unit = models.CharField(_("承办机构"), max_length=100)
    method = models.CharField(_("检查方式"), max_length=200, blank=True)
    ratio = models.CharField(_("抽查比例"), max_length=100, blank=True)
    frequency = models.CharField(_("抽查频次"), max_length=100, blank=True)
    remark = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(_("序号"), default=0)
    is_active = models.BooleanField(_("现行有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        ordering = ["agency", "order", "pk"]

    def __str__(self) -> str:
        return self.item


class CircumstanceLevel(models.TextChoices):
    """情节 of a discretion benchmark, from the least to the most serious."""

    SLIGHT = "slight", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class DiscretionBenchmark(models.Model):
    """One version of an agency's 行政处罚裁量基准, adopted by a numbered document (e.g. 舒应急〔2025〕12号).

    A version is prepared as a draft and published once; from then on it is never edited (a change is a new
    version). The version in force on a day is the latest published one whose ``effective_on`` has come;
    older versions stay on the portal as history.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="discretion_benchmarks"
    )
    number = models.PositiveSmallIntegerField(_("版本"), editable=False)
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("印发文号"), max_length=60)
    effective_on = models.DateField(_("施行日期"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("行政处罚裁量基准")
        verbose_name_plural = _("行政处罚裁量基准")
        ordering = ["agency", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="discretion_benchmark_unique_number")
        ]

    def __str__(self) -> str:
        return _("%(title)s（%(document_number)s）") % {
            "title": self.title,
            "document_number": self.document_number,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class BenchmarkItem(models.Model):
    """One violation of a benchmark: what is violated, the penalty provision, and 不予/从轻/减轻 notes."""

    benchmark = models.ForeignKey(
        DiscretionBenchmark, verbose_name=_("裁量基准"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    violation = models.CharField(_("违法行为"), max_length=300)
    violated_provision = models.TextField(_("违反条款"))
    penalty_provision = models.TextField(_("处罚依据"))
    leniency_note = models.TextField(
        _("不予处罚、从轻、减轻处罚情形"), blank=True, help_text=_("有的填写，如首违不罚、减轻处罚的条件。")
    )

    class Meta:
        verbose_name = _("裁量事项")
        verbose_name_plural = _("裁量事项")
        ordering = ["benchmark", "order", "pk"]

    def __str__(self) -> str:
        return self.violation

    def levels_in_order(self) -> list[BenchmarkLevel]:
        """The 情节 levels from 轻微 to 严重 (over prefetched rows when there are)."""
        rank = {value: index for index, value in enumerate(CircumstanceLevel.values)}
        return sorted(self.levels.all(), key=lambda level: rank.get(level.level, len(rank)))


class BenchmarkLevel(models.Model):
    """One circumstance level (情节) of a violation: when it applies and the penalty range.

    Fines are in whole yuan (元), as the published tables print them; ``penalty`` is the full standard
    (e.g. 责令改正，可以处一万元以上三万元以下的罚款).
    """

    item = models.ForeignKey(
        BenchmarkItem, verbose_name=_("裁量事项"), on_delete=models.PROTECT, related_name="levels"
    )
    level = models.CharField(_("情节"), max_length=10, choices=CircumstanceLevel.choices)
    circumstance = models.TextField(_("适用情形"))
    penalty = models.TextField(_("处罚标准"))
    fine_min_yuan = models.PositiveIntegerField(_("罚款下限（元）"), null=True, blank=True)
    fine_max_yuan = models.PositiveIntegerField(_("罚款上限（元）"), null=True, blank=True)

    class Meta:
        verbose_name = _("裁量等级")
        verbose_name_plural = _("裁量等级")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "level"], name="benchmark_level_unique"),
            models.CheckConstraint(
                condition=models.Q(fine_min_yuan__isnull=True)
                | models.Q(fine_max_yuan__isnull=True)
                | models.Q(fine_min_yuan__lte=models.F("fine_max_yuan")),
                name="benchmark_level_fine_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.level}"
