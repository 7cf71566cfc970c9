"""Forms of the case pages: validation only. The services decide what is saved and say why not."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.models import User
from sanxiang.agencies.models import CertificateStatus, EnforcementCategory, Officer
from sanxiang.cases import services, workflow
from sanxiang.cases.models import Case, CaseOutcome, CaseSource, PenaltyKind, PenaltyStage, Procedure
from sanxiang.cases.workflow import Action, Stage
from sanxiang.parties.models import Party

__all__ = [
    "PENALTY_ROWS",
    "ActionForm",
    "CaseFilterForm",
    "CaseOpenForm",
    "LeadForm",
    "register_initial_source",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CaseFilterForm(forms.Form):
    """The filters of the case list; invalid values are ignored, not reported."""

    stage = forms.ChoiceField(label=_("办理阶段"), choices=[("", _("全部")), *Stage.choices], required=False)
    category = forms.ModelChoiceField(
        label=_("执法类别"), queryset=EnforcementCategory.objects.all(), required=False, empty_label=_("全部")
    )
    officer = forms.ModelChoiceField(
        label=_("承办人员"), queryset=Officer.objects.none(), required=False, empty_label=_("全部")
    )
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        officer_field = self.fields["officer"]
        assert isinstance(officer_field, forms.ModelChoiceField)  # noqa: S101
        officer_field.queryset = officers


class OfficersWithCategories(forms.ModelMultipleChoiceField):
    """Handling officers shown with the categories their certificate covers, so the choice meets Art.42."""

    def label_from_instance(self, obj: Any) -> str:
        categories = "、".join(c.name for c in obj.categories.all()) or gettext("无执法类别")
        return f"{obj.name}（{obj.certificate_number}）· {categories}"


class CaseOpenForm(forms.Form):
    """案源登记. The handling officers are checked here against Art.42 so the lead can be filed later."""

    GENERAL = "general"
    SIMPLE = "simple"

    procedure = forms.ChoiceField(
        label=_("办理方式"),
        choices=[(GENERAL, _("普通程序（先登记案源）")), (SIMPLE, _("简易程序（当场处罚）"))],
        initial=GENERAL,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("案由"), max_length=300)
    category = forms.ModelChoiceField(label=_("执法类别"), queryset=EnforcementCategory.objects.all())
    source = forms.ChoiceField(label=_("案件来源"), choices=CaseSource.choices)
    source_reference = forms.CharField(label=_("来源编号"), max_length=100, required=False)
    parties = forms.ModelMultipleChoiceField(
        label=_("当事人"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("选择本机关已登记的当事人，或在下方登记新的当事人。"),
    )
    new_party = forms.BooleanField(label=_("登记新的当事人"), required=False)
    officers = OfficersWithCategories(
        label=_("承办人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不少于两人，均须持有本执法类别的有效执法证件（行政处罚法第四十二条）。"),
    )
    facts = forms.CharField(label=_("违法事实"), widget=_textarea(4), required=False)
    act_date = forms.DateField(label=_("违法行为发生日期"), widget=DateInput(), required=False)
    act_ended_on = forms.DateField(
        label=_("违法行为终了日期"),
        widget=DateInput(),
        required=False,
        help_text=_("连续或者继续状态的违法行为填写"),
    )
    discovered_on = forms.DateField(label=_("发现日期"), widget=DateInput(), required=False)
    endangers_life_health = forms.BooleanField(
        label=_("涉及公民生命健康安全且有危害后果"),
        required=False,
        help_text=_("行政处罚法第三十六条：追责期限五年"),
    )
    is_major = forms.BooleanField(label=_("重大案件"), required=False)
    is_complex = forms.BooleanField(label=_("情节复杂"), required=False)

    def __init__(self, *args: Any, parties: Any, officers: Any, today: datetime.date, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", _("："))
        super().__init__(*args, **kwargs)
        self.today = today
        for name, queryset in (("parties", parties), ("officers", officers)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("parties") and not data.get("new_party"):
            self.add_error("parties", gettext("请至少选择一名当事人，或登记新的当事人。"))
        officers = list(data.get("officers") or [])
        category = data.get("category")
        if "officers" in data and len(officers) < 2:
            self.add_error("officers", gettext("执法人员不得少于两人（行政处罚法第四十二条）。"))
        elif category is not None and officers:
            # Art.42: the officers who act must hold a valid certificate for this field of enforcement.
            uncertified = [
                o.name
                for o in officers
                if not (o.is_certified(self.today) and any(c.pk == category.pk for c in o.categories.all()))
            ]
            if uncertified:
                self.add_error(
                    "officers",
                    gettext("以下人员没有有效的“%(category)s”执法证件（行政处罚法第四十二条）：%(names)s")
                    % {"category": category.name, "names": "、".join(uncertified)},
                )
        return data

    def service_fields(self) -> dict[str, Any]:
        names = (
            "procedure",
            "title",
            "category",
            "source",
            "source_reference",
            "facts",
            "act_date",
            "act_ended_on",
            "discovered_on",
            "endangers_life_health",
            "is_major",
            "is_complex",
        )
        return {name: self.cleaned_data[name] for name in names}


class LeadForm(forms.Form):
    """Correcting a lead before filing (``leads.case_lead_update``): the facts known so far, and why."""

    title = forms.CharField(label=_("案由"), max_length=300)
    procedure = forms.ChoiceField(
        label=_("程序"),
        choices=Procedure.choices,
        widget=forms.RadioSelect,
        help_text=_("普通程序先提请立案（行政处罚法第五十四条）；简易程序当场作出处罚决定（第五十一条）。"),
    )
    facts = forms.CharField(label=_("违法事实"), widget=_textarea(4), required=False)
    act_date = forms.DateField(
        label=_("违法行为发生日期"),
        widget=DateInput(),
        required=False,
        help_text=_("立案前须填写（行政处罚法第三十六条）。"),
    )
    act_ended_on = forms.DateField(
        label=_("违法行为终了日期"),
        widget=DateInput(),
        required=False,
        help_text=_("连续或者继续状态的违法行为填写"),
    )
    discovered_on = forms.DateField(label=_("发现日期"), widget=DateInput(), required=False)
    endangers_life_health = forms.BooleanField(
        label=_("涉及公民生命健康安全且有危害后果"),
        required=False,
        help_text=_("行政处罚法第三十六条：追责期限五年"),
    )
    reason = forms.CharField(label=_("修改理由"), widget=_textarea(2), required=False, max_length=500)

    FIELDS = (
        "title",
        "procedure",
        "facts",
        "act_date",
        "act_ended_on",
        "discovered_on",
        "endangers_life_health",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", _("："))
        kwargs.setdefault("prefix", "lead")
        kwargs.setdefault("initial", {name: getattr(case, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


# ------------------------------------------------------------------------------------------ action forms

PENALTY_ROWS = 3
CENTS = Decimal("0.01")
DELIVERY_METHODS = [
    ("直接送达", _("直接送达")),
    ("留置送达", _("留置送达")),
    ("邮寄送达", _("邮寄送达")),
    ("委托送达", _("委托送达")),
    ("电子送达", _("电子送达（经当事人同意）")),
    ("公告送达", _("公告送达")),
]
NO_PENALTY_REASON_CHOICES = [("", "---------"), *services.NO_PENALTY_REASONS.items()]
PROPOSED_OUTCOME_CHOICES = [
    ("", "---------"),
    *((value, label) for value, label in CaseOutcome.choices if value in services.PROPOSED_OUTCOMES),
]
TODAY_HELP = _("不填则为今天。")

FieldFactory = Callable[[Case], forms.Field]


def _text(label: Any, *, rows: int = 3) -> FieldFactory:
    return lambda case: forms.CharField(label=label, widget=_textarea(rows), required=False)


def _line(label: Any) -> FieldFactory:
    return lambda case: forms.CharField(label=label, max_length=200, required=False)


def _day(label: Any, *, defaults_to_today: bool = True) -> FieldFactory:
    return lambda case: forms.DateField(
        label=label,
        widget=DateInput(),
        required=False,
        help_text=TODAY_HELP if defaults_to_today else "",
    )


def _flag(label: Any) -> FieldFactory:
    return lambda case: forms.BooleanField(label=label, required=False)


def _choice(label: Any, choices: list[tuple[str, Any]]) -> FieldFactory:
    return lambda case: forms.ChoiceField(label=label, choices=choices, required=False)


def _chair(case: Case) -> forms.Field:
    # The hearing is chaired by an officer with a valid certificate (Art.42) other than the investigators
    # (行政处罚法 Art.64(四)); the service refuses anyone else (workflow.chair_certified, chair_not_handler).
    day = workflow.today()
    officers = (
        Officer.objects.filter(
            agency=case.agency_id,
            status=CertificateStatus.ACTIVE,
            valid_from__lte=day,
            valid_to__gte=day,
        )
        .exclude(case_links__case=case)
        .order_by("name", "pk")
    )
    return forms.ModelChoiceField(
        label=_("听证主持人"),
        queryset=officers,
        required=False,
        help_text=_("持有效执法证件的非本案调查人员（行政处罚法第六十四条第四项）。"),
    )


def _held_on(case: Case) -> forms.Field:
    # The hearing is held on the notified day (Art.64(二)): the form starts from it, not from today.
    return forms.DateField(
        label=_("听证举行日期"),
        widget=DateInput(),
        required=False,
        initial=case.hearing_on,
        help_text=_("听证通知载明的日期；延期举行的，填写实际举行日期。不得早于通知的日期。"),
    )


def _participants(case: Case) -> forms.Field:
    users = User.objects.filter(agency=case.agency_id, is_active=True).order_by("display_name", "username")
    return forms.ModelMultipleChoiceField(
        label=_("参加人员"),
        queryset=users,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("机关负责人集体讨论，不少于三人（行政处罚法第五十七条）。"),
    )


PENALTIES = "penalties"

# The data each action needs (``Step.requires`` in the workflow table, parsed by ``services._parse``).
ACTION_FIELDS: dict[str, list[tuple[str, FieldFactory]]] = {
    Action.REPORT_INVESTIGATION: [("report", _text(_("调查终结报告"), rows=5))],
    Action.SUBMIT_CASE_REVIEW: [
        ("proposed_outcome", _choice(_("拟处理意见"), PROPOSED_OUTCOME_CHOICES)),
        (PENALTIES, _flag("")),
        ("is_major", _flag(_("重大案件"))),
        ("is_complex", _flag(_("情节复杂"))),
    ],
    Action.DECIDE_NO_PENALTY: [
        ("reason", _choice(_("不予行政处罚的理由"), NO_PENALTY_REASON_CHOICES)),
        ("decided_on", _day(_("决定日期"))),
    ],
    Action.REFER: [("organ", _line(_("移送机关")))],
    Action.NOTIFY_PENALTY: [("notified_on", _day(_("告知日期")))],
    Action.RECORD_STATEMENT: [("statement", _text(_("陈述申辩要点")))],
    Action.REQUEST_HEARING: [("requested_on", _day(_("听证申请日期")))],
    Action.WAIVE_RIGHTS: [
        ("waived_on", _day(_("放弃日期"))),
        ("waiver_reference", _line(_("书面放弃声明"))),
    ],
    Action.SCHEDULE_HEARING: [
        ("hearing_on", _day(_("听证日期"), defaults_to_today=False)),
        ("chair", _chair),
    ],
    Action.NOTIFY_HEARING: [("notified_on", _day(_("听证通知日期")))],
    Action.RECORD_HEARING: [
        ("held_on", _held_on),
        ("party_absent", _flag(_("当事人无正当理由拒不出席或中途退出"))),
        ("record", _text(_("听证笔录"), rows=5)),
        ("report", _text(_("听证报告"), rows=4)),
    ],
    Action.PASS_LEGAL_REVIEW: [("opinion", _text(_("审核意见")))],
    Action.RETURN_LEGAL_REVIEW: [("opinion", _text(_("审核意见")))],
    Action.RECORD_COLLECTIVE_DISCUSSION: [
        ("held_on", _day(_("讨论日期"))),
        ("participants", _participants),
        ("conclusion", _text(_("讨论结论"))),
    ],
    Action.DECIDE: [(PENALTIES, _flag("")), ("decided_on", _day(_("决定日期")))],
    Action.DECIDE_ON_SPOT: [
        (PENALTIES, _flag("")),
        ("decided_on", _day(_("决定日期"))),
        ("form_number", _line(_("当场处罚决定书编号"))),
    ],
    Action.DELIVER: [
        ("delivered_on", _day(_("送达日期"))),
        ("method", _choice(_("送达方式"), DELIVERY_METHODS)),
    ],
    Action.COMPLETE_EXECUTION: [("executed_on", _day(_("执行完毕日期")))],
    Action.APPLY_COURT_ENFORCEMENT: [("applied_on", _day(_("申请日期")))],
    Action.REQUEST_EXTENSION: [
        ("until", _day(_("延长后的期限"), defaults_to_today=False)),
        ("reason", _text(_("延长理由"))),
    ],
}
KIND_CHOICES = [("", "---------"), *PenaltyKind.choices]

# Where an action form starts from what the case already states elsewhere: ``fn(case, action)`` gives
# ``{field name: value}`` (penalty rows as ``p0_kind``, ``p0_amount`` …). The documents app registers the
# issued 文书 of the step (the 调查终结报告 for its action, the 听证笔录 and 听证会报告书 for the hearing …),
# so an officer does not type again what the document says. Registered from an ``AppConfig.ready()``.
InitialSource = Callable[[Case, str], dict[str, Any]]
_INITIAL_SOURCES: list[InitialSource] = []


def register_initial_source(fn: InitialSource) -> None:
    """Add ``fn`` to the sources of the action forms' starting values; safe to call twice."""
    if fn not in _INITIAL_SOURCES:
        _INITIAL_SOURCES.append(fn)


