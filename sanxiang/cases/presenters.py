"""Reads of one case shaped for the staff pages: clocks with days left, penalty sets, the timeline.

Nothing here writes. Amounts stay integer fen in the models; they become 元 strings only here, for display.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.cases import workflow
from sanxiang.cases.models import Case, CaseOutcome, CaseTransition, Penalty, PenaltyKind, PenaltyStage
from sanxiang.cases.services import NO_PENALTY_REASONS
from sanxiang.cases.workflow import Action, Stage
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing

__all__ = [
    "Clock",
    "LeadChange",
    "ListRow",
    "PenaltySet",
    "People",
    "TimelineRow",
    "case_clocks",
    "case_events",
    "coercion_panel",
    "is_overdue",
    "lead_changes",
    "list_rows",
    "penalty_sets",
    "timeline",
    "yuan",
]


def yuan(fen: int) -> str:
    """Integer fen as 元 with two decimals, e.g. 1000050 → "10,000.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


# ----------------------------------------------------------------------------------------------- clocks


@dataclass(frozen=True)
class Clock:
    """One running clock of a case as the page shows it; ``error`` names a missing holiday table."""

    title: str
    basis: str
    due: datetime.date | None
    days_left: int | None
    error: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _clock(title: str, basis: str, compute: Callable[[], datetime.date], today: datetime.date) -> Clock:
    try:
        due = compute()
    except CalendarMissing as missing:
        return Clock(title, basis, None, None, str(missing))
    return Clock(title, basis, due, (due - today).days)


def case_clocks(case: Case, *, today: datetime.date) -> list[Clock]:
    """The clocks running on ``case`` today: the same ones ``selectors.clocks_of`` reports.

    Decision due (行政处罚法 Art.60, or the approved extension), the hearing request window (Art.64(一)), the
    latest day to notify a hearing (Art.64(二)), delivery due (Art.61) and payment due (Art.67). Each date
    comes from :mod:`sanxiang.deadlines.clocks` or from the case row the transitions wrote.
    """
    rows: list[Clock] = []
    if case.stage in workflow.PRE_DECISION and case.decision_due_on is not None:
        due_on = case.decision_due_on
        title = gettext("作出处罚决定")
        # Filed with no holiday table for the end's year: the date is not yet rolled past rest days (Art.85).
        if getattr(case, "decision_due_provisional", False):
            title += gettext("（节假日安排未导入，期限待定，遇休息日顺延）")
        rows.append(_clock(title, gettext("行政处罚法第六十条"), lambda: due_on, today))
    if case.stage == Stage.NOTIFIED and case.hearing_right and case.notified_on is not None:
        notified_on = case.notified_on
        rows.append(
            _clock(
                gettext("听证申请期限届满"),
                gettext("行政处罚法第六十四条"),
                lambda: clocks.hearing_request_due(notified_on),
                today,
            )
        )
    if case.stage == Stage.HEARING_SCHEDULED and case.hearing_on is not None:
        hearing_on = case.hearing_on
        rows.append(
            _clock(
                gettext("送达听证通知"),
                gettext("行政处罚法第六十四条"),
                lambda: clocks.hearing_notice_latest(hearing_on),
                today,
            )
        )
    if case.stage == Stage.DECIDED and case.delivery_due_on is not None:
        delivery_due_on = case.delivery_due_on
        rows.append(
            _clock(gettext("送达处罚决定书"), gettext("行政处罚法第六十一条"), lambda: delivery_due_on, today)
        )
    if case.stage == Stage.DELIVERED and case.fine_fen > 0 and case.delivered_on is not None:
        delivered_on = case.delivered_on
        rows.append(
            _clock(
                gettext("当事人缴纳罚款"),
                gettext("行政处罚法第六十七条"),
                lambda: clocks.payment_due(delivered_on),
                today,
            )
        )
    return rows


