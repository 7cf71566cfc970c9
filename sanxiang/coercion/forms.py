"""Forms of the coercion pages: validation only. The services decide what is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Officer
from sanxiang.coercion.models import HandlingKind, MeasureKind, PreservationOutcome


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class MeasureCreateForm(_Form):
    kind = forms.ChoiceField(label=_("措施种类"), choices=MeasureKind.choices, widget=forms.RadioSelect)
    emergency = forms.BooleanField(
        label=_("情况紧急，已当场实施"),
        required=False,
        help_text=_("须在24小时内向负责人报告并补办批准手续（行政强制法第十九条）。"),
    )
    acted_at = forms.DateTimeField(
        label=_("当场实施时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label=_("依据"), widget=forms.Textarea(attrs={"rows": 2}))
    place = forms.CharField(label=_("实施地点"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("emergency") and not data.get("acted_at"):
            self.add_error("acted_at", _("当场实施的，请填写实施时间。"))
        return data


class ItemForm(_Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    quantity = forms.DecimalField(label=_("数量"), max_digits=12, decimal_places=3, min_value=0.001)
    unit = forms.CharField(label=_("单位"), max_length=20)
    specification = forms.CharField(label=_("地点或规格"), max_length=200, required=False)


class NoteForm(_Form):
    note = forms.CharField(label=_("意见或理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(_Form):
    """The act and its decision (行政强制法 Art.18, 24)."""

    officers = forms.ModelMultipleChoiceField(
        label=_("实施执法人员（两名以上）"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    period_days = forms.IntegerField(label=_("期限（日）"), min_value=1, max_value=30, initial=30)
    party_present = forms.BooleanField(label=_("当事人到场"), required=False)
    witness_name = forms.CharField(label=_("见证人（当事人不到场时）"), max_length=40, required=False)
    list_in_two_copies = forms.BooleanField(label=_("清单一式二份，当事人和本机关各执一份"), required=False)
    acted_at = forms.DateTimeField(
        label=_("实施时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("不填则为当前时间。"),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agency_id: int, emergency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = Officer.objects.filter(agency_id=agency_id).order_by("name")
        if emergency:
            # The emergency act already has its time; the report records the decision made on the spot.
            del self.fields["acted_at"]


class ExtendForm(_Form):
    days = forms.IntegerField(label=_("延长日数"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 2}))
    notice_reference = forms.CharField(label=_("延长查封扣押期限决定书（书面告知）"), max_length=200)


class ExcludeDaysForm(_Form):
    days = forms.IntegerField(label=_("扣除日数"), min_value=1)
    reason = forms.CharField(label=_("检测、检验、检疫或技术鉴定事项"), max_length=200)
    notice_reference = forms.CharField(label=_("书面告知文书"), max_length=200)


class ReleaseForm(_Form):
    reference = forms.CharField(label=_("解除决定书及退还财物清单"), max_length=200)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HandleForm(_Form):
    handling = forms.ChoiceField(label=_("处理方式"), choices=HandlingKind.choices)
    reference = forms.CharField(
        label=_("处理决定文书"),
        max_length=200,
        required=False,
        help_text=_("没收的，不填则引用本案处罚决定书。"),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PreservationCreateForm(_Form):
    reason = forms.CharField(
        label=_("证据可能灭失或者以后难以取得的情形"), widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label=_("保存地点"), max_length=200, required=False)


class PreservationApproveForm(_Form):
    preserved_on = forms.DateField(
        label=_("登记保存日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PreservationHandleForm(_Form):
    outcome = forms.ChoiceField(label=_("处理决定"), choices=PreservationOutcome.choices)
    decision_reference = forms.CharField(label=_("处理决定书"), max_length=200)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
