"""Forms of legal review: validation only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.models import User
from sanxiang.cases.models import PenaltyKind
from sanxiang.parties.models import PartyKind
from sanxiang.review.models import ACT_KINDS, CatchAll, CheckItem, Finding, MeetingOutcome, OpinionKind

__all__ = [
    "CatalogHeaderForm",
    "ExtensionForm",
    "MeetingForm",
    "ObjectionForm",
    "OpinionForm",
    "RuleForm",
    "RuleFormSet",
    "SubmitForm",
]


class SubmitForm(forms.Form):
    catch_alls = forms.MultipleChoiceField(
        label=_("补充须审核的情形"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("补充理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    note = forms.CharField(label=_("送审说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, listed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["catch_alls"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = [(c.value, c.label) for c in CatchAll if c.value in listed]


class OpinionForm(forms.Form):
    """The checklist (one finding and a note per item) and the opinion."""

    kind = forms.ChoiceField(label=_("审核意见"), choices=OpinionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("具体意见"), widget=forms.Textarea(attrs={"rows": 4}))
    organ = forms.CharField(label=_("移送的有权机关（移送时填写）"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in CheckItem:
            self.fields[f"finding_{item.value}"] = forms.ChoiceField(
                label=item.label, choices=Finding.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.value}"] = forms.CharField(
                label=_("说明"), required=False, max_length=500, widget=forms.TextInput
            )

    def checklist(self) -> list[tuple[Any, Any, Any]]:
        """(item label, finding field, note field) per checklist item, for the template."""
        return [(item.label, self[f"finding_{item.value}"], self[f"note_{item.value}"]) for item in CheckItem]

    def findings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.value: (data.get(f"finding_{item.value}", ""), data.get(f"note_{item.value}", ""))
            for item in CheckItem
        }


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长（工作日）"), min_value=1, max_value=10)
    reason = forms.CharField(label=_("延长理由"), max_length=300)


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 5}))


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}))
    outcome = forms.ChoiceField(label=_("会议决定"), choices=MeetingOutcome.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = User.objects.filter(agency_id=agency_id, is_active=True).order_by("pk")


class CatalogHeaderForm(forms.Form):
    title = forms.CharField(label=_("目录清单名称"), max_length=200)
    basis = forms.CharField(label=_("制定依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    catch_alls = forms.MultipleChoiceField(
        label=_("兜底情形"), choices=CatchAll.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    act_kind = forms.ChoiceField(label=_("执法行为"), choices=ACT_KINDS)
    subject_type = forms.ChoiceField(
        label=_("当事人类型"), choices=[("", _("不限")), *PartyKind.choices], required=False
    )
    threshold_yuan = forms.DecimalField(
        label=_("金额标准（元）"), required=False, min_value=0, decimal_places=2, max_digits=14
    )
    inclusive = forms.BooleanField(label=_("含本数"), required=False, initial=True)
    triggers_hearing_notice = forms.BooleanField(label=_("同时告知听证"), required=False)
    triggers_collective_discussion = forms.BooleanField(label=_("同时集体讨论"), required=False)
    text = forms.CharField(label=_("清单表述"), required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("threshold_yuan") is not None and data.get("act_kind") not in {
            PenaltyKind.FINE,
            PenaltyKind.CONFISCATE_GAINS,
            PenaltyKind.CONFISCATE_PROPERTY,
        }:
            raise forms.ValidationError(_("只有罚款、没收违法所得、没收非法财物可以设定金额标准。"))
        return data


RuleFormSet = forms.formset_factory(RuleForm, extra=2, can_delete=True)
