"""Evidence: the original bytes (``Blob``, stored once per distinct content) and the items that point at them.

Neither is edited in place (国办发〔2018〕118号 执法全过程记录, 防删改): a correction is a new
``Evidence`` row naming the one it corrects; a fixity check is a new ``FixityCheck`` row. ``Upload`` is the
working state of a browser upload in progress, not a record: it becomes evidence only when every byte has
arrived.

An audio or video item that records an act of the case carries an ``AVRecord`` (音像记录): its number, the
act, when and where, who and with what device, what it proves. A correction of the description is a new
version of the row; django-simple-history keeps every earlier version, and the audit log names who
changed what and why.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Blob(models.Model):
    """One distinct content, written once to the evidence store under its content address."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    sm3 = models.CharField(_("SM3"), max_length=64, blank=True, default="", editable=False)
    size = models.BigIntegerField(_("字节数"), editable=False)
    storage_key = models.CharField(_("存储地址"), max_length=200, unique=True, editable=False)
    stored_at = models.DateTimeField(_("入库时间"), editable=False)

    class Meta:
        verbose_name = _("证据原件")
        verbose_name_plural = _("证据原件")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=0), name="evidence_blob_size_not_negative"),
        ]

    def __str__(self) -> str:
        return f"sha256:{self.sha256}"


class Kind(models.TextChoices):
    PHOTO = "photo", _("照片")
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("录音")
    SCAN = "scan", _("书证扫描件")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    UPLOAD = "upload", _("网页上传")
    IMPORT = "import", _("批量导入")


