"""Writes to cases. ``case_open`` registers a lead; ``case_transition`` is the one door for every stage
change.

Each runs in one transaction with its audit event. Bad input raises :class:`GuardFailed` (a ValidationError)
in Chinese and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.agencies.models import Agency, EnforcementCategory, Officer
from sanxiang.cases import permissions, workflow
from sanxiang.cases.models import (
    Case,
    CaseOfficer,
    CaseOutcome,
    CaseParty,
    CaseSettings,
    CaseSource,
    CaseTransition,
    CollectiveDiscussion,
    Penalty,
    PenaltyKind,
    PenaltyStage,
    Procedure,
)
from sanxiang.cases.workflow import Action, GuardFailed, Step
from sanxiang.core.due import clocks_changed
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.documents import numbering
from sanxiang.parties.models import Party, PartyKind

__all__ = [
    "FILING_CODE",
    "NO_PENALTY_CODE",
    "PENALTY_CODE",
    "PenaltySpec",
    "case_open",
    "case_transition",
    "hearing_right_for",
    "register_number_source",
]

# 文书代码 of the numbers this app allocates (domain.md §3.2–3.3).
FILING_CODE = "应急立"
PENALTY_CODE = "应急罚"
NO_PENALTY_CODE = "应急不罚"


@dataclass(frozen=True)
class PenaltySpec:
    kind: str
    amount_fen: int
    violation: str
    description: str = ""


# ----------------------------------------------------------------------------------------------------
# Numbers


def _allocate_number(agency: Agency, code: str, day: datetime.date) -> str:
    """The next number of ``code`` in the year of ``day`` from the agency's series: gapless, never reused."""
    return numbering.allocate_number(agency=agency, code=code, year=day.year)


NumberSource = Callable[[Case, str], "str | None"]
_NUMBER_SOURCES: list[NumberSource] = []


def register_number_source(fn: NumberSource) -> None:
    """Let an upper app name the number a case already has for ``code``: its issued 文书 of that code.

    The documents app registers one from ``ready()``: the 立案审批表 or the 决定书 is issued (and numbered)
    before the step, and the case carries that number rather than drawing a second one. Safe to call twice.
    """
    if fn not in _NUMBER_SOURCES:
        _NUMBER_SOURCES.append(fn)


def _number_for(case: Case, code: str, day: datetime.date) -> str:
    for source in _NUMBER_SOURCES:
        number = source(case, code)
        if number:
            return number
    return _allocate_number(case.agency, code, day)


# ----------------------------------------------------------------------------------------------------
# Opening a case


def _check_past(value: datetime.date | None, label: str) -> None:
    if value is not None and value > workflow.today():
        raise GuardFailed(gettext("%(label)s不能晚于今天。") % {"label": label})