def is_overdue(case: Case, *, today: datetime.date) -> bool:
    """The list's red flag, the same test as ``selectors.case_list_for(overdue=True)``: no calendar needed."""
    if case.stage in workflow.PRE_DECISION and case.decision_due_on is not None:
        return case.decision_due_on < today
    if case.stage == Stage.DECIDED and case.delivery_due_on is not None:
        return case.delivery_due_on < today
    return False


@dataclass(frozen=True)
class ListRow:
    """One line of the case list, ready to print (the list page renders these, not model instances)."""

    pk: int
    number: str
    title: str
    parties: str
    stage: str
    simple: bool
    category: str
    officers: str
    created_on: str
    overdue: bool


def list_rows(cases: Iterable[Case], *, today: datetime.date) -> list[ListRow]:
    """Rows for ``cases`` fetched with ``case_parties__party`` and ``case_officers__officer`` prefetched."""
    stage_labels = {value: str(label) for value, label in Stage.choices}
    return [
        ListRow(
            pk=case.pk,
            number=case.number,
            title=case.title,
            parties="、".join(link.party.name for link in case.case_parties.all()),
            stage=stage_labels.get(case.stage, case.stage),
            simple=case.procedure == "simple",
            category=case.category.name,
            officers="、".join(link.officer.name for link in case.case_officers.all()),
            created_on=timezone.localtime(case.created_at).date().isoformat(),
            overdue=is_overdue(case, today=today),
        )
        for case in cases
    ]


# ------------------------------------------------------------------------------------------- penalties


@dataclass(frozen=True)
class PenaltySet:
    stage: str
    label: str
    rows: list[tuple[Penalty, str]]  # each penalty with its amount in 元
    fine_yuan: str


def penalty_sets(case: Case) -> list[PenaltySet]:
    """The latest set of each stage (proposed, notified, final); stages without a set are skipped.

    A later set of a stage replaces the earlier one (a new transition writes a whole new set); the earlier
    sets stay in the timeline.
    """
    latest: dict[str, int] = {}
    by_transition: dict[int, list[Penalty]] = {}
    for penalty in case.penalties.order_by("transition_id", "pk"):
        latest[penalty.stage] = penalty.transition_id
        by_transition.setdefault(penalty.transition_id, []).append(penalty)
    sets = []
    for stage in PenaltyStage:
        if stage.value not in latest:
            continue
        rows = [p for p in by_transition[latest[stage.value]] if p.stage == stage.value]
        fine = sum(p.amount_fen for p in rows if p.kind == PenaltyKind.FINE)
        sets.append(
            PenaltySet(stage.value, str(stage.label), [(p, yuan(p.amount_fen)) for p in rows], yuan(fine))
        )
    return sets


# -------------------------------------------------------------------------------------------- timeline

DATA_LABELS: dict[str, Any] = {
    "report": _("报告"),
    "proposed_outcome": _("拟处理意见"),
    "penalties": _("处罚"),
    "is_major": _("重大案件"),
    "is_complex": _("情节复杂"),
    "reason": _("理由"),
    "decided_on": _("决定日期"),
    "organ": _("移送机关"),
    "notified_on": _("告知（通知）日期"),
    "statement": _("陈述申辩要点"),
    "requested_on": _("听证申请日期"),
    "waived_on": _("放弃日期"),
    "waiver_reference": _("书面放弃声明"),
    "hearing_on": _("听证日期"),
    "chair": _("听证主持人"),
    "held_on": _("举行日期"),
    "party_absent": _("当事人未到场"),
    "record": _("笔录"),
    "opinion": _("审核意见"),
    "participants": _("参加人员"),
    "conclusion": _("结论"),
    "form_number": _("决定书编号"),
    "delivered_on": _("送达日期"),
    "method": _("送达方式"),
    "executed_on": _("执行完毕日期"),
    "applied_on": _("申请日期"),
    "until": _("延长至"),
    "automatic": _("系统依据已入账的缴款自动办理"),
}
SUMMARY_LENGTH = 60


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_LENGTH else text[:SUMMARY_LENGTH] + "…"


