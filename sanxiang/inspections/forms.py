"""Inspection forms: validation only. The services decide what is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Agency, CertificateStatus, EnforcementCategory, Officer, RandomCheckItem
from sanxiang.inspections.models import Handling as HandlingChoice
from sanxiang.inspections.models import Hazard, Inspection, InspectionKind, MeasureKind, SignerKind, Stage
from sanxiang.parties.models import Party

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class InspectionFilterForm(_Form):
    stage = forms.ChoiceField(label=_("环节"), choices=[("", _("全部")), *Stage.choices], required=False)
    overdue = forms.BooleanField(label=_("只看整改逾期"), required=False)


class _CertifiedOfficers(forms.ModelMultipleChoiceField):
    """Officers shown with their certificate number and the categories it covers."""

    def label_from_instance(self, obj: Any) -> str:
        categories = "、".join(c.name for c in obj.categories.all())
        return f"{obj.name}（{obj.certificate_number}）· {categories}"


class InspectionPlanForm(_Form):
    """现场检查方案."""

    party = forms.ModelChoiceField(label=_("被检查单位"), queryset=Party.objects.none())
    category = forms.ModelChoiceField(label=_("执法类别"), queryset=EnforcementCategory.objects.all())
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE)
    officers = _CertifiedOfficers(
        label=_("检查人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不少于两人，须持有效执法证件，且证件含所选执法类别；只列出证件现行有效的人员。"),
    )
    check_items = forms.ModelMultipleChoiceField(
        label=_("抽查事项"),
        queryset=RandomCheckItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    scope = forms.CharField(label=_("检查内容和要求"), widget=TEXT, required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(agency=agency)  # type: ignore[attr-defined]
        # Only officers whose certificate is in force today (行政处罚法 Art.42), each shown with the
        # categories it covers; the service checks them again on the planned day, against the category.
        today = timezone.localdate()
        officers = self.fields["officers"]
        assert isinstance(officers, forms.ModelMultipleChoiceField)  # noqa: S101
        officers.queryset = (
            Officer.objects.filter(agency=agency, status=CertificateStatus.ACTIVE, valid_to__gte=today)
            .prefetch_related("categories")
            .order_by("name", "pk")
        )
        self.fields["check_items"].queryset = RandomCheckItem.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category, day = data.get("category"), data.get("planned_on")
        if category is not None and day is not None and data.get("officers"):
            # Art.42: each officer acts with a certificate in force on the day and covering the category.
            lacking = [
                o.name
                for o in data["officers"]
                if not (o.is_certified(day) and any(c.pk == category.pk for c in o.categories.all()))
            ]
            if lacking:
                self.add_error(
                    "officers",
                    gettext(
                        "以下人员在%(day)s没有有效的“%(category)s”执法证件（行政处罚法第四十二条）：%(names)s"
                    )
                    % {"day": day.isoformat(), "category": category.name, "names": "、".join(lacking)},
                )
        return data


class RecordForm(_Form):
    """现场检查记录 (安全生产法 Art.68)."""

    started_at = forms.DateTimeField(label=_("检查开始时间"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("检查结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("检查地点"), max_length=200)
    content = forms.CharField(label=_("检查情况"), widget=TEXT)
    unit_contact = forms.CharField(label=_("被检查单位现场负责人"), max_length=40)


class SignatureForm(_Form):
    signer_kind = forms.ChoiceField(
        label=_("签名人类别"), choices=SignerKind.choices, widget=forms.RadioSelect
    )
    officer = forms.ModelChoiceField(label=_("检查人员"), queryset=Officer.objects.none(), required=False)
    signer_name = forms.CharField(label=_("被检查单位负责人姓名"), max_length=40, required=False)
    refused = forms.BooleanField(label=_("拒绝签名"), required=False)
    note = forms.CharField(label=_("拒签情况说明"), widget=TEXT, required=False)
    witness = forms.CharField(label=_("见证人"), max_length=40, required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(  # type: ignore[attr-defined]
            pk__in=inspection.assignments.values("officer_id")
        )


class HazardForm(_Form):
    description = forms.CharField(label=_("隐患描述"), widget=TEXT)
    location = forms.CharField(label=_("隐患部位"), max_length=200)
    legal_basis = forms.CharField(label=_("违反的规定"), widget=TEXT)
    handling = forms.ChoiceField(
        label=_("处理方式"), choices=HandlingChoice.choices, widget=forms.RadioSelect
    )
    corrected_note = forms.CharField(label=_("当场整改情况"), widget=TEXT, required=False)
    measure_kind = forms.ChoiceField(
        label=_("现场处理措施"), choices=[("", "—"), *MeasureKind.choices], required=False
    )
    measure_content = forms.CharField(label=_("措施内容"), widget=TEXT, required=False)


class OrderForm(_Form):
    """责令限期整改指令书: one requirement per hazard waiting for an order."""

    issued_on = forms.DateField(label=_("下达日期"), widget=DATE)
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args: Any, hazards: list[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hazards = hazards
        for hazard in hazards:
            self.fields[f"requirement_{hazard.pk}"] = forms.CharField(
                label=_("整改要求：%(hazard)s") % {"hazard": hazard.description[:30]}, widget=TEXT
            )

    def requirements(self) -> dict[int, str]:
        return {h.pk: self.cleaned_data[f"requirement_{h.pk}"] for h in self.hazards}


class RecheckForm(_Form):
    """整改复查意见书: one result per item of the running order."""

    rechecked_on = forms.DateField(label=_("复查日期"), widget=DATE)
    opinion = forms.CharField(label=_("复查意见"), widget=TEXT)

    def __init__(self, *args: Any, hazards: list[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hazards = hazards
        for hazard in hazards:
            self.fields[f"result_{hazard.pk}"] = forms.TypedChoiceField(
                label=_("%(hazard)s") % {"hazard": hazard.description[:30]},
                choices=[("1", _("已整改")), ("0", _("未整改"))],
                coerce=lambda value: value == "1",
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{hazard.pk}"] = forms.CharField(label=_("复查情况"), required=False)

    def results(self) -> dict[int, bool]:
        return {h.pk: bool(self.cleaned_data[f"result_{h.pk}"]) for h in self.hazards}

    def notes(self) -> dict[int, str]:
        return {h.pk: self.cleaned_data[f"note_{h.pk}"] for h in self.hazards}


class NoteForm(_Form):
    note = forms.CharField(label=_("说明"), widget=TEXT, required=False)


class ToCaseForm(_Form):
    title = forms.CharField(label=_("案由"), max_length=200)
    hazards = forms.ModelMultipleChoiceField(
        label=_("转入案件的事故隐患"),
        queryset=Hazard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少勾选一项转入案件的事故隐患。")},
    )
    act_date = forms.DateField(
        label=_("违法行为发生日期"),
        widget=DATE,
        required=False,
        help_text=_(
            "立案须有此日期（行政处罚法第三十六条）。默认为检查当日，即查见隐患存在之日；已查明更早的发生日期的，请改填。"
        ),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hazards"].queryset = inspection.hazards.all()  # type: ignore[attr-defined]
        record = getattr(inspection, "record", None)
        if record is not None:
            self.fields["act_date"].initial = timezone.localtime(record.started_at).date()
