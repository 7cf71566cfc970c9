"""Writes of coercive measures. Each runs in one transaction, with the measure row locked, and records its
audit event in it.

One door per procedure: :func:`measure_transition` for 查封、扣押 and :func:`preservation_transition` for
先行登记保存. Creation, the list of items and the AV record have their own small services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Officer
from sanxiang.cases.workflow import GuardFailed
from sanxiang.coercion import permissions, selectors, workflow
from sanxiang.coercion.models import (
    CoerciveMeasure,
    ExcludedPeriod,
    HandlingKind,
    MeasureAction,
    MeasureExtension,
    MeasureItem,
    MeasureKind,
    MeasureStage,
    MeasureTransition,
    Preservation,
    PreservationAction,
    PreservationItem,
    PreservationOutcome,
    PreservationStage,
    PreservationTransition,
)
from sanxiang.core.due import clocks_changed
from sanxiang.documents import numbering

MAX_PERIOD_DAYS = 30  # 行政强制法 Art.25: 查封、扣押的期限不得超过三十日
MAX_EXTENSION_DAYS = 30  # 行政强制法 Art.25: 延长期限不得超过三十日
DOCUMENT_CODE = "应急查扣"  # 查封扣押决定书, the 2016 code 安监查扣 after the 2018 reform (domain.md §3.3)


# --------------------------------------------------------------------------------------------- 查封、扣押


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise GuardFailed(message)
    return value


def _positive_quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity": gettext("数量须为数字。")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": gettext("数量须大于零。")})
    return quantity


def _days(value: Any, *, maximum: int | None, too_long: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise GuardFailed(gettext("日数须为正整数。"))
    if maximum is not None and value > maximum:
        raise GuardFailed(too_long)
    return value


def _check_case_open(case: Any) -> None:
    if case.stage in workflow.CASE_ENDED:
        raise GuardFailed(gettext("案件已结案，不能再采取查封扣押或先行登记保存。"))


@transaction.atomic
def _measure_create(
    *,
    actor: User,
    case: Any,
    kind: str,
    reasons: str,
    basis: str,
    place: str,
    action: MeasureAction,
    acted_at: datetime.datetime | None,
) -> CoerciveMeasure:
    step = workflow.measure_step(None, action)
    permissions.require(permissions.can_start_measure(actor, case.agency_id))
    _check_case_open(case)
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": gettext("请选择查封或扣押。")})
    now = timezone.now()
    measure = CoerciveMeasure.objects.create(
        agency_id=case.agency_id,
        case=case,
        kind=kind,
        stage=step.target,
        emergency=action == MeasureAction.ACT_EMERGENCY,
        reasons=reasons.strip(),
        basis=basis.strip(),
        place=place.strip(),
        acted_at=acted_at,
        created_at=now,
        created_by=actor,
    )
    MeasureTransition.objects.create(
        measure=measure, source="", target=step.target, action=action, actor=actor, at=now
    )
    audit.record(
        audit.EventType.COERCIVE_MEASURE_CREATED,
        actor=actor,
        subject=measure,
        agency=measure.agency_id,
        data={"case": case.pk, "kind": kind, "action": str(action), "stage": measure.stage},
    )
    clocks_changed(f"case:{measure.case_id}")
    return measure


def measure_request(
    *, actor: User, case: Any, kind: str, reasons: str, basis: str, place: str = ""
) -> CoerciveMeasure:
    """Ask the leader to approve a 查封 or 扣押 before it is carried out (行政强制法 Art.18(一))."""
    return _measure_create(
        actor=actor,
        case=case,
        kind=kind,
        reasons=reasons,
        basis=basis,
        place=place,
        action=MeasureAction.REQUEST,
        acted_at=None,
    )


def measure_act_emergency(
    *,
    actor: User,
    case: Any,
    kind: str,
    reasons: str,
    basis: str,
    acted_at: datetime.datetime,
    place: str = "",
) -> CoerciveMeasure:
    """Record a 查封 or 扣押 done on the spot in an emergency; the 24-hour clock runs from ``acted_at``.

    行政强制法 Art.19: report to the leader within 24 hours and obtain the approval afterwards.
    """
    if acted_at > timezone.now():
        raise ValidationError({"acted_at": gettext("实施时间不能晚于当前时间。")})
    _required_text(reasons, gettext("当场实施须说明情况紧急的理由。"))
    return _measure_create(
        actor=actor,
        case=case,
        kind=kind,
        reasons=reasons,
        basis=basis,
        place=place,
        action=MeasureAction.ACT_EMERGENCY,
        acted_at=acted_at,
    )


@transaction.atomic
def measure_add_item(
    *, actor: User, measure: CoerciveMeasure, name: str, quantity: Any, unit: str, specification: str = ""
) -> MeasureItem:
    """Add one line to the list of places, facilities or goods (行政强制法 Art.24) before the decision."""
    measure = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
    permissions.require(permissions.can_start_measure(actor, measure.agency_id))
    if measure.stage not in workflow.MEASURE_DRAFT_STAGES:
        raise GuardFailed(gettext("查封扣押决定已作出，清单不能再添加物品。"))
    errors = {}
    if not name.strip():
        errors["name"] = gettext("请填写名称。")
    if not unit.strip():
        errors["unit"] = gettext("请填写单位。")
    if errors:
        raise ValidationError(errors)
    item = MeasureItem.objects.create(
        measure=measure,
        name=name.strip(),
        quantity=_positive_quantity(quantity),
        unit=unit.strip(),
        specification=specification.strip(),
        created_at=timezone.now(),
    )
    audit.record(
        audit.EventType.COERCIVE_MEASURE_ITEM_ADDED,
        actor=actor,
        subject=measure,
        agency=measure.agency_id,
        data={"item": item.pk, "quantity": str(item.quantity)},
    )
    return item


@transaction.atomic
def _allocate_number(measure: CoerciveMeasure, year: int) -> str:
    """The next 查封扣押决定书 number of the agency and year, gapless: the series row stays locked until
    commit, so a concurrent decision waits, and a rolled-back one gives its number back."""
    return numbering.allocate_number(agency=measure.agency, code=DOCUMENT_CODE, year=year)


@dataclass(frozen=True)
class _Decision:
    """The facts of the act and its 查封扣押决定书 (行政强制法 Art.18, 24)."""

    officers: list[Officer]
    acted_at: datetime.datetime
    period_days: Any
    party_present: bool
    witness_name: str
    list_in_two_copies: bool


def _check_decision(measure: CoerciveMeasure, decision: _Decision) -> None:
    """Everything the law asks of the act and its decision; every missing piece is named, in Chinese."""
    problems: list[str] = []
    if not measure.reasons or not measure.basis:
        problems.append(gettext("查封扣押决定书须载明理由和依据（行政强制法第二十四条）。"))
    days = decision.period_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_PERIOD_DAYS:
        problems.append(gettext("查封扣押的期限须为1至30日（行政强制法第二十五条）。"))
    if not measure.items.exists():
        problems.append(gettext("查封扣押清单至少须列明一项场所、设施或者财物（行政强制法第二十四条）。"))
    if not decision.list_in_two_copies:
        problems.append(
            gettext("查封扣押清单须一式二份，由当事人和行政机关分别保存（行政强制法第二十四条）。")
        )
    acted_on = _local_date(decision.acted_at)
    category_id = measure.case.category_id
    certified = {
        officer.pk
        for officer in decision.officers
        if officer.agency_id == measure.agency_id
        and officer.is_certified(acted_on)
        and officer.categories.filter(pk=category_id).exists()
    }
    if len(certified) < 2:
        problems.append(
            gettext(
                "实施查封扣押须有两名以上持有效执法证件（本案执法类别）的执法人员（行政强制法第十八条）。"
            )
        )
    if not decision.party_present and not decision.witness_name.strip():
        problems.append(gettext("当事人不到场的，须邀请见证人到场并记录其姓名（行政强制法第十八条）。"))
    problems.extend(_av_record_problems(measure, decision.acted_at))
    if problems:
        raise GuardFailed(problems)


def _av_record_problems(measure: CoerciveMeasure, acted_at: datetime.datetime) -> list[str]:
    """查封扣押 is recorded in full on audio/video (国办发〔2018〕118号; domain.md §1.2): an AV record of
    the act, described in the case's evidence, must cover the moment of the act."""
    if selectors.av_records_covering_act(measure, acted_at).exists():
        return []
    if selectors.av_records_of_measure(measure).exists():
        return [gettext("音像记录须覆盖实施全过程：实施时间不在本查封扣押音像记录的摄录起止时间之内。")]
    return [
        gettext(
            "查封扣押须全程音像记录（国办发〔2018〕118号）：请先在本案证据中上传录像，登记为“查封扣押”音像记录"
            "并关联本查封扣押。"
        )
    ]


