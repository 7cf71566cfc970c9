"""文书: numbers, the catalog of document types, documents, voids, signatures and delivery (送达).

The catalog (:class:`DocumentType`) is data: loaded from ``catalog/*.json`` and editable in the admin.
A :class:`Document` is drafted, then issued once (number allocated, field values frozen, PDF stored); it is
never edited or deleted after that. A mistake is corrected by a :class:`DocumentVoid` (a new row; the voided
document keeps its number forever) and, if needed, a replacement draft whose ``replaces`` points at it.

Field values (``Document.fields``) are JSON, one key per field spec of the type (``DocumentType.fields``):

================  ===============================================================================
kind              value
================  ===============================================================================
text, textarea    ``str``
date              ``"2026-03-05"`` (ISO date)
datetime          ``"2026-03-05T09:30"`` (ISO, local time, minutes)
money             ``int`` fen (分); printed as figures and capital numerals
integer           ``int``
choice            ``str``: one of the spec's ``choices`` values
boolean           ``bool``
officers          ``[{"id": 3, "name": "陈志远", "certificate_number": "34152301001"}, …]``
party             ``{"id": 5, "kind": "organisation", "name": …, "address": …, "credit_code": …,
                  "resident_id": …, "legal_representative": …, "phone": …}`` (empty strings if unknown)
list              ``[str, …]``, or ``[{sub-field: value, …}, …]`` when the spec has ``item_fields``
================  ===============================================================================

References (officers, party) are copied into the values when the draft is written and again at issue, so an
issued document shows what was true when it was issued, whatever happens to the rows later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Delivery",
    "DeliveryMethod",
    "Document",
    "DocumentSettings",
    "DocumentStatus",
    "DocumentType",
    "DocumentVoid",
    "FieldKind",
    "NumberSeries",
    "SerialScope",
    "Signature",
    "SignerRole",
]


class NumberSeries(models.Model):
    """The last serial given in one series of document numbers, e.g. 舒 · 应急罚 · 2026 (domain.md §3.2).

    Locked row by row inside the transaction that issues the number, so numbers are unique and gapless.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("文书代码"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "year"], name="number_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.code} {self.year}: {self.last}"


# ----------------------------------------------------------------------------------------------------
# The catalog


class FieldKind(models.TextChoices):
    """What a field of a document holds; the JSON form of each value is in the module docstring."""

    TEXT = "text", _("单行文字")
    TEXTAREA = "textarea", _("多行文字")
    DATE = "date", _("日期")
    DATETIME = "datetime", _("日期时间")
    MONEY = "money", _("金额（分）")
    INTEGER = "integer", _("整数")
    CHOICE = "choice", _("选项")
    BOOLEAN = "boolean", _("是否")
    OFFICERS = "officers", _("执法人员")
    PARTY = "party", _("当事人")
    LIST = "list", _("列表")


class SignerRole(models.TextChoices):
    """Who signs a document: staff sign by their account, the party and witnesses by hand."""

    OFFICER = "officer", _("执法人员")
    PARTY = "party", _("当事人")
    WITNESS = "witness", _("见证人")
    REVIEWER = "reviewer", _("审核人")
    LEADER = "leader", _("机关负责人")
    UNIT_HEAD = "unit_head", _("被检查单位负责人")


