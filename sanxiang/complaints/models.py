"""Complaints and reports from the public (投诉举报): a channel 国办发〔2018〕118号 requires to be open.

A member of the public files a complaint on the portal and gets a tracking code, shown once; only its SHA-256
is stored. Staff accept it, answer it or decline it; each step is a :class:`ComplaintStep` row and the
complaint's ``status`` changes only through :mod:`sanxiang.complaints.services`. The answer or the reason is
what the public sees with the code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.personal import personal

__all__ = ["Complaint", "ComplaintAction", "ComplaintKind", "ComplaintStatus", "ComplaintStep"]


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉（对执法行为或执法人员）")
    REPORT = "report", _("举报（安全生产违法行为或事故隐患）")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已收到，待受理")
    ACCEPTED = "accepted", _("已受理，办理中")
    ANSWERED = "answered", _("已答复")
    DECLINED = "declined", _("不予受理")


OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED)


class ComplaintAction(models.TextChoices):
    FILE = "file", _("提交")
    ACCEPT = "accept", _("受理")
    ANSWER = "answer", _("答复")
    DECLINE = "decline", _("不予受理")


class Complaint(models.Model):
    """One complaint or report to one agency, from its filing to the answer."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="complaints"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ComplaintKind.choices)
    subject = models.CharField(_("被投诉举报的单位或人员"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    content = models.TextField(_("事项和理由"))
    name = personal(models.CharField(_("投诉举报人姓名"), max_length=40, blank=True))
    phone = personal(models.CharField(_("联系电话"), max_length=40, blank=True))
    tracking_sha256 = models.CharField(_("跟踪码摘要"), max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("办理状态"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        editable=False,
    )
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, editable=False)
    response_due_on = models.DateField(_("答复期限"), editable=False)
    response_due_provisional = models.BooleanField(
        _("期限待定"),
        default=False,
        editable=False,
        help_text=_("期末所在年度的节假日安排尚未导入：按周一至周五计算，可能顺延。"),
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "response_due_on"], name="complaint_agency_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(status__in=["answered", "declined"]),
                name="complaint_answered_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}：{self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintStep(models.Model):
    """One step of a complaint: who did what, when, and what the public is told (``note``)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉举报"), on_delete=models.PROTECT, related_name="steps"
    )
    action = models.CharField(_("操作"), max_length=16, choices=ComplaintAction.choices)
    source = models.CharField(_("原状态"), max_length=16, choices=ComplaintStatus.choices, blank=True)
    target = models.CharField(_("新状态"), max_length=16, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("答复或说明"), blank=True)

    class Meta:
        verbose_name = _("投诉举报办理记录")
        verbose_name_plural = _("投诉举报办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.action}"