class ActionForm(forms.Form):
    """The form of one action: the fields the action needs, up to three penalty rows, and a note.

    Empty optional fields are not passed on, so the service applies its defaults (a blank date is today)
    and gives its own Chinese message for anything missing.
    """

    def __init__(self, *args: Any, case: Case, action: str, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", _("："))
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.case = case
        self.action = action
        if not self.is_bound:
            for source in _INITIAL_SOURCES:
                for name, value in source(case, action).items():
                    self.initial.setdefault(name, value)
        self.has_penalties = False
        self.penalty_field_names: set[str] = set()
        for name, factory in ACTION_FIELDS.get(action, []):
            if name == PENALTIES:
                self.has_penalties = True
                self._add_penalty_rows()
            else:
                self.fields[name] = factory(case)
        note_required = action in services.NOTE_REQUIRED
        self.fields["note"] = forms.CharField(
            label=_("理由") if note_required else _("说明"),
            widget=_textarea(2),
            required=False,
            help_text=_("必填。") if note_required else "",
        )
        if action == Action.SUBMIT_CASE_REVIEW:
            self.initial.setdefault("is_major", case.is_major)
            self.initial.setdefault("is_complex", case.is_complex)

    def _add_penalty_rows(self) -> None:
        for i in range(PENALTY_ROWS):
            self.fields[f"p{i}_kind"] = forms.ChoiceField(
                label=_("处罚种类"), choices=KIND_CHOICES, required=False
            )
            self.fields[f"p{i}_amount"] = forms.DecimalField(
                label=_("金额（元）"), min_value=Decimal(0), decimal_places=2, max_digits=14, required=False
            )
            self.fields[f"p{i}_violation"] = forms.CharField(
                label=_("违法行为（依据）"), max_length=200, required=False
            )
            self.fields[f"p{i}_description"] = forms.CharField(
                label=_("说明"), max_length=500, required=False
            )
            self.penalty_field_names |= {
                f"p{i}_{part}" for part in ("kind", "amount", "violation", "description")
            }
        source = {
            Action.DECIDE: PenaltyStage.NOTIFIED,
            Action.SUBMIT_CASE_REVIEW: PenaltyStage.PROPOSED,
        }.get(Action(self.action))
        if source is not None:
            # What was notified is the most the decision may impose (Art.45): start from it.
            for i, penalty in enumerate(list(workflow.latest_set(self.case, source))[:PENALTY_ROWS]):
                self.initial.setdefault(f"p{i}_kind", penalty.kind)
                self.initial.setdefault(f"p{i}_amount", (Decimal(penalty.amount_fen) / 100).quantize(CENTS))
                self.initial.setdefault(f"p{i}_violation", penalty.violation)
                self.initial.setdefault(f"p{i}_description", penalty.description)

    def penalty_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"p{i}_{part}"] for part in ("kind", "amount", "violation", "description")]
            for i in range(PENALTY_ROWS)
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.penalty_field_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_penalties:
            for i in range(PENALTY_ROWS):
                kind = data.get(f"p{i}_kind")
                amount = data.get(f"p{i}_amount")
                violation = data.get(f"p{i}_violation")
                if not kind and (amount or violation):
                    self.add_error(f"p{i}_kind", gettext("请选择处罚种类。"))
        return data

    def _penalties(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(PENALTY_ROWS):
            kind = self.cleaned_data.get(f"p{i}_kind")
            if not kind:
                continue
            amount: Decimal | None = self.cleaned_data.get(f"p{i}_amount")
            rows.append(
                {
                    "kind": kind,
                    # 元 with at most two decimals → integer fen; never a float.
                    "amount_fen": int((amount or Decimal(0)) * 100),
                    "violation": self.cleaned_data.get(f"p{i}_violation", ""),
                    "description": self.cleaned_data.get(f"p{i}_description", ""),
                }
            )
        return rows

    def note(self) -> str:
        return str(self.cleaned_data.get("note", ""))

    def transition_data(self) -> dict[str, Any]:
        """The keyword arguments for ``services.case_transition`` besides case, action, actor and note."""
        data: dict[str, Any] = {}
        for name, _factory in ACTION_FIELDS.get(self.action, []):
            if name == PENALTIES:
                penalties = self._penalties()
                if penalties:
                    data[PENALTIES] = penalties
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                data[name] = value
            elif name == "chair" and value is not None:
                data[name] = value.pk
            elif name == "participants":
                if value:
                    data[name] = [user.pk for user in value]
            elif value not in (None, ""):
                data[name] = value
        if self.action == Action.DECIDE and PENALTIES not in data:
            data[PENALTIES] = []  # the service says what is missing
        return data
