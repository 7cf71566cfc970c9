from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：执法记录仪 03、张三的手机"))