def _record_decision(measure: CoerciveMeasure, decision: _Decision) -> dict[str, Any]:
    acted_on = _local_date(decision.acted_at)
    measure.acted_at = decision.acted_at
    measure.decided_on = acted_on
    measure.period_days = decision.period_days
    measure.party_present = decision.party_present
    measure.witness_name = decision.witness_name.strip()
    measure.list_in_two_copies = decision.list_in_two_copies
    measure.number = _allocate_number(measure, acted_on.year)
    measure.officers.set(decision.officers)
    return {
        "number": measure.number,
        "period_days": decision.period_days,
        "officers": [o.pk for o in decision.officers],
    }


def _approve(measure: CoerciveMeasure, actor: User, now: datetime.datetime, note: str) -> dict[str, Any]:
    measure.approved_at = now
    measure.approved_by = actor
    return {}


def _refuse(measure: CoerciveMeasure, actor: User, now: datetime.datetime, note: str) -> dict[str, Any]:
    _required_text(note, gettext("不予批准须说明理由。"))
    if measure.stage == MeasureStage.REPORTED:
        # Art.19: the leader finds the emergency measure should not have been taken: release it at once.
        measure.ended_on = _local_date(now)
        measure.end_reference = gettext("负责人不予补办批准，立即解除")
    return {}