@dataclass(frozen=True)
class People:
    """Names for the ids a step's data stores: officers (the hearing chair) and staff users (participants)."""

    officers: dict[int, str]
    users: dict[int, str]


NOBODY = People({}, {})


def people_in(datas: Iterable[dict[str, Any]]) -> People:
    """The officers and users named by id in ``datas``, read in two queries whatever their number.

    A chair is shown with the certificate number, as the hearing record names the presiding officer
    (行政处罚法 Art.64(四)); participants of a collective discussion by name.
    """
    from sanxiang.accounts.models import User
    from sanxiang.agencies.models import Officer

    officer_ids: set[int] = set()
    user_ids: set[int] = set()
    for data in datas:
        chair = data.get("chair")
        if isinstance(chair, int) and not isinstance(chair, bool):
            officer_ids.add(chair)
        participants = data.get("participants")
        if isinstance(participants, list):
            user_ids.update(p for p in participants if isinstance(p, int) and not isinstance(p, bool))
    officers = {
        pk: gettext("%(name)s（执法证号%(number)s）") % {"name": name, "number": number}
        for pk, name, number in Officer.objects.filter(pk__in=officer_ids).values_list(
            "pk", "name", "certificate_number"
        )
    }
    users = {
        pk: display or username
        for pk, display, username in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "display_name", "username"
        )
    }
    return People(officers, users)


