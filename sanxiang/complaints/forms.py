"""Validation only: the complaint form of the portal and the staff's answer forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency
from sanxiang.complaints.models import ComplaintKind


class ComplaintForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("向哪个机关投诉举报"),
        queryset=Agency.objects.order_by("level", "region_code"),
        empty_label=None,
    )
    kind = forms.ChoiceField(label=_("类型"), choices=ComplaintKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("被投诉举报的单位或人员"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    content = forms.CharField(
        label=_("事项和理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label=_("您的姓名"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("跟踪码"), max_length=20)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