@transaction.atomic
def case_open(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    category: EnforcementCategory,
    source: str,
    parties: Iterable[Party],
    officers: Iterable[Officer],
    facts: str = "",
    source_reference: str = "",
    act_date: datetime.date | None = None,
    discovered_on: datetime.date | None = None,
    act_ended_on: datetime.date | None = None,
    endangers_life_health: bool = False,
    is_major: bool = False,
    is_complex: bool = False,
    procedure: str = Procedure.GENERAL,
) -> Case:
    """Register a lead (案源登记): the case starts in ``Stage.LEAD`` without a number.

    ``procedure`` decides the first step: filing for the general procedure (行政处罚法 Art.54), the
    on-the-spot decision for the simple one (Art.51–52). Its handlers may change it until the filing is
    submitted (:func:`sanxiang.cases.leads.case_lead_update`).
    """
    parties = list(parties)
    officers = list(officers)
    if getattr(actor, "agency_id", None) != agency.pk:
        raise permissions.NotPermitted(gettext("只能在本机关登记案源。"))
    title = title.strip()
    if not title:
        raise GuardFailed(gettext("请填写案由。"))
    if source not in CaseSource.values:
        raise GuardFailed(gettext("案件来源无效。"))
    if procedure not in Procedure.values:
        raise GuardFailed(gettext("程序无效。"))
    if not parties:
        raise GuardFailed(gettext("请至少选择一名当事人。"))
    if any(p.agency_id != agency.pk for p in parties):
        raise GuardFailed(gettext("当事人须为本机关登记的当事人。"))
    if not officers:
        raise GuardFailed(gettext("请至少指定一名承办人员。"))
    if any(o.agency_id != agency.pk for o in officers):
        raise GuardFailed(gettext("承办人员须为本机关的执法人员。"))
    _check_past(act_date, gettext("违法行为发生日期"))
    _check_past(act_ended_on, gettext("违法行为终了日期"))
    _check_past(discovered_on, gettext("发现日期"))
    if act_date and act_ended_on and act_ended_on < act_date:
        raise GuardFailed(gettext("违法行为终了日期不能早于发生日期。"))
    if act_date and discovered_on and discovered_on < act_date:
        raise GuardFailed(gettext("发现日期不能早于违法行为发生日期。"))
    now = timezone.now()
    case = Case.objects.create(
        agency=agency,
        title=title,
        category=category,
        source=source,
        source_reference=source_reference.strip(),
        procedure=procedure,
        facts=facts,
        act_date=act_date,
        act_ended_on=act_ended_on,
        discovered_on=discovered_on,
        endangers_life_health=endangers_life_health,
        is_major=is_major,
        is_complex=is_complex,
        created_at=now,
        updated_at=now,
        created_by=actor,
    )
    CaseParty.objects.bulk_create([CaseParty(case=case, party=p) for p in dict.fromkeys(parties)])
    CaseOfficer.objects.bulk_create([CaseOfficer(case=case, officer=o) for o in dict.fromkeys(officers)])
    audit.record(
        audit.EventType.CASE_OPENED,
        actor=actor,
        subject=case,
        agency=agency,
        data={
            "source": source,
            "procedure": procedure,
            "category": category.pk,
            "parties": sorted(p.pk for p in parties),
            "officers": sorted(o.pk for o in officers),
        },
    )
    clocks_changed(f"case:{case.pk}")
    return case


# ----------------------------------------------------------------------------------------------------
# Parsing the data of a step


def _date(data: dict[str, Any], key: str, label: str, *, default_today: bool) -> datetime.date:
    value = data.get(key)
    if value in (None, ""):
        if default_today:
            return workflow.today()
        raise GuardFailed(gettext("请填写%(label)s。") % {"label": label})
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise GuardFailed(gettext("%(label)s格式无效。") % {"label": label}) from exc
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise GuardFailed(gettext("%(label)s格式无效。") % {"label": label})
    _check_past(value, label)
    return value