def _implement(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    officers: Iterable[Officer],
    period_days: int = MAX_PERIOD_DAYS,
    party_present: bool = False,
    witness_name: str = "",
    list_in_two_copies: bool = False,
    acted_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Make the decision and carry out the approved measure (行政强制法 Art.18, 24)."""
    acted_at = acted_at or now
    if acted_at > now:
        raise GuardFailed(gettext("实施时间不能晚于当前时间。"))
    decision = _Decision(
        list(officers), acted_at, period_days, party_present, witness_name, list_in_two_copies
    )
    _check_decision(measure, decision)
    return _record_decision(measure, decision)


def _report(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    officers: Iterable[Officer],
    period_days: int = MAX_PERIOD_DAYS,
    party_present: bool = False,
    witness_name: str = "",
    list_in_two_copies: bool = False,
) -> dict[str, Any]:
    """Report the emergency act, with its on-the-spot decision, to the leader (行政强制法 Art.19, 24)."""
    assert measure.acted_at is not None  # noqa: S101 — set when the emergency act was recorded
    decision = _Decision(
        list(officers), measure.acted_at, period_days, party_present, witness_name, list_in_two_copies
    )
    _check_decision(measure, decision)
    measure.reported_at = now
    data = _record_decision(measure, decision)
    due = measure.report_due_at
    data["late"] = bool(due and now > due)
    return data


def _extend(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    days: int,
    reason: str,
    notice_reference: str,
    decided_on: datetime.date | None = None,
) -> dict[str, Any]:
    """Extend once, by at most 30 days, with the leader's approval and written notice (行政强制法 Art.25)."""
    if MeasureExtension.objects.filter(measure=measure).exists():
        raise GuardFailed(gettext("查封扣押期限只能延长一次（行政强制法第二十五条）。"))
    days = _days(
        days, maximum=MAX_EXTENSION_DAYS, too_long=gettext("延长期限不得超过三十日（行政强制法第二十五条）。")
    )
    reason = _required_text(reason, gettext("延长查封扣押期限须说明理由。"))
    notice_reference = _required_text(
        notice_reference,
        gettext("延长查封扣押期限须书面告知当事人，请填写告知文书（行政强制法第二十五条）。"),
    )
    decided_on = decided_on or _local_date(now)
    period = selectors.measure_period(measure)
    if period is not None and decided_on > period.end:
        raise GuardFailed(
            gettext("查封扣押期限已于%(end)s届满，不能再延长。") % {"end": period.end.isoformat()}
        )
    extension = MeasureExtension.objects.create(
        measure=measure,
        days=days,
        reason=reason,
        notice_reference=notice_reference,
        decided_on=decided_on,
        approved_by=actor,
        created_at=now,
    )
    return {"extension": extension.pk, "days": days}


def _exclude_days(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    days: int,
    reason: str,
    notice_reference: str,
) -> dict[str, Any]:
    """Exclude the time for testing, inspection or appraisal, stated in writing (行政强制法 Art.25)."""
    days = _days(days, maximum=None, too_long="")
    reason = _required_text(reason, gettext("请填写检测、检验、检疫或者技术鉴定事项。"))
    notice_reference = _required_text(
        notice_reference, gettext("检测、鉴定期间须书面告知当事人，请填写告知文书（行政强制法第二十五条）。")
    )
    excluded = ExcludedPeriod.objects.create(
        measure=measure, days=days, reason=reason, notice_reference=notice_reference, created_at=now
    )
    return {"excluded_period": excluded.pk, "days": days}


def _release(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    reference: str,
    ended_on: datetime.date | None = None,
) -> dict[str, Any]:
    """Release and return the items with a list (行政强制法 Art.28)."""
    measure.end_reference = _required_text(
        reference, gettext("请填写解除查封扣押决定书及退还财物清单（行政强制法第二十八条）。")
    )
    measure.ended_on = ended_on or _local_date(now)
    return {"ended_on": measure.ended_on.isoformat()}


def _handle(
    measure: CoerciveMeasure,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    handling: str,
    reference: str = "",
    ended_on: datetime.date | None = None,
) -> dict[str, Any]:
    """A handling decision on the items: 没收, 销毁, 移送 … (行政强制法 Art.27).

    Confiscation is a penalty (行政处罚法 Art.9): it rests on the case's penalty decision.
    """
    if handling not in HandlingKind.values:
        raise GuardFailed(gettext("请选择处理方式。"))
    if handling == HandlingKind.CONFISCATE:
        decision_number = getattr(measure.case, "decision_number", "")
        if not decision_number:
            raise GuardFailed(gettext("案件尚未作出行政处罚决定，不能对查封扣押的财物作出没收处理。"))
        reference = reference.strip() or decision_number
    measure.end_reference = _required_text(reference, gettext("请填写处理决定文书。"))
    measure.handling = handling
    measure.ended_on = ended_on or _local_date(now)
    return {"handling": handling, "ended_on": measure.ended_on.isoformat()}


MEASURE_HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {
    MeasureAction.APPROVE: _approve,
    MeasureAction.REFUSE: _refuse,
    MeasureAction.IMPLEMENT: _implement,
    MeasureAction.REPORT: _report,
    MeasureAction.EXTEND: _extend,
    MeasureAction.EXCLUDE_DAYS: _exclude_days,
    MeasureAction.RELEASE: _release,
    MeasureAction.HANDLE: _handle,
}

MEASURE_EVENTS = {
    MeasureAction.EXTEND: audit.EventType.COERCIVE_MEASURE_EXTENDED,
    MeasureAction.EXCLUDE_DAYS: audit.EventType.COERCIVE_MEASURE_DAYS_EXCLUDED,
}


@transaction.atomic
def measure_transition(
    *,
    measure: CoerciveMeasure,
    action: MeasureAction | str,
    actor: User,
    note: str = "",
    **data: Any,
) -> MeasureTransition:
    """The one door for every change of a 查封、扣押 after its creation.

    Locks the row, checks that the move exists and that the actor may make it, runs the action's guards (each
    failure a ``GuardFailed`` naming what is missing, in Chinese, and nothing is changed), writes the
    transition row and the audit event.
    """
    measure = CoerciveMeasure.objects.select_for_update().select_related("case", "agency").get(pk=measure.pk)
    step = workflow.measure_step(measure.stage, action)
    permissions.require(permissions.can_perform_measure(actor, measure, action))
    now = timezone.now()
    note = note.strip()
    event_data = MEASURE_HANDLERS[action](measure, actor, now, note, **data)
    source = measure.stage
    measure.stage = step.target
    measure.save()
    transition = MeasureTransition.objects.create(
        measure=measure, source=source, target=step.target, action=action, actor=actor, at=now, note=note
    )
    audit.record(
        MEASURE_EVENTS.get(MeasureAction(action), audit.EventType.COERCIVE_MEASURE_TRANSITIONED),
        actor=actor,
        subject=measure,
        agency=measure.agency_id,
        data={"action": str(action), "from": source, "to": step.target, **event_data},
    )
    clocks_changed(f"case:{measure.case_id}")
    return transition


# --------------------------------------------------------------------------------------------- 先行登记保存


@transaction.atomic
def preservation_request(*, actor: User, case: Any, reason: str, place: str = "") -> Preservation:
    """Ask the 负责人 to approve 先行登记保存 of evidence (行政处罚法 Art.56)."""
    step = workflow.preservation_step(None, PreservationAction.REQUEST)
    permissions.require(permissions.can_start_measure(actor, case.agency_id))
    _check_case_open(case)
    reason = _required_text(
        reason, gettext("请说明证据可能灭失或者以后难以取得的情形（行政处罚法第五十六条）。")
    )
    now = timezone.now()
    preservation = Preservation.objects.create(
        agency_id=case.agency_id,
        case=case,
        stage=step.target,
        reason=reason,
        place=place.strip(),
        created_at=now,
        created_by=actor,
    )
    PreservationTransition.objects.create(
        preservation=preservation,
        source="",
        target=step.target,
        action=PreservationAction.REQUEST,
        actor=actor,
        at=now,
    )
    audit.record(
        audit.EventType.PRESERVATION_CREATED,
        actor=actor,
        subject=preservation,
        agency=preservation.agency_id,
        data={"case": case.pk},
    )
    clocks_changed(f"case:{preservation.case_id}")
    return preservation


@transaction.atomic
def preservation_add_item(
    *, actor: User, preservation: Preservation, name: str, quantity: Any, unit: str, specification: str = ""
) -> PreservationItem:
    """Add one line to the 先行登记保存证据清单 before approval."""
    preservation = Preservation.objects.select_for_update().get(pk=preservation.pk)
    permissions.require(permissions.can_start_measure(actor, preservation.agency_id))
    if preservation.stage != PreservationStage.REQUESTED:
        raise GuardFailed(gettext("先行登记保存已批准或不予批准，清单不能再添加物品。"))
    errors = {}
    if not name.strip():
        errors["name"] = gettext("请填写名称。")
    if not unit.strip():
        errors["unit"] = gettext("请填写单位。")
    if errors:
        raise ValidationError(errors)
    item = PreservationItem.objects.create(
        preservation=preservation,
        name=name.strip(),
        quantity=_positive_quantity(quantity),
        unit=unit.strip(),
        specification=specification.strip(),
        created_at=timezone.now(),
    )
    audit.record(
        audit.EventType.PRESERVATION_ITEM_ADDED,
        actor=actor,
        subject=preservation,
        agency=preservation.agency_id,
        data={"item": item.pk, "quantity": str(item.quantity)},
    )
    return item


def _preservation_approve(
    preservation: Preservation,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    preserved_on: datetime.date | None = None,
) -> dict[str, Any]:
    if not preservation.items.exists():
        raise GuardFailed(gettext("先行登记保存证据清单至少须列明一项物品。"))
    preserved_on = preserved_on or _local_date(now)
    if preserved_on > _local_date(now):
        raise GuardFailed(gettext("登记保存日期不能晚于今天。"))
    preservation.approved_by = actor
    preservation.preserved_on = preserved_on
    return {"preserved_on": preserved_on.isoformat()}


def _preservation_refuse(
    preservation: Preservation, actor: User, now: datetime.datetime, note: str
) -> dict[str, Any]:
    _required_text(note, gettext("不予批准须说明理由。"))
    return {}


def _preservation_handle(
    preservation: Preservation,
    actor: User,
    now: datetime.datetime,
    note: str,
    *,
    outcome: str,
    decision_reference: str,
    decided_on: datetime.date | None = None,
) -> dict[str, Any]:
    """The handling decision: return, confiscate, transfer or lift (行政处罚法 Art.56).

    A late decision is still made; the overdue clock shows it."""
    if outcome not in PreservationOutcome.values:
        raise GuardFailed(gettext("请选择处理决定：退还、没收、移送或解除。"))
    preservation.decision_reference = _required_text(
        decision_reference, gettext("请填写先行登记保存证据处理决定书。")
    )
    decided_on = decided_on or _local_date(now)
    assert preservation.preserved_on is not None  # noqa: S101 — set on approval
    if decided_on < preservation.preserved_on:
        raise GuardFailed(gettext("处理决定日期不能早于登记保存日期。"))
    preservation.outcome = outcome
    preservation.decided_on = decided_on
    return {"outcome": outcome, "decided_on": decided_on.isoformat()}


PRESERVATION_HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {
    PreservationAction.APPROVE: _preservation_approve,
    PreservationAction.REFUSE: _preservation_refuse,
    PreservationAction.HANDLE: _preservation_handle,
}


@transaction.atomic
def preservation_transition(
    *,
    preservation: Preservation,
    action: PreservationAction | str,
    actor: User,
    note: str = "",
    **data: Any,
) -> PreservationTransition:
    """The one door for every change of a 先行登记保存 after its creation (same shape as
    :func:`measure_transition`)."""
    preservation = Preservation.objects.select_for_update().get(pk=preservation.pk)
    step = workflow.preservation_step(preservation.stage, action)
    permissions.require(permissions.can_perform_preservation(actor, preservation, action))
    now = timezone.now()
    note = note.strip()
    event_data = PRESERVATION_HANDLERS[action](preservation, actor, now, note, **data)
    source = preservation.stage
    preservation.stage = step.target
    preservation.save()
    transition = PreservationTransition.objects.create(
        preservation=preservation,
        source=source,
        target=step.target,
        action=action,
        actor=actor,
        at=now,
        note=note,
    )
    audit.record(
        audit.EventType.PRESERVATION_TRANSITIONED,
        actor=actor,
        subject=preservation,
        agency=preservation.agency_id,
        data={"action": str(action), "from": source, "to": step.target, **event_data},
    )
    clocks_changed(f"case:{preservation.case_id}")
    return transition
