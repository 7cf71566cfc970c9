"""Forms of the payment pages: validation of input only; the services decide."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sanxiang.payments.models import AppealKind, DeferralKind, OnTheSpotReason
from sanxiang.payments.statements import parse_amount_fen, parse_date


class DateInput(forms.DateInput):
    input_type = "date"


def _fen(value: Decimal) -> int:
    return int(value * 100)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_l("金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"), **kwargs
        )


class PaymentForm(forms.Form):
    amount = AmountField()
    paid_on = forms.DateField(label=_l("缴款日期"), widget=DateInput)
    bank_transaction_number = forms.CharField(label=_l("银行交易流水号（回单号）"), max_length=64)
    payer_name = forms.CharField(label=_l("缴款人"), max_length=200, required=False)
    note = forms.CharField(label=_l("备注"), max_length=200, required=False)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "amount_fen": _fen(data["amount"]),
            "paid_on": data["paid_on"],
            "bank_transaction_number": data["bank_transaction_number"],
            "payer_name": data["payer_name"],
            "note": data["note"],
        }


class OnTheSpotForm(forms.Form):
    amount = AmountField()
    collected_on = forms.DateField(label=_l("收缴日期"), widget=DateInput)
    receipt_number = forms.CharField(label=_l("罚没款专用票据编号"), max_length=64)
    reason = forms.ChoiceField(label=_l("当场收缴理由"), choices=OnTheSpotReason.choices)
    payer_name = forms.CharField(label=_l("缴款人"), max_length=200, required=False)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "amount_fen": _fen(data["amount"]),
            "collected_on": data["collected_on"],
            "receipt_number": data["receipt_number"],
            "reason": data["reason"],
            "payer_name": data["payer_name"],
        }


class CashHandoverForm(forms.Form):
    handed_over_on = forms.DateField(label=_l("交纳日期"), widget=DateInput)


class DeferralApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_l("申请事项"), choices=DeferralKind.choices)
    applied_on = forms.DateField(label=_l("申请日期"), widget=DateInput)
    reason = forms.CharField(label=_l("申请理由"), widget=forms.Textarea(attrs={"rows": 2}))
    requested_until = forms.DateField(label=_l("申请缴清日期"), widget=DateInput, required=False)


class DeferralDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_l("审批结果"),
        choices=[("1", _l("批准")), ("0", _l("不予批准"))],
        coerce=lambda value: value == "1",
    )
    decided_on = forms.DateField(label=_l("审批日期"), widget=DateInput)
    new_due_on = forms.DateField(label=_l("批准缴清日期（延期）"), widget=DateInput, required=False)
    instalments = forms.CharField(
        label=_l("分期计划（分期）"),
        help_text=_l("每行一期：缴纳期限 金额，如“2026-04-10 500.00”。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(label=_l("审批意见"), max_length=200, required=False)

    def clean_instalments(self) -> list[tuple[datetime.date, int]]:
        schedule = []
        for number, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = re.split(r"[\s,，]+", line.strip(), maxsplit=1)
            try:
                schedule.append((parse_date(parts[0]), parse_amount_fen(parts[1])))
            except (ValueError, IndexError):
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“缴纳期限 金额”，如“2026-04-10 500.00”。") % {"n": number}
                ) from None
        return schedule


class AppealPeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_l("类型"), choices=AppealKind.choices)
    started_on = forms.DateField(label=_l("起始日期"), widget=DateInput)
    ended_on = forms.DateField(label=_l("结束日期"), widget=DateInput, required=False)
    note = forms.CharField(label=_l("说明"), max_length=200, required=False)


class AppealEndForm(forms.Form):
    ended_on = forms.DateField(label=_l("结束日期"), widget=DateInput)


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_l("对账单文件（.xlsx 或 .csv）"))