class Evidence(models.Model):
    """One item of evidence of a case or an inspection: who collected it, when, what it proves, its bytes."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="evidence",
        null=True,
        blank=True,
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("行政检查"),
        on_delete=models.PROTECT,
        related_name="evidence",
        null=True,
        blank=True,
    )
    blob = models.ForeignKey(Blob, verbose_name=_("原件"), on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("种类"), max_length=8, choices=Kind.choices)
    original_name = models.CharField(_("原文件名"), max_length=255)
    proves = models.TextField(_("证明对象"), blank=True)
    collectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("采集人"), related_name="+", blank=True
    )
    collected_at = models.DateTimeField(
        _("采集时间"), null=True, blank=True, help_text=_("导入时取文件的修改时间（设备时钟）")
    )
    channel = models.CharField(_("入库方式"), max_length=8, choices=Channel.choices)
    ingested_at = models.DateTimeField(_("入库时间"), editable=False)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("入库人"), on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的证据"),
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["ingested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(inspection__isnull=False),
                name="evidence_belongs_to_a_case_or_an_inspection",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class FixityOutcome(models.TextChoices):
    INTACT = "intact", _("完好")
    ALTERED = "altered", _("已被改动")
    MISSING = "missing", _("缺失")


class FixityCheck(models.Model):
    """One re-hash of a stored original (PREMIS "fixity check": what, when, outcome, digest found)."""

    blob = models.ForeignKey(Blob, verbose_name=_("原件"), on_delete=models.PROTECT, related_name="checks")
    checked_at = models.DateTimeField(_("核验时间"), editable=False)
    outcome = models.CharField(_("结果"), max_length=8, choices=FixityOutcome.choices, editable=False)
    found_sha256 = models.CharField(_("实测 SHA-256"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("完整性核验")
        verbose_name_plural = _("完整性核验")
        indexes = [models.Index(fields=["blob", "-checked_at"], name="evidence_fixity_latest")]

    def __str__(self) -> str:
        return f"{self.blob_id}:{self.outcome}"


class Upload(models.Model):
    """A browser upload in progress: the bytes received so far live in a part file named by ``id``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("文件名"), max_length=255)
    size = models.BigIntegerField(_("字节数"))
    received = models.BigIntegerField(_("已接收字节数"), default=0)
    last_modified = models.DateTimeField(_("文件修改时间"), null=True, blank=True)
    proves = models.TextField(_("证明对象"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    evidence = models.OneToOneField(
        Evidence, verbose_name=_("证据"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("上传")
        verbose_name_plural = _("上传")
        constraints = [
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(received__lte=models.F("size")),
                name="evidence_upload_received_within_size",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def complete(self) -> bool:
        return self.evidence_id is not None


# --- audio/video records (音像记录) -------------------------------------------------------------------------


class RecordedAct(models.TextChoices):
    """The rows of the 音像记录事项清单 (domain.md §5.1): the acts an audio/video record is made of."""

    SITE_INSPECTION = "site_inspection", _("现场检查(勘验)")
    INQUIRY = "inquiry", _("询问")
    SAMPLING = "sampling", _("抽样取证")
    PRESERVATION = "preservation", _("先行登记保存")
    SEAL_SEIZE = "seal_seize", _("查封扣押")
    ENFORCEMENT = "enforcement", _("强制执行")
    HEARING = "hearing", _("听证")
    STATEMENT = "statement", _("陈述申辩")
    DELIVERY = "delivery", _("送达")
    RECHECK = "recheck", _("责令改正复查")
    ON_SPOT_PENALTY = "on_spot_penalty", _("当场处罚")


class RetentionClass(models.TextChoices):
    """How long a record is kept (domain.md §5.1): footage not used as evidence only six months."""

    PERMANENT = "permanent", _("永久")
    WITH_CASE_FILE = "with_case_file", _("同案卷保管期限")
    SIX_MONTHS = "six_months", _("6个月（未作为证据使用）")


class AVRecord(models.Model):
    """The description of one audio/video item as the record of an act of its case (执法全过程记录).

    The number is the case's number with the record's serial in the case (gapless per case, never reused).
    """

    evidence = models.OneToOneField(
        Evidence, verbose_name=_("证据"), on_delete=models.PROTECT, related_name="av_record"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="av_records"
    )
    serial = models.PositiveIntegerField(_("案内序号"), editable=False)
    number = models.CharField(_("音像记录编号"), max_length=100, editable=False)
    act = models.CharField(_("记录事项"), max_length=20, choices=RecordedAct.choices)
    started_at = models.DateTimeField(_("摄录开始时间"))
    ended_at = models.DateTimeField(_("摄录结束时间"))
    place = models.CharField(_("摄录地点"), max_length=200, blank=True)
    collectors = models.ManyToManyField(
        "agencies.Officer", verbose_name=_("记录人"), related_name="av_records"
    )
    device = models.CharField(_("记录设备"), max_length=100, blank=True)
    proves = models.TextField(_("证明对象"), blank=True)
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("关联文书"), related_name="av_records", blank=True
    )
    retention = models.CharField(
        _("保存期限"), max_length=16, choices=RetentionClass.choices, default=RetentionClass.WITH_CASE_FILE
    )
    coercive_measure = models.ForeignKey(
        "coercion.CoerciveMeasure",
        verbose_name=_("对应的查封扣押"),
        on_delete=models.PROTECT,
        related_name="av_records",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    correction_reason = models.TextField(_("更正理由"), blank=True, editable=False)
    described_at = models.DateTimeField(_("登记时间"), editable=False)
    described_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[collectors, documents])

    class Meta:
        verbose_name = _("音像记录")
        verbose_name_plural = _("音像记录")
        ordering = ["case", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["case", "serial"], name="evidence_avrecord_serial_per_case"),
            models.UniqueConstraint(fields=["number"], name="evidence_avrecord_unique_number"),
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="evidence_avrecord_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["case", "act", "started_at"], name="evidence_avrecord_covering")]

    def __str__(self) -> str:
        return self.number


class AVInterruption(models.Model):
    """A stop in the recording and its reason, stated when recording restarted (domain.md §5.1)."""

    record = models.ForeignKey(
        AVRecord, verbose_name=_("音像记录"), on_delete=models.CASCADE, related_name="interruptions"
    )
    started_at = models.DateTimeField(_("中断时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    reason = models.CharField(_("中断原因"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("音像记录中断")
        verbose_name_plural = _("音像记录中断")
        ordering = ["record", "started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="evidence_avinterruption_resumes_after_stop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%H:%M:%S} {self.reason}"


# --- technical metadata and derivatives ---------------------------------------------------------------------


class MediaStatus(models.TextChoices):
    PENDING = "pending", _("提取中")
    EXTRACTED = "extracted", _("已提取")
    FAILED = "failed", _("无法提取")


class MediaMetadata(models.Model):
    """What an audio, video or photo item says about itself, read in the background after ingest.

    Derived from the original and never part of it: a failure to read it (a corrupt or unknown file) is a
    status with its reason, never a reason to refuse the evidence.
    """

    evidence = models.OneToOneField(
        Evidence, verbose_name=_("证据"), on_delete=models.PROTECT, related_name="media"
    )
    status = models.CharField(
        _("提取状态"), max_length=10, choices=MediaStatus.choices, default=MediaStatus.PENDING
    )
    message = models.CharField(_("说明"), max_length=200, blank=True)
    container = models.CharField(_("封装格式"), max_length=40, blank=True)
    duration = models.FloatField(_("时长（秒）"), null=True, blank=True)
    video_codec = models.CharField(_("视频编码"), max_length=40, blank=True)
    audio_codec = models.CharField(_("音频编码"), max_length=40, blank=True)
    width = models.PositiveIntegerField(_("宽（像素）"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高（像素）"), null=True, blank=True)
    frame_rate = models.FloatField(_("帧率"), null=True, blank=True)
    created_in_file = models.DateTimeField(_("文件内记载的创建时间"), null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间（EXIF）"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    queued_at = models.DateTimeField(_("排队时间"))
    extracted_at = models.DateTimeField(_("提取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("技术信息")
        verbose_name_plural = _("技术信息")

    def __str__(self) -> str:
        return f"{self.evidence_id}:{self.status}"


class DerivativeKind(models.TextChoices):
    THUMBNAIL = "thumbnail", _("缩略图")


class Derivative(models.Model):
    """A file made from an original (a thumbnail), kept as its own row and never in the original's place.

    Thumbnails are a few kilobytes of JPEG and live in the database with their row.
    """

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("证据"), on_delete=models.PROTECT, related_name="derivatives"
    )
    kind = models.CharField(_("种类"), max_length=10, choices=DerivativeKind.choices)
    content = models.BinaryField(_("内容"))
    content_type = models.CharField(_("类型"), max_length=40)
    width = models.PositiveIntegerField(_("宽（像素）"))
    height = models.PositiveIntegerField(_("高（像素）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    made_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("派生文件")
        verbose_name_plural = _("派生文件")
        constraints = [
            models.UniqueConstraint(fields=["evidence", "kind"], name="evidence_derivative_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}:{self.kind}"
