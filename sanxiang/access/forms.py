"""Forms of 调阅: validation only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.access.models import AccessPolicy
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("调阅理由"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text=_("写明为何调阅该证据原件，例如：案卷评查、复议应诉、执法监督检查。理由将记入调阅记录。"),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        required=False,
        help_text=_("拒绝时须写明理由。"),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AccessPolicy
        fields = ["approval_required"]


class LogFilterForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("执法机关"), queryset=Agency.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("调阅人"), queryset=User.objects.none(), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agency_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        user_field: Any = self.fields["user"]
        agency_field.queryset = Agency.objects.filter(pk__in=agency_ids).order_by("pk")
        user_field.queryset = User.objects.filter(agency_id__in=agency_ids).order_by("agency_id", "username")
