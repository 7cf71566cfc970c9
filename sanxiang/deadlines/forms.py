from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MODE_CHOICES = [
    ("working", _("工作日（起算日不计，遇节假日不计）")),
    ("calendar", _("自然日（起算日不计，末日为休息日的顺延至下一个工作日）")),
]
MAX_DAYS = 3660


class CalculatorForm(forms.Form):
    start = forms.DateField(
        label=_("起算日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写起算日期"), "invalid": _("起算日期无效，应为 YYYY-MM-DD 格式")},
    )
    days = forms.IntegerField(
        label=_("期限天数"),
        min_value=0,
        max_value=MAX_DAYS,
        error_messages={
            "required": _("请填写期限天数"),
            "invalid": _("期限天数应为整数"),
            "min_value": _("期限天数不能为负数"),
            "max_value": _("期限天数不能超过 %(limit_value)s 天"),
        },
    )
    mode = forms.ChoiceField(
        label=_("计算方式"),
        choices=MODE_CHOICES,
        initial="working",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择计算方式"), "invalid_choice": _("计算方式无效")},
    )