class DocumentType(models.Model):
    """One kind of 文书 of the catalog, e.g. 行政处罚决定书 (应急罚), as data an agency can extend.

    ``agency`` NULL is the national standard set (2016 安全生产监管执法文书式样 with the 应急 codes, plus the
    types added since 2021); an agency's own type with the same ``key`` takes its place for that agency.
    A type that issued documents use is never changed under them: a change is a new ``version`` and the old
    row stops being ``current``.

    ``fields`` is a list of field specs: ``{"name", "label", "kind", "required", "choices", "help",
    "max_length", "item_fields", "min", "max"}`` (``kind`` from :class:`FieldKind`; ``choices`` a list of
    ``[value, label]``; ``item_fields`` the sub-fields of a list of records). ``stages`` lists the case
    stages (or ``inspection``) the type belongs to; ``signers`` the :class:`SignerRole` values that sign it;
    ``rules`` names checks done at issue besides the field specs (e.g. ``art59`` for the elements of
    行政处罚法 Art.59).
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全国通用文书式样"),
    )
    key = models.SlugField(_("标识"), max_length=60)
    version = models.PositiveSmallIntegerField(_("版本"), default=1, editable=False)
    current = models.BooleanField(_("现行版本"), default=True, editable=False)
    title = models.CharField(_("文书名称"), max_length=100)
    code = models.CharField(
        _("文书代码"), max_length=20, blank=True, help_text=_("如“应急罚”；没有独立编号的文书留空")
    )
    numbered = models.BooleanField(_("编号"), default=True)
    code_source = models.CharField(
        _("代码来源"),
        max_length=20,
        blank=True,
        help_text=_("seen：应急系统所见；inferred：按“安监→应急”推定；local：本地自定，可修改"),
    )
    fields = models.JSONField(_("字段"), default=list, blank=True)
    stages = models.JSONField(_("适用阶段"), default=list, blank=True)
    signers = models.JSONField(_("签名人"), default=list, blank=True)
    rules = models.JSONField(_("签发检查规则"), default=list, blank=True)
    party_receives = models.BooleanField(_("需送达当事人"), default=False)
    template_name = models.CharField(_("模板"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("卷内排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("文书种类")
        verbose_name_plural = _("文书种类")
        ordering = ["order", "key", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], condition=Q(agency__isnull=True), name="doctype_national_version"
            ),
            models.UniqueConstraint(
                fields=["agency", "key", "version"],
                condition=Q(agency__isnull=False),
                name="doctype_agency_version",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(agency__isnull=True, current=True),
                name="doctype_national_current",
            ),
            models.UniqueConstraint(
                fields=["agency", "key"],
                condition=Q(agency__isnull=False, current=True),
                name="doctype_agency_current",
            ),
            models.CheckConstraint(
                condition=Q(numbered=False) | ~Q(code=""), name="doctype_numbered_has_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）" if self.code else str(self.title)

    def spec(self, name: str) -> dict[str, Any] | None:
        """The field spec called ``name``, or None."""
        for field in self.fields:
            if field.get("name") == name:
                return dict(field)
        return None


class SerialScope(models.TextChoices):
    """How an agency numbers documents (domain.md §3.2): a series per document code, or the case's serial."""

    PER_TYPE = "per_type", _("按文书种类分别编号")
    PER_CASE = "per_case", _("同一案件各文书使用案件序号")


class DocumentSettings(models.Model):
    """Per-agency numbering settings. Without a row the agency numbers per type."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        on_delete=models.PROTECT,
        related_name="document_settings",
    )
    serial_scope = models.CharField(
        _("序号范围"),
        max_length=10,
        choices=SerialScope.choices,
        default=SerialScope.PER_TYPE,
        help_text=_(
            "按案件编号时，案件各文书使用立案审批表的序号，同一案件同种文书的第二份为“12-2”。"
            "年度中途更改可能与已用编号冲突，冲突的编号不予签发。"
        ),
    )

    class Meta:
        verbose_name = _("文书设置")
        verbose_name_plural = _("文书设置")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.serial_scope}"


# ----------------------------------------------------------------------------------------------------
# Documents


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")


def pdf_upload_to(instance: Document, filename: str) -> str:
    """Content-addressed: ``documents/pdf/ab/<sha256>.pdf``; ``filename`` is the digest's name."""
    return f"documents/pdf/{filename[:2]}/{filename}"


