"""Payments of fines (罚缴分离, 行政处罚法 Art.67–73).

The agency never collects a fine itself: the party pays the bank, and the payment is entered from the bank's
receipt or imported from its statement. The one exception is collection on the spot (Art.68–69), with a
财政部门 receipt (Art.70), and the cash handed to the agency within 2 working days (Art.71).

Legal records are not edited: a deferral decision is a row of its own next to the application, and a
payment entered from the same bank transaction twice is refused by the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.core.personal import personal


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("银行缴款")
    ON_THE_SPOT = "on_the_spot", _("当场收缴")


class OnTheSpotReason(models.TextChoices):
    """The only grounds on which an officer may take the money himself."""

    SMALL_FINE = "small_fine", _("一百元以下的罚款（行政处罚法第六十八条第一项）")
    HARD_TO_ENFORCE = "hard_to_enforce", _("不当场收缴事后难以执行（行政处罚法第六十八条第二项）")
    REMOTE_AREA = "remote_area", _("边远、水上、交通不便地区，当事人提出（行政处罚法第六十九条）")


class Payment(models.Model):
    """Money received against a fine: a bank transfer, or cash collected on the spot with a receipt."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payments"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("缴款方式"), max_length=16, choices=PaymentMethod.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    paid_on = models.DateField(_("缴款日期"))
    payer_name = personal(models.CharField(_("缴款人"), max_length=200, blank=True))
    bank_transaction_number = models.CharField(_("银行交易流水号"), max_length=64, blank=True)
    receipt_number = models.CharField(_("罚没款收据编号"), max_length=64, blank=True)
    on_the_spot_reason = models.CharField(
        _("当场收缴理由"), max_length=20, choices=OnTheSpotReason.choices, blank=True
    )
    statement_line = models.OneToOneField(
        "payments.StatementLine",
        verbose_name=_("对账单记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("罚款缴纳记录")
        verbose_name_plural = _("罚款缴纳记录")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive"),
            # The same bank transaction is never applied twice.
            models.UniqueConstraint(
                fields=["bank_transaction_number"],
                condition=~Q(bank_transaction_number=""),
                name="payment_bank_transaction_unique",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"], condition=~Q(receipt_number=""), name="payment_receipt_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(method=PaymentMethod.BANK) & ~Q(bank_transaction_number="") & Q(on_the_spot_reason="")
                )
                | (Q(method=PaymentMethod.ON_THE_SPOT) & ~Q(receipt_number="") & ~Q(on_the_spot_reason="")),
                name="payment_method_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount_fen / 100:.2f}"


class CashHandover(models.Model):
    """Cash collected on the spot handed to the agency (行政处罚法 Art.71: within 2 working days)."""

    payment = models.OneToOneField(
        Payment, verbose_name=_("当场收缴记录"), on_delete=models.PROTECT, related_name="handover"
    )
    handed_over_on = models.DateField(_("交纳日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("当场收缴罚款交纳")
        verbose_name_plural = _("当场收缴罚款交纳")

    def __str__(self) -> str:
        return str(self.handed_over_on)


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class AppealPeriod(models.Model):
    """A period of 复议 or 诉讼 against the decision; no late fee accrues within it (行政处罚法 Art.73).

    ``ended_on`` is blank while the proceeding lasts and is filled once, when it ends.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="appeal_periods"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AppealKind.choices)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("复议诉讼期间")
        verbose_name_plural = _("复议诉讼期间")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="appeal_period_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class DeferralKind(models.TextChoices):
    DEFERRAL = "deferral", _("延期缴纳")
    INSTALMENT = "instalment", _("分期缴纳")


class DeferralApplication(models.Model):
    """The party's application to pay later or in instalments (行政处罚法 Art.66)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="deferral_applications"
    )
    kind = models.CharField(_("申请事项"), max_length=20, choices=DeferralKind.choices)
    applied_on = models.DateField(_("申请日期"))
    reason = models.TextField(_("申请理由"))
    requested_until = models.DateField(_("申请缴清日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("延期（分期）缴纳罚款申请")
        verbose_name_plural = _("延期（分期）缴纳罚款申请")
        ordering = ["applied_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.applied_on}"


class DeferralDecision(models.Model):
    """The leader's decision on an application: refused, or approved with a new due day or a schedule."""

    application = models.OneToOneField(
        DeferralApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="decision"
    )
    approved = models.BooleanField(_("批准"))
    decided_on = models.DateField(_("审批日期"))
    new_due_on = models.DateField(_("批准缴清日期"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("延期（分期）缴纳罚款审批")
        verbose_name_plural = _("延期（分期）缴纳罚款审批")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved=False) | Q(new_due_on__isnull=False),
                name="deferral_approved_has_due_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decided_on} {'批准' if self.approved else '不予批准'}"


class Instalment(models.Model):
    """One instalment of an approved schedule; the last one's day is the decision's ``new_due_on``."""

    decision = models.ForeignKey(
        DeferralDecision, verbose_name=_("审批"), on_delete=models.PROTECT, related_name="instalments"
    )
    sequence = models.PositiveSmallIntegerField(_("期次"))
    due_on = models.DateField(_("缴纳期限"))
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("分期")
        verbose_name_plural = _("分期")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "sequence"], name="instalment_sequence_unique"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.due_on}"


class MatchOutcome(models.TextChoices):
    MATCHED = "matched", _("已匹配")
    NO_CASE = "no_case", _("摘要中未找到本机关的决定书文号")
    SEVERAL_CASES = "several_cases", _("摘要中有多个决定书文号")
    AMOUNT_DIFFERS = "amount_differs", _("金额与应缴金额不符")
    NOTHING_DUE = "nothing_due", _("该案件没有应缴款项")
    ALREADY_APPLIED = "already_applied", _("已入账")


class StatementImport(models.Model):
    """One bank statement file imported by an agency; its SHA-256 identifies the file."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("银行对账单导入")
        verbose_name_plural = _("银行对账单导入")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    """One incoming transfer of an imported statement and what the import made of it."""

    statement = models.ForeignKey(
        StatementImport, verbose_name=_("对账单"), on_delete=models.PROTECT, related_name="lines"
    )
    row = models.PositiveIntegerField(_("行号"))
    booked_on = models.DateField(_("交易日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    transaction_number = models.CharField(_("银行交易流水号"), max_length=64)
    memo = models.CharField(_("摘要"), max_length=500, blank=True)
    payer_name = personal(models.CharField(_("付款人"), max_length=200, blank=True))
    outcome = models.CharField(_("匹配结果"), max_length=20, choices=MatchOutcome.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    expected_fen = models.BigIntegerField(_("应缴金额（分）"), null=True, blank=True)

    class Meta:
        verbose_name = _("对账单记录")
        verbose_name_plural = _("对账单记录")
        ordering = ["statement", "row"]
        indexes = [models.Index(fields=["transaction_number"], name="statement_line_txn_idx")]

    def __str__(self) -> str:
        return self.transaction_number