def _value(key: str, value: Any, people: People = NOBODY) -> str:
    if key == "chair" and value in people.officers:
        return people.officers[value]
    if key == "participants" and isinstance(value, list):
        return "、".join(people.users.get(v, str(v)) for v in value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if key == "penalties" and isinstance(value, list):
        parts = []
        for item in value:
            if not isinstance(item, dict):
                continue
            kind = str(item.get("kind", ""))
            label = str(PenaltyKind(kind).label) if kind in PenaltyKind.values else kind
            amount = item.get("amount_fen") or 0
            parts.append(f"{label} {yuan(int(amount))}元" if amount else label)
        return "；".join(parts)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if key == "proposed_outcome" and value in CaseOutcome.values:
        return str(CaseOutcome(value).label)
    if key == "reason" and value in NO_PENALTY_REASONS:
        return NO_PENALTY_REASONS[value]
    return _shorten(str(value))


def data_summary(data: dict[str, Any], people: People = NOBODY) -> list[tuple[str, str]]:
    """(label, value) pairs of a transition's data, long texts cut short, unknown keys by their name.

    In the order of ``DATA_LABELS``, then unknown keys by name: PostgreSQL's jsonb does not keep key order.
    Officers and users stored by id are shown by name from ``people`` (:func:`people_in`).
    """
    order = {key: i for i, key in enumerate(DATA_LABELS)}
    keys = sorted(data, key=lambda k: (order.get(k, len(order)), k))
    return [
        (str(DATA_LABELS.get(key, key)), _value(key, data[key], people))
        for key in keys
        if data[key] not in (None, "", [], {})
    ]


@dataclass(frozen=True)
class TimelineRow:
    transition: CaseTransition
    action: str
    source: str
    target: str
    summary: list[tuple[str, str]]


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def timeline(case: Case) -> list[TimelineRow]:
    """Every ``CaseTransition`` of the case, oldest first, with labels and a summary of its data."""
    transitions = list(case.transitions.select_related("actor").order_by("at", "pk"))
    datas = [t.data if isinstance(t.data, dict) else {} for t in transitions]
    people = people_in(datas)
    return [
        TimelineRow(
            t,
            _label(Action, t.action),
            _label(Stage, t.source),
            _label(Stage, t.target),
            data_summary(data, people),
        )
        for t, data in zip(transitions, datas, strict=True)
    ]


def case_events(user: Any, case: Case) -> list[dict[str, Any]]:
    """The audit events of the case, for users who may read the audit log (its own scoping applies)."""
    from sanxiang.audit.selectors import event_list_for

    events = event_list_for(user).filter(subject_type="cases.case", subject_id=str(case.pk)).order_by("seq")
    loaded = []
    for event in events:
        try:
            data = json.loads(event.data or "{}")
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        loaded.append((event, {k: v for k, v in data.items() if k not in {"transition", "action"}}))
    people = people_in(data for _, data in loaded)
    return [
        {"event": event, "summary": _lead_summary(data) if "changes" in data else data_summary(data, people)}
        for event, data in loaded
    ]


@dataclass(frozen=True)
class LeadChange:
    """One correction of a lead before filing: who, when, why, and each field as (label, old, new)."""

    at: datetime.datetime
    actor: str
    reason: str
    fields: list[tuple[str, str, str]]


def _shown(name: str, value: Any) -> str:
    from sanxiang.cases.models import Procedure

    if value in (None, ""):
        return gettext("（空）")
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if name == "procedure" and value in Procedure.values:
        return str(Procedure(value).label)
    if isinstance(value, str) and value.startswith("sha256:"):
        return gettext("（文字已修改）")
    return _shorten(str(value))


def _fields(changes: Any) -> list[tuple[str, str, str]]:
    from sanxiang.cases.leads import LEAD_FIELDS

    if not isinstance(changes, dict):
        return []
    return [
        (str(LEAD_FIELDS.get(name, name)), _shown(name, change.get("from")), _shown(name, change.get("to")))
        for name, change in changes.items()
        if isinstance(change, dict)
    ]


def _lead_summary(data: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(label, f"{old} → {new}") for label, old, new in _fields(data.get("changes"))]
    if data.get("reason"):
        rows.append((gettext("修改理由"), _shorten(str(data["reason"]))))
    return rows


def lead_changes(case: Case) -> list[LeadChange]:
    """The corrections of the lead (``CASE_LEAD_CHANGED``), oldest first, for everyone who sees the case.

    They are part of the case's history, so the page shows them to its readers, not only to those who may
    read the audit log. The facts' text is logged by its digest and shown as "changed".
    """
    from sanxiang.accounts.models import User
    from sanxiang.audit.events import EventType
    from sanxiang.audit.models import Event

    events = list(
        Event.objects.filter(
            event_type=EventType.CASE_LEAD_CHANGED, subject_type="cases.case", subject_id=str(case.pk)
        ).order_by("seq")
    )
    names = {u.pk: str(u) for u in User.objects.filter(pk__in={e.actor_id for e in events})}
    rows = []
    for event in events:
        try:
            data = json.loads(event.data or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            continue
        rows.append(
            LeadChange(
                event.occurred_at,
                names.get(event.actor_id or 0, event.actor_name),
                str(data.get("reason", "")),
                _fields(data.get("changes")),
            )
        )
    return rows


# ------------------------------------------------------------------------------------- other apps' panels


def coercion_panel(user: Any, case: Case) -> dict[str, Any] | None:
    """The context of ``coercion/_case_measures.html``, when that app is installed.

    Looked up by name: coercion sits above cases, and cases must not import it.
    """
    if not apps.is_installed("sanxiang.coercion"):
        return None
    context: dict[str, Any] = import_string("sanxiang.coercion.selectors.case_measures_context")(user, case)
    return context


def review_panel(user: Any, case: Case) -> dict[str, Any] | None:
    """The context of ``review/_case_review.html`` (the case's review rounds), when that app is installed.

    Looked up by name, like :func:`coercion_panel`: review sits above cases.
    """
    if not apps.is_installed("sanxiang.review"):
        return None
    context: dict[str, Any] | None = import_string("sanxiang.review.selectors.case_review_context")(
        user, case
    )
    return context


def officers_certified_today(officers: Iterable[Any], *, category_id: int, today: datetime.date) -> int:
    """How many of ``officers`` hold a valid certificate for the category today (行政处罚法 Art.42)."""
    return sum(
        1 for o in officers if o.is_certified(today) and any(c.pk == category_id for c in o.categories.all())
    )