def _text(data: dict[str, Any], key: str, label: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuardFailed(gettext("请填写%(label)s。") % {"label": label})
    return value.strip()


MONETARY = {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS}
VALUED = {*MONETARY, PenaltyKind.CONFISCATE_PROPERTY}


def _penalties(data: dict[str, Any]) -> list[PenaltySpec]:
    """A non-empty set of penalties; at most one fine per illegal act (行政处罚法 Art.29).

    Each row names the act it answers in ``violation``. Two fines for the same ``violation`` are refused:
    one act that breaks several provisions gets one fine, under the provision with the higher fine (Art.29).
    Several acts (different ``violation``) may each carry a fine. Rows with different provisions but the
    same act must use the same ``violation``; we chose the act rather than the provision as the key because
    Art.29 speaks of 同一个 违法行为.
    """
    raw = data.get("penalties")
    if not isinstance(raw, list | tuple) or not raw:
        raise GuardFailed(gettext("请至少填写一项行政处罚。"))
    specs = []
    for item in raw:
        spec = item if isinstance(item, PenaltySpec) else _penalty(item)
        if spec.kind not in PenaltyKind.values:
            raise GuardFailed(gettext("处罚种类无效：%(kind)s") % {"kind": spec.kind})
        amount = spec.amount_fen
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise GuardFailed(gettext("处罚金额须为非负整数（分）。"))
        if spec.kind in MONETARY and amount == 0:
            raise GuardFailed(gettext("“%(kind)s”须填写金额。") % {"kind": PenaltyKind(spec.kind).label})
        if spec.kind not in VALUED and amount != 0:
            raise GuardFailed(gettext("“%(kind)s”不填写金额。") % {"kind": PenaltyKind(spec.kind).label})
        if not spec.violation.strip():
            raise GuardFailed(gettext("每项处罚须写明所针对的违法行为。"))
        specs.append(PenaltySpec(spec.kind, amount, spec.violation.strip(), spec.description.strip()))
    fined: set[str] = set()
    for spec in specs:
        if spec.kind == PenaltyKind.FINE:
            if spec.violation in fined:
                raise GuardFailed(
                    gettext("对当事人的同一个违法行为，不得给予两次以上罚款（行政处罚法第二十九条）：%(v)s")
                    % {"v": spec.violation}
                )
            fined.add(spec.violation)
    return specs


def _penalty(item: Any) -> PenaltySpec:
    if not isinstance(item, dict):
        raise GuardFailed(gettext("处罚格式无效。"))
    return PenaltySpec(
        kind=str(item.get("kind", "")),
        amount_fen=item.get("amount_fen", 0),
        violation=str(item.get("violation", "")),
        description=str(item.get("description", "")),
    )


def _officer(case: Case, value: Any) -> Officer:
    if isinstance(value, Officer):
        return value
    try:
        return Officer.objects.get(pk=int(value), agency=case.agency_id)
    except (TypeError, ValueError, Officer.DoesNotExist) as exc:
        raise GuardFailed(gettext("听证主持人须为本机关的执法人员。")) from exc


NOTE_REQUIRED = {
    Action.RETURN_FILING,
    Action.RETURN_CASE_REVIEW,
    Action.FIND_NOT_ESTABLISHED,
    Action.WITHDRAW_FILING,
    Action.RETURN_LEGAL_REVIEW,
}
NO_PENALTY_REASONS = {
    "minor": "违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）",
    "first_offence": "初次违法且危害后果轻微并及时改正（行政处罚法第三十三条第一款）",
    "no_fault": "当事人有证据足以证明没有主观过错（行政处罚法第三十三条第二款）",
}
PROPOSED_OUTCOMES = {
    CaseOutcome.PENALTY,
    CaseOutcome.NO_PENALTY,
    CaseOutcome.NOT_ESTABLISHED,
    CaseOutcome.REFERRAL,
}


def _parse(step: Step, case: Case, note: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check and convert the data an action needs; extra keys pass through to registered guards."""
    a = step.action
    out = dict(data)
    if a in NOTE_REQUIRED and not note.strip():
        raise GuardFailed(gettext("请在说明中写明理由。"))
    if a == Action.REPORT_INVESTIGATION:
        out["report"] = _text(data, "report", gettext("调查终结报告"))
    elif a == Action.SUBMIT_CASE_REVIEW:
        outcome = data.get("proposed_outcome")
        if outcome not in PROPOSED_OUTCOMES:
            raise GuardFailed(gettext("请选择拟处理意见。"))
        if outcome == CaseOutcome.PENALTY:
            out["penalties"] = _penalties(data)
        elif data.get("penalties"):
            raise GuardFailed(gettext("拟不予处罚、违法事实不成立或移送的案件不填写处罚。"))
        for flag in ("is_major", "is_complex"):
            if flag in data and not isinstance(data[flag], bool):
                raise GuardFailed(gettext("“重大案件”“情节复杂”须为是或否。"))
    elif a == Action.DECIDE_NO_PENALTY:
        if data.get("reason") not in NO_PENALTY_REASONS:
            raise GuardFailed(gettext("请选择不予行政处罚的理由（行政处罚法第三十三条）。"))
        out["decided_on"] = _date(data, "decided_on", gettext("决定日期"), default_today=True)
    elif a == Action.REFER:
        out["organ"] = _text(data, "organ", gettext("移送机关"))
    elif a == Action.NOTIFY_PENALTY:
        out["notified_on"] = _date(data, "notified_on", gettext("告知日期"), default_today=True)
    elif a == Action.RECORD_STATEMENT:
        out["statement"] = _text(data, "statement", gettext("陈述申辩要点"))
    elif a == Action.REQUEST_HEARING:
        out["requested_on"] = _date(data, "requested_on", gettext("听证申请日期"), default_today=True)
    elif a == Action.WAIVE_RIGHTS:
        out["waived_on"] = _date(data, "waived_on", gettext("放弃日期"), default_today=True)
        out["waiver_reference"] = _text(data, "waiver_reference", gettext("书面放弃声明"))
    elif a == Action.SCHEDULE_HEARING:
        out["hearing_on"] = _date_any(data, "hearing_on", gettext("听证日期"))
        if data.get("chair") in (None, ""):
            raise GuardFailed(gettext("请指定听证主持人。"))
        out["chair"] = _officer(case, data["chair"])
    elif a == Action.NOTIFY_HEARING:
        out["notified_on"] = _date(data, "notified_on", gettext("听证通知日期"), default_today=True)
    elif a == Action.RECORD_HEARING:
        out["held_on"] = _date(data, "held_on", gettext("听证举行日期"), default_today=True)
        out["party_absent"] = bool(data.get("party_absent", False))
        out["record"] = _text(data, "record", gettext("听证笔录"))
        out["report"] = _text(data, "report", gettext("听证报告"))
    elif a in (Action.PASS_LEGAL_REVIEW, Action.RETURN_LEGAL_REVIEW):
        out["opinion"] = _text(data, "opinion", gettext("审核意见"))
    elif a == Action.RECORD_COLLECTIVE_DISCUSSION:
        out["held_on"] = _date(data, "held_on", gettext("讨论日期"), default_today=True)
        out["conclusion"] = _text(data, "conclusion", gettext("讨论结论"))
        out["participants"] = _participants(case, data.get("participants"))
    elif a in (Action.DECIDE, Action.DECIDE_ON_SPOT):
        out["penalties"] = _penalties(data)
        out["decided_on"] = _date(data, "decided_on", gettext("决定日期"), default_today=True)
        if a == Action.DECIDE_ON_SPOT:
            out["form_number"] = _text(data, "form_number", gettext("当场处罚决定书编号"))
            if Case.objects.filter(agency=case.agency_id, decision_number=out["form_number"]).exists():
                raise GuardFailed(gettext("该决定书编号已被使用。"))
    elif a == Action.DELIVER:
        out["delivered_on"] = _date(data, "delivered_on", gettext("送达日期"), default_today=True)
        out["method"] = _text(data, "method", gettext("送达方式"))
        if case.decided_on and out["delivered_on"] < case.decided_on:
            raise GuardFailed(gettext("送达日期不能早于决定日期。"))
    elif a == Action.COMPLETE_EXECUTION:
        out["executed_on"] = _date(data, "executed_on", gettext("执行完毕日期"), default_today=True)
    elif a == Action.APPLY_COURT_ENFORCEMENT:
        out["applied_on"] = _date(data, "applied_on", gettext("申请日期"), default_today=True)
    elif a == Action.REQUEST_EXTENSION:
        out["until"] = _date_any(data, "until", gettext("延长后的期限"))
        out["reason"] = _text(data, "reason", gettext("延长理由"))
        if case.decision_due_on and out["until"] <= case.decision_due_on:
            raise GuardFailed(
                gettext("延长后的期限须晚于现有期限（%(due)s）。") % {"due": case.decision_due_on.isoformat()}
            )
    return out


def _date_any(data: dict[str, Any], key: str, label: str) -> datetime.date:
    """A date that may lie in the future (a planned hearing, an extended due date)."""
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise GuardFailed(gettext("%(label)s格式无效。") % {"label": label}) from exc
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise GuardFailed(gettext("请填写%(label)s。") % {"label": label})
    return value


def _participants(case: Case, value: Any) -> list[Any]:
    from sanxiang.accounts.models import User

    ids = [getattr(v, "pk", v) for v in (value or [])]
    users = list(User.objects.filter(pk__in=ids, agency_id=case.agency_id))
    if len(users) != len(set(ids)) or len(users) < 3:
        raise GuardFailed(gettext("集体讨论须有本机关三名以上负责人或人员参加，请填写参加人员。"))
    return users


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, PenaltySpec):
        return asdict(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise GuardFailed(gettext("数据项无法保存：%(v)r") % {"v": type(value).__name__})


# ----------------------------------------------------------------------------------------------------
# Effects: what each action writes on the case besides its stage.

HEARING_KINDS = {
    PenaltyKind.LOWER_QUALIFICATION,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.ORDER_SUSPENSION,
    PenaltyKind.ORDER_CLOSURE,
    PenaltyKind.RESTRICT_EMPLOYMENT,
}


def hearing_right_for(case: Case, penalties: Iterable[Any]) -> bool:
    """Whether the notified penalties give the party a hearing right (行政处罚法 Art.63).

    降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业, or a 较大数额 fine or confiscation of
    gains or property: at or above the agency's threshold (inclusive), 2万元 for a natural person and 5万元
    for an organisation unless the agency set other figures. An individual business counts as a natural
    person, and with several parties the lower threshold applies.
    """
    penalties = list(penalties)
    if any(p.kind in HEARING_KINDS for p in penalties):
        return True
    settings = CaseSettings.objects.filter(agency=case.agency_id).first()
    person = settings.hearing_fine_person_fen if settings else CaseSettings.DEFAULT_PERSON_FEN
    organisation = (
        settings.hearing_fine_organisation_fen if settings else CaseSettings.DEFAULT_ORGANISATION_FEN
    )
    kinds = {link.party.kind for link in case.case_parties.select_related("party")}
    threshold = organisation if kinds == {PartyKind.ORGANISATION} else person
    return any(p.kind in VALUED and p.amount_fen >= threshold for p in penalties)


def _write_set(case: Case, transition: CaseTransition, stage: str, penalties: Iterable[Any]) -> list[Penalty]:
    return Penalty.objects.bulk_create(
        [
            Penalty(
                case=case,
                transition=transition,
                stage=stage,
                kind=p.kind,
                amount_fen=p.amount_fen,
                violation=p.violation,
                description=p.description,
            )
            for p in penalties
        ]
    )


def _fines(penalties: Iterable[Any]) -> int:
    return sum(p.amount_fen for p in penalties if p.kind == PenaltyKind.FINE)


Effect = Callable[[Case, CaseTransition, dict[str, Any]], dict[str, Any]]


def _approve_filing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.filed_on = workflow.today()
    case.number = _number_for(case, FILING_CODE, case.filed_on)
    # Filing is never held up by a missing holiday table: the 90th day is kept provisionally (Art.60).
    case.decision_due_on, case.decision_due_provisional = clocks.decision_due_provisional(case.filed_on)
    return {"number": case.number}


def _submit_case_review(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.outcome = d["proposed_outcome"]
    case.is_major = d.get("is_major", case.is_major)
    case.is_complex = d.get("is_complex", case.is_complex)
    if case.outcome == CaseOutcome.PENALTY:
        _write_set(case, t, PenaltyStage.PROPOSED, d["penalties"])
        return {"proposed_fine_fen": _fines(d["penalties"])}
    return {}


def _decide_no_penalty(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.outcome = CaseOutcome.NO_PENALTY
    case.decided_on = d["decided_on"]
    case.decision_number = _number_for(case, NO_PENALTY_CODE, case.decided_on)
    case.delivery_due_on = clocks.delivery_due(case.decided_on)
    case.fine_fen = 0
    return {"decision_number": case.decision_number}


def _outcome(outcome: str) -> Effect:
    def effect(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
        case.outcome = outcome
        return {}

    return effect


def _notify_penalty(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    proposed = list(workflow.latest_set(case, PenaltyStage.PROPOSED))
    _write_set(case, t, PenaltyStage.NOTIFIED, proposed)
    case.notified_on = d["notified_on"]
    case.hearing_right = hearing_right_for(case, proposed)
    return {"hearing_right": case.hearing_right, "notified_fine_fen": _fines(proposed)}


def _record_statement(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.defence_made = True
    return {}


def _request_hearing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.hearing_requested_on = d["requested_on"]
    return {}


def _waive_rights(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.rights_waived_on = d["waived_on"]
    return {}


def _schedule_hearing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.hearing_on = d["hearing_on"]
    case.hearing_chair = d["chair"]
    return {"chair": d["chair"].pk}


def _notify_hearing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.hearing_notified_on = d["notified_on"]
    return {}


def _record_hearing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    # A party absent without good reason is taken to have waived the hearing (行政处罚法 Art.64(八)).
    if d["party_absent"]:
        case.rights_waived_on = d["held_on"]
    else:
        case.hearing_held_on = d["held_on"]
        case.defence_made = True
    return {"party_absent": d["party_absent"]}


def _collective_discussion(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    discussion = CollectiveDiscussion.objects.create(
        case=case, transition=t, held_on=d["held_on"], conclusion=d["conclusion"]
    )
    discussion.participants.set(d["participants"])
    case.discussed_on = d["held_on"]
    return {"participants": sorted(u.pk for u in d["participants"])}


def _decide(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    _write_set(case, t, PenaltyStage.FINAL, d["penalties"])
    case.outcome = CaseOutcome.PENALTY
    case.decided_on = d["decided_on"]
    case.decision_number = _number_for(case, PENALTY_CODE, case.decided_on)
    case.delivery_due_on = clocks.delivery_due(case.decided_on)
    case.fine_fen = _fines(d["penalties"])
    return {"decision_number": case.decision_number, "fine_fen": case.fine_fen}


def _deliver(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.delivered_on = d["delivered_on"]
    case.delivery_method = d["method"]
    return {}


def _complete_execution(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.executed_on = d["executed_on"]
    return {}


def _approve_closing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.closed_on = workflow.today()
    return {}


def _archive(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.archived_on = workflow.today()
    return {}


def _decide_on_spot(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    # Art.52: a pre-numbered form (编有号码的决定书) is filled in and handed over on the spot.
    _write_set(case, t, PenaltyStage.FINAL, d["penalties"])
    case.procedure = Procedure.SIMPLE
    case.outcome = CaseOutcome.PENALTY
    case.decided_on = d["decided_on"]
    case.delivered_on = d["decided_on"]
    case.delivery_method = "当场交付"
    case.decision_number = d["form_number"]
    case.fine_fen = _fines(d["penalties"])
    return {"decision_number": case.decision_number, "fine_fen": case.fine_fen}


def _request_extension(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    case.extension_requested_until = d["until"]
    return {"until": d["until"].isoformat()}


def _approve_extension(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    assert case.extension_requested_until is not None  # noqa: S101 (guarded)
    previous = case.decision_due_on
    case.decision_due_on = case.extension_requested_until
    case.decision_due_provisional = False
    case.extension_requested_until = None
    return {"from": previous.isoformat() if previous else None, "until": case.decision_due_on.isoformat()}


def _nothing(case: Case, t: CaseTransition, d: dict[str, Any]) -> dict[str, Any]:
    return {}


EFFECTS: dict[str, Effect] = {
    Action.APPROVE_FILING: _approve_filing,
    Action.SUBMIT_CASE_REVIEW: _submit_case_review,
    Action.APPROVE_PENALTY_PROPOSAL: _outcome(CaseOutcome.PENALTY),
    Action.DECIDE_NO_PENALTY: _decide_no_penalty,
    Action.FIND_NOT_ESTABLISHED: _outcome(CaseOutcome.NOT_ESTABLISHED),
    Action.REFER: _outcome(CaseOutcome.REFERRAL),
    Action.RETURN_CASE_REVIEW: _outcome(CaseOutcome.OPEN),
    Action.WITHDRAW_FILING: _outcome(CaseOutcome.WITHDRAWN),
    Action.NOTIFY_PENALTY: _notify_penalty,
    Action.RECORD_STATEMENT: _record_statement,
    Action.REQUEST_HEARING: _request_hearing,
    Action.WAIVE_RIGHTS: _waive_rights,
    Action.SCHEDULE_HEARING: _schedule_hearing,
    Action.NOTIFY_HEARING: _notify_hearing,
    Action.RECORD_HEARING: _record_hearing,
    Action.RECORD_COLLECTIVE_DISCUSSION: _collective_discussion,
    Action.DECIDE: _decide,
    Action.DELIVER: _deliver,
    Action.COMPLETE_EXECUTION: _complete_execution,
    Action.APPROVE_CLOSING: _approve_closing,
    Action.ARCHIVE: _archive,
    Action.DECIDE_ON_SPOT: _decide_on_spot,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
}


# ----------------------------------------------------------------------------------------------------
# The one door


def _perform(
    step: Step, locked: Case, actor: Any, note: str, data: dict[str, Any]
) -> tuple[CaseTransition, dict[str, Any]]:
    parsed = _parse(step, locked, note, data)
    for guard in (*step.guards, *workflow.registered_guards(step.action)):
        guard(locked, actor, parsed)
    transition = CaseTransition.objects.create(
        case=locked,
        source=locked.stage,
        target=step.target,
        action=step.action,
        actor=actor,
        at=timezone.now(),
        note=note.strip(),
        data=_jsonable(parsed),
    )
    extra = EFFECTS.get(step.action, _nothing)(locked, transition, parsed)
    return transition, extra


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: Action | str,
    actor: Any,
    note: str = "",
    automatic: bool = False,
    **data: Any,
) -> CaseTransition:
    """Perform one row of :data:`sanxiang.cases.workflow.TABLE` on ``case``; the only writer of ``stage``.

    ``automatic``: the system records a step of :data:`workflow.AUTOMATIC` because the facts it rests on are
    in (a fine paid in full at the bank), under ``actor``, the staff member whose act brought them in (who
    need not be one who could perform the step by hand); every guard still runs, and the transition and its
    audit event say it was automatic.

    With the case row locked: find the step (a forbidden jump is refused in Chinese), check the actor's
    permission, parse the step's data, run the step's guards and those registered by other apps, write the
    ``CaseTransition``, apply the step's effect and record ``CASE_STAGE_CHANGED``. ``case`` is refreshed.
    """
    # The lock serialises every step of one case: two clicks cannot both pass the guards of one stage.
    locked = Case.objects.select_for_update().select_related("agency", "category").get(pk=case.pk)
    if not permissions.can_view_case(actor, locked):
        raise Case.DoesNotExist("No Case matches the given query.")
    if str(action) not in Action.values:
        raise workflow.TransitionNotAllowed(gettext("未知的操作：%(action)s") % {"action": action})
    step = workflow.step(locked.stage, str(action))
    if automatic:
        permissions.require_automatic(actor, locked, step)
        data = {**data, "automatic": True}
    else:
        permissions.require(actor, locked, step)
    try:
        transition, extra = _perform(step, locked, actor, note, data)
    except CalendarMissing as exc:
        # A clock would run into a year whose holidays are not loaded: never guess, refuse the step.
        raise GuardFailed(str(exc)) from exc
    now = transition.at
    locked.stage = step.target
    locked.updated_at = now
    locked.save()
    audit.record(
        audit.EventType.CASE_STAGE_CHANGED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={
            "transition": transition.pk,
            "action": str(step.action),
            "from": str(transition.source),
            "to": str(transition.target),
            **({"automatic": True} if automatic else {}),
            **extra,
        },
    )
    clocks_changed(f"case:{locked.pk}")
    case.refresh_from_db()
    return transition


@transaction.atomic
def case_record_access(*, case: Case, actor: Any, purpose: str = "") -> bool:
    """Log a read of a case by someone outside its agency, e.g. an upper agency's supervisor (调阅).

    Staff of the case's own agency read their cases all day and are not logged here; every read from outside
    is (国办发〔2018〕118号: 记录信息调阅监督, 可实时调阅). Returns whether an event was written.
    """
    if getattr(actor, "agency_id", None) == case.agency_id:
        return False
    audit.record(
        audit.EventType.CASE_ACCESSED,
        actor=actor,
        subject=case,
        agency=case.agency_id,
        data={"number": case.number, "purpose": purpose[:200]},
    )
    return True
