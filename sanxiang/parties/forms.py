"""The party form: validation only. The service decides what is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.core.identifiers import (
    normalise_credit_code,
    normalise_resident_id,
    validate_credit_code,
    validate_resident_id,
)
from sanxiang.parties.models import PartyKind
from sanxiang.parties.validators import validate_phone


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名或名称"), max_length=200)
    resident_id = forms.CharField(
        label=_("公民身份号码"), max_length=30, required=False, help_text=_("自然人填写，末位 x 可小写。")
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("个体工商户、法人或其他组织填写。"),
    )
    legal_representative = forms.CharField(
        label=_("法定代表人（负责人）"), max_length=40, required=False, help_text=_("法人或其他组织填写。")
    )
    address = forms.CharField(label=_("住所或地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False, validators=[validate_phone])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", _("："))
        super().__init__(*args, **kwargs)

    def clean_resident_id(self) -> str:
        value = normalise_resident_id(self.cleaned_data["resident_id"])
        if value:
            validate_resident_id(value)
        return value

    def clean_credit_code(self) -> str:
        value = normalise_credit_code(self.cleaned_data["credit_code"])
        if value:
            validate_credit_code(value)
        return value

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
