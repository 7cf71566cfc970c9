"""调阅: who opened which original, when and why; requests for a leader's approval; each agency's policy.

国办发〔2018〕118号 asks for a 记录信息调阅监督制度 with 可实时调阅: every read of an original is a row here
(and an audit event), written by :mod:`sanxiang.access.services` only and never changed afterwards. An
``AccessRequest`` changes only its state, through ``access_request_transition``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccessPolicy(models.Model):
    """An agency's rule for staff who are not handlers of the case: whether a leader approves first."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("执法机关"),
        on_delete=models.PROTECT,
        related_name="access_policy",
    )
    approval_required = models.BooleanField(
        _("非承办人员调阅须经负责人批准"),
        default=False,
        help_text=_("勾选后，本机关非承办人员说明理由后还须机关负责人批准才能查看证据原件。"),
    )
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("证据调阅设置")
        verbose_name_plural = _("证据调阅设置")

    def __str__(self) -> str:
        return str(self.agency)


class RequestState(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")
    EXPIRED = "expired", _("已过期")


class AccessRequest(models.Model):
    """A staff member's request to open an original, with the reason, waiting for a leader's decision.

    A pending request lapses :data:`sanxiang.access.services.PENDING_HOURS` hours after it was made; an
    approval holds until the end of the day it was given (Beijing time), then lapses as well.
    """

    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("证据"), on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("调阅理由"))
    requested_at = models.DateTimeField(_("申请时间"), editable=False)
    state = models.CharField(
        _("状态"), max_length=8, choices=RequestState.choices, default=RequestState.PENDING
    )
    valid_until = models.DateTimeField(_("有效期至"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("证据调阅申请")
        verbose_name_plural = _("证据调阅申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RequestState.values), name="access_request_state_known"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="access_request_has_reason"),
        ]
        indexes = [models.Index(fields=["evidence", "requester", "state"], name="access_request_open")]

    def __str__(self) -> str:
        return f"{self.evidence_id}:{self.requester_id}:{self.state}"


class Basis(models.TextChoices):
    """Why the user may open the original (what the access log shows beside the reason)."""

    HANDLER = "handler", _("承办人员")
    LEADERSHIP = "leadership", _("股室或机关负责人")
    REASON = "reason", _("本机关人员，已说明理由")
    APPROVED = "approved", _("本机关人员，经负责人批准")
    SUPERVISOR = "supervisor", _("监督人员实时调阅")


class AccessKind(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")


class EvidenceAccess(models.Model):
    """One opening of the player page or one download of an original: who, what, when, why, on what basis."""

    evidence = models.ForeignKey(
        "evidence.Evidence", verbose_name=_("证据"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("证据所属机关"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调阅人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("方式"), max_length=8, choices=AccessKind.choices)
    basis = models.CharField(_("依据"), max_length=10, choices=Basis.choices)
    reason = models.TextField(_("调阅理由"), blank=True)
    request = models.ForeignKey(
        AccessRequest,
        verbose_name=_("调阅申请"),
        on_delete=models.PROTECT,
        related_name="accesses",
        null=True,
        blank=True,
    )
    accessed_at = models.DateTimeField(_("调阅时间"), editable=False)
    audit_seq = models.BigIntegerField(_("审计事件序号"), editable=False)

    class Meta:
        verbose_name = _("证据调阅记录")
        verbose_name_plural = _("证据调阅记录")
        ordering = ["accessed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AccessKind.values), name="access_kind_known"),
            models.CheckConstraint(condition=Q(basis__in=Basis.values), name="access_basis_known"),
        ]
        indexes = [
            models.Index(fields=["agency", "-accessed_at"], name="access_log_by_agency"),
            models.Index(fields=["evidence", "accessed_at"], name="access_by_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}:{self.user_id}:{self.kind}"

    @property
    def by_handler(self) -> bool:
        return self.basis in (Basis.HANDLER, Basis.LEADERSHIP)
