from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import CertificateStatus


class OfficerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=CertificateStatus.choices)
    reason = forms.CharField(label=_("理由"), max_length=200, widget=forms.TextInput)


class CertificateRenewForm(forms.Form):
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate_number = forms.CharField(label=_("新执法证号（未变可不填）"), max_length=40, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            raise forms.ValidationError(_("有效期至不能早于有效期起。"))
        return data
