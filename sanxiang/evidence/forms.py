"""Forms of the evidence pages: validation only. The services decide what is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Officer
from sanxiang.coercion.models import CoerciveMeasure
from sanxiang.documents.models import Document
from sanxiang.evidence.models import AVRecord, RecordedAct, RetentionClass
from sanxiang.evidence.services import Interruption

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")
# Rows for interruptions on the form: those already recorded and this many empty ones.
EMPTY_INTERRUPTION_ROWS = 2


class AVRecordForm(forms.Form):
    """The description of an audio/video item as the record of an act (音像记录)."""

    act = forms.ChoiceField(label=_("记录事项"), choices=[("", "—"), *RecordedAct.choices], required=False)
    started_at = forms.DateTimeField(label=_("摄录开始时间"), widget=LOCAL_TIME, required=False)
    ended_at = forms.DateTimeField(label=_("摄录结束时间"), widget=LOCAL_TIME, required=False)
    place = forms.CharField(label=_("摄录地点"), max_length=200, required=False)
    collectors = forms.ModelMultipleChoiceField(
        label=_("记录人"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    device = forms.CharField(
        label=_("记录设备"), max_length=100, required=False, help_text=_("如执法记录仪编号")
    )
    proves = forms.CharField(label=_("证明对象"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    documents = forms.ModelMultipleChoiceField(
        label=_("关联文书"),
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    retention = forms.ChoiceField(
        label=_("保存期限"), choices=RetentionClass.choices, initial=RetentionClass.WITH_CASE_FILE
    )
    coercive_measure = forms.ModelChoiceField(
        label=_("对应的查封扣押"),
        queryset=CoerciveMeasure.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("记录事项为查封扣押时选择"),
    )
    reason = forms.CharField(label=_("更正理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, case: Any, record: AVRecord | None = None, rows: int | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "：")
        stops = list(record.interruptions.all()) if record is not None else []
        if record is not None and "data" not in kwargs and not args:
            kwargs["initial"] = {
                "act": record.act,
                "started_at": record.started_at,
                "ended_at": record.ended_at,
                "place": record.place,
                "collectors": list(record.collectors.all()),
                "device": record.device,
                "proves": record.proves,
                "documents": list(record.documents.all()),
                "retention": record.retention,
                "coercive_measure": record.coercive_measure,
                **{f"stop_{i}_at": s.started_at for i, s in enumerate(stops)},
                **{f"stop_{i}_until": s.ended_at for i, s in enumerate(stops)},
                **{f"stop_{i}_reason": s.reason for i, s in enumerate(stops)},
            }
        super().__init__(*args, **kwargs)
        self.correcting = record is not None
        if not self.correcting:
            del self.fields["reason"]
        self._set_queryset("collectors", Officer.objects.filter(agency_id=case.agency_id).order_by("name"))
        self._set_queryset("documents", Document.objects.filter(case=case).order_by("drafted_at", "pk"))
        self._set_queryset("coercive_measure", CoerciveMeasure.objects.filter(case=case).order_by("pk"))
        self.row_count = rows if rows is not None else len(stops) + EMPTY_INTERRUPTION_ROWS
        for i in range(self.row_count):
            self.fields[f"stop_{i}_at"] = forms.DateTimeField(
                label=_("中断时间"), widget=LOCAL_TIME, required=False
            )
            self.fields[f"stop_{i}_until"] = forms.DateTimeField(
                label=_("恢复时间"), widget=LOCAL_TIME, required=False
            )
            self.fields[f"stop_{i}_reason"] = forms.CharField(
                label=_("中断原因"), max_length=200, required=False
            )

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = queryset

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("stop_")]

    @property
    def interruption_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"stop_{i}_at"], self[f"stop_{i}_until"], self[f"stop_{i}_reason"])
            for i in range(self.row_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stops: list[Interruption] = []
        for i in range(self.row_count):
            at, until = data.get(f"stop_{i}_at"), data.get(f"stop_{i}_until")
            reason = (data.get(f"stop_{i}_reason") or "").strip()
            if at is None and until is None and not reason:
                continue
            if at is None:
                self.add_error(f"stop_{i}_at", _("请填写中断时间。"))
                continue
            if not reason:
                self.add_error(f"stop_{i}_reason", _("请填写中断原因。"))
                continue
            stops.append(Interruption(started_at=at, ended_at=until, reason=reason))
        data["interruptions"] = stops
        return data