class Document(models.Model):
    """One 文书 of a case or an inspection: a draft, then issued once (number, frozen fields, stored PDF).

    Issued documents are never edited or deleted; a voided one shows as 已作废 and keeps its number.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="documents"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("行政检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    type = models.ForeignKey(
        DocumentType, verbose_name=_("文书种类"), on_delete=models.PROTECT, related_name="documents"
    )
    fields = models.JSONField(_("内容"), default=dict, blank=True)
    number = models.CharField(_("文书编号"), max_length=80, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True, editable=False)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, editable=False
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制作人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("制作时间"))
    updated_at = models.DateTimeField(_("修改时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("替代的文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    pdf = models.FileField(_("PDF 文件"), upload_to=pdf_upload_to, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, editable=False)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["drafted_at", "pk"]
        indexes = [models.Index(fields=["case", "type"], name="document_case_type")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~Q(number=""), name="document_unique_number_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(inspection__isnull=False), name="document_has_a_matter"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False, issued_by__isnull=False),
                name="document_issued_has_issuer",
            ),
            models.CheckConstraint(
                condition=Q(status="issued") | Q(number=""), name="document_draft_has_no_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type.title} {self.number}".strip()

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    @property
    def is_voided(self) -> bool:
        try:
            return self.void is not None
        except DocumentVoid.DoesNotExist:
            return False

    @property
    def is_in_force(self) -> bool:
        """Issued and not voided: the document a step of the case may rest on."""
        return self.is_issued and not self.is_voided

    @property
    def status_label(self) -> str:
        if self.is_voided:
            return str(_("已作废"))
        return str(self.get_status_display())

    def is_signed_by_party(self) -> bool:
        """The party signed it by hand (reads ``signatures``; prefetch them for lists)."""
        return any(s.role == SignerRole.PARTY and not s.refused for s in self.signatures.all())

    def party_refused_to_sign(self) -> bool:
        """The party refused; the refusal is noted before a witness (行政处罚法 Art.52, 行政强制法 Art.18)."""
        return any(s.role == SignerRole.PARTY and s.refused for s in self.signatures.all())

    def is_delivered(self) -> bool:
        """At least one delivery (送达) is recorded (reads ``deliveries``; prefetch them for lists)."""
        return len(self.deliveries.all()) > 0


class DocumentVoid(models.Model):
    """A void (作废) of an issued document: a new record; the document keeps its number and its PDF."""

    document = models.OneToOneField(
        Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="void"
    )
    reason = models.TextField(_("作废理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("作废人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("作废时间"))

    class Meta:
        verbose_name = _("文书作废记录")
        verbose_name_plural = _("文书作废记录")

    def __str__(self) -> str:
        return f"{self.document_id} {self.at:%Y-%m-%d}"


def signature_upload_to(instance: Signature, filename: str) -> str:
    return f"documents/signatures/{filename[:2]}/{filename}"


class Signature(models.Model):
    """A signature on a document: staff by their account; the party's handwriting as a PNG with its hash.

    A refusal (拒签) is recorded with the officer's note and a witness (行政处罚法 Art.52, 安全生产法 Art.68,
    行政强制法 Art.18).
    """

    document = models.ForeignKey(
        Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("签名人身份"), max_length=16, choices=SignerRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签名用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("签名人"), max_length=60)
    image = models.FileField(_("签名图像"), upload_to=signature_upload_to, blank=True)
    image_sha256 = models.CharField(_("签名图像 SHA-256"), max_length=64, blank=True)
    refused = models.BooleanField(_("拒绝签名"), default=False)
    refusal_note = models.TextField(_("拒签情况说明"), blank=True)
    witness_name = models.CharField(_("见证人"), max_length=60, blank=True)
    signed_at = models.DateTimeField(_("签名时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("文书签名")
        verbose_name_plural = _("文书签名")
        ordering = ["document", "signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refused=False) | (~Q(refusal_note="") & ~Q(witness_name="")),
                name="signature_refusal_has_note_and_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role} {self.signer_name}"


class DeliveryMethod(models.TextChoices):
    """送达方式 (行政处罚法 Art.61 with 民事诉讼法 Art.87–95)."""

    DIRECT = "direct", _("直接送达")
    LEFT_AT_ADDRESS = "left_at_address", _("留置送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")
    ENTRUSTED = "entrusted", _("委托送达")


class Delivery(models.Model):
    """One delivery (送达) of an issued document to the party.

    ``receipt`` is the signed 文书送达回执 (itself a document); an electronic delivery rests on the party's
    signed 电子送达地址确认书 (``consent``, 行政处罚法 Art.61); a 留置送达 names its witness and the reason
    the party refused; a mailing its tracking number; a 公告送达 its announcement date and why; a 委托送达 the
    body entrusted with it.
    """

    document = models.ForeignKey(
        Document, verbose_name=_("送达的文书"), on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField(_("送达方式"), max_length=16, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("送达日期"))
    recipient = models.CharField(_("受送达人"), max_length=100)
    tracking_number = models.CharField(_("邮件单号"), max_length=60, blank=True)
    witness_name = models.CharField(_("见证人"), max_length=60, blank=True)
    # 送达地点, or the electronic address (e-mail, fax, phone) named in the consent (民事诉讼法 Art.90).
    place = models.CharField(_("送达地点或电子送达地址"), max_length=200, blank=True)
    # 留置送达: 拒收事由 (民事诉讼法 Art.89); 公告送达: why and how (Art.95: 在案卷中记明原因和经过).
    reason = models.TextField(_("拒收事由或公告原因"), blank=True)
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    entrusted_to = models.CharField(_("受委托送达的单位"), max_length=100, blank=True)
    consent = models.ForeignKey(
        Document,
        verbose_name=_("电子送达地址确认书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt = models.ForeignKey(
        Document,
        verbose_name=_("送达回执"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_of",
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        ordering = ["document", "delivered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="left_at_address") | ~Q(witness_name=""), name="delivery_left_has_witness"
            ),
            models.CheckConstraint(
                condition=~Q(method="mail") | ~Q(tracking_number=""), name="delivery_mail_has_tracking"
            ),
            models.CheckConstraint(
                condition=~Q(method="electronic") | Q(consent__isnull=False),
                name="delivery_electronic_consent",
            ),
            models.CheckConstraint(
                condition=~Q(method="left_at_address") | ~Q(reason=""), name="delivery_left_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(method="public_notice") | (Q(announced_on__isnull=False) & ~Q(reason="")),
                name="delivery_notice_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(method="entrusted") | ~Q(entrusted_to=""), name="delivery_entrusted_names_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.method} {self.delivered_on}"
