"""Writes of inspections. Each runs in one transaction and records its audit event in it.

Every stage change goes through :func:`inspection_transition`; the other services write their record (the
on-site record, an order, a re-check) and then call it in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency, EnforcementCategory, Officer, RandomCheckItem
from sanxiang.cases.models import Case, CaseSource
from sanxiang.cases.services import case_open
from sanxiang.core.due import clocks_changed
from sanxiang.documents import numbering
from sanxiang.inspections import permissions, workflow
from sanxiang.inspections.models import (
    Handling,
    Hazard,
    Inspection,
    InspectionKind,
    InspectionOfficer,
    InspectionRecord,
    InspectionTransition,
    MeasureKind,
    OnSiteMeasure,
    Recheck,
    RecheckResult,
    RectificationItem,
    RectificationOrder,
    Signature,
    SignerKind,
    Stage,
)
from sanxiang.inspections.workflow import Action, GuardFailed
from sanxiang.parties.models import Party

# Codes of the 安全生产监管执法文书 after the 2018 reform (domain.md §3.3). 应急检查 (现场检查方案) is the
# 2016 code 安监检查 renamed by the common pattern (unverified).
PLAN_CODE = "应急检查"
ORDER_CODE = "应急责改"
MEASURE_CODE = "应急现决"
RECHECK_CODE = "应急复查"


def _today() -> datetime.date:
    return timezone.localdate()


def _require_act(actor: User, inspection: Inspection) -> None:
    if not permissions.can_act(actor, inspection):
        raise PermissionDenied(gettext("只有本次检查的执法人员或本机关股室负责人、机关负责人可以办理。"))


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("agency", "category").get(pk=inspection.pk)


def _require_stage(inspection: Inspection, *stages: Stage) -> None:
    if inspection.stage not in stages:
        raise GuardFailed(
            gettext("检查处于“%(stage)s”环节，不能办理此项。") % {"stage": inspection.get_stage_display()}
        )


@transaction.atomic
def inspection_plan(
    *,
    actor: User,
    agency: Agency,
    party: Party,
    category: EnforcementCategory,
    kind: InspectionKind | str,
    planned_on: datetime.date,
    officers: Sequence[Officer],
    check_items: Iterable[RandomCheckItem] = (),
    scope: str = "",
) -> Inspection:
    """Make a 现场检查方案: target, date, officers, optional items of the agency's 随机抽查事项清单."""
    if not permissions.can_plan_inspection(actor, agency):
        raise PermissionDenied(gettext("您无权在该机关制定检查方案。"))
    errors: dict[str, str] = {}
    if party.agency_id != agency.pk:
        errors["party"] = gettext("被检查单位不属于本机关的当事人名录。")
    if kind not in InspectionKind.values:
        errors["kind"] = gettext("请选择检查类型。")
    unique_officers = list(dict.fromkeys(officers))
    if len(unique_officers) < workflow.MIN_OFFICERS:
        errors["officers"] = gettext("检查人员不得少于两人（行政处罚法第四十二条）。")
    elif any(o.agency_id != agency.pk for o in unique_officers):
        errors["officers"] = gettext("检查人员须为本机关执法人员。")
    items = list(dict.fromkeys(check_items))
    if any(i.agency_id != agency.pk or not i.is_active for i in items):
        errors["check_items"] = gettext("抽查事项须取自本机关现行有效的随机抽查事项清单。")
    if errors:
        raise ValidationError(errors)
    inspection = Inspection(
        agency=agency,
        party=party,
        category=category,
        kind=kind,
        planned_on=planned_on,
        scope=scope.strip(),
        number=numbering.allocate_number(agency=agency, code=PLAN_CODE, year=planned_on.year),
        created_by=actor,
    )
    inspection.full_clean()
    inspection.save(force_insert=True)
    InspectionOfficer.objects.bulk_create(
        [InspectionOfficer(inspection=inspection, officer=o) for o in unique_officers]
    )
    inspection.check_items.set(items)
    # Art.42 is checked when the plan is made, and again at every act.
    workflow.officers_certified(inspection, workflow.Context(actor=actor, on=planned_on))
    audit.record(
        audit.EventType.INSPECTION_PLANNED,
        actor=actor,
        subject=inspection,
        agency=agency,
        data={
            "number": inspection.number,
            "party_id": party.pk,
            "kind": str(kind),
            "officer_ids": [o.pk for o in unique_officers],
            "check_item_ids": [i.pk for i in items],
        },
    )
    clocks_changed(f"inspection:{inspection.pk}")
    return inspection


@transaction.atomic
def inspection_transition(
    *,
    inspection: Inspection,
    action: Action | str,
    actor: User,
    note: str = "",
    on: datetime.date | None = None,
) -> InspectionTransition:
    """The one door for every stage change: lock, look up the table, check permission and guards, record."""
    inspection = _locked(inspection)
    step = workflow.step(inspection.stage, action)
    _require_act(actor, inspection)
    ctx = workflow.Context(actor=actor, on=on or _today(), note=note)
    for guard in step.guards:
        guard(inspection, ctx)
    transition = InspectionTransition.objects.create(
        inspection=inspection,
        source=inspection.stage,
        target=step.target,
        action=str(action),
        actor=actor,
        note=note.strip(),
        occurred_at=timezone.now(),
    )
    inspection.stage = step.target
    inspection.save(update_fields=["stage"])
    audit.record(
        audit.EventType.INSPECTION_STAGE_CHANGED,
        actor=actor,
        subject=inspection,
        agency=inspection.agency_id,
        data={"from": transition.source, "to": transition.target, "action": transition.action},
    )
    clocks_changed(f"inspection:{inspection.pk}")
    return transition


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    actor: User,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    place: str,
    content: str,
    unit_contact: str,
) -> InspectionRecord:
    """Write the 现场检查记录 (time, place, content; 安全生产法 Art.68); the stage becomes ``recorded``."""
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    workflow.step(inspection.stage, Action.RECORD)
    if ended_at < started_at:
        raise ValidationError({"ended_at": gettext("检查结束时间不能早于开始时间。")})
    if started_at > timezone.now():
        raise ValidationError({"started_at": gettext("检查开始时间不能晚于当前时间。")})
    record = InspectionRecord(
        inspection=inspection,
        started_at=started_at,
        ended_at=ended_at,
        place=place.strip(),
        content=content.strip(),
        unit_contact=unit_contact.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save(force_insert=True)
    inspection_transition(
        inspection=inspection, action=Action.RECORD, actor=actor, on=timezone.localtime(started_at).date()
    )
    return record


@transaction.atomic
def signature_add(
    *,
    inspection: Inspection,
    actor: User,
    signer_kind: SignerKind | str,
    officer: Officer | None = None,
    signer_name: str = "",
    refused: bool = False,
    note: str = "",
    witness: str = "",
) -> Signature:
    """Record a signature on the on-site record, or the unit head's refusal and note (安全生产法 Art.68)."""
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    _require_stage(inspection, Stage.RECORDED)
    # Signing closes the on-site record, so it is checked on the day of the visit.
    visit = timezone.localtime(inspection.record.started_at).date()
    workflow.officers_certified(inspection, workflow.Context(actor=actor, on=visit))
    if signer_kind == SignerKind.OFFICER:
        if officer is None or not inspection.assignments.filter(officer=officer).exists():
            raise ValidationError({"officer": gettext("签名人须为本次检查的执法人员。")})
        if refused:
            raise ValidationError({"refused": gettext("执法人员不能拒绝在本人制作的记录上签名。")})
        if inspection.signatures.filter(signer_kind=SignerKind.OFFICER, officer=officer).exists():
            raise ValidationError({"officer": gettext("该执法人员已签名。")})
        signer_name = officer.name
    elif signer_kind == SignerKind.UNIT_HEAD:
        officer = None
        if not signer_name.strip():
            raise ValidationError({"signer_name": gettext("请填写被检查单位负责人姓名。")})
        if refused and not note.strip():
            raise ValidationError(
                {"note": gettext("被检查单位负责人拒绝签名的，须将情况记录在案（安全生产法第六十八条）。")}
            )
        if inspection.signatures.filter(signer_kind=SignerKind.UNIT_HEAD).exists():
            raise ValidationError({"signer_name": gettext("被检查单位负责人的签名已登记。")})
    else:
        raise ValidationError({"signer_kind": gettext("请选择签名人类别。")})
    signature = Signature(
        inspection=inspection,
        signer_kind=signer_kind,
        officer=officer,
        signer_name=signer_name.strip(),
        refused=refused,
        note=note.strip(),
        witness=witness.strip(),
        signed_at=timezone.now(),
        recorded_by=actor,
    )
    signature.full_clean()
    signature.save(force_insert=True)
    event = (
        audit.EventType.INSPECTION_SIGNATURE_REFUSED
        if refused
        else audit.EventType.INSPECTION_SIGNATURE_RECORDED
    )
    audit.record(
        event,
        actor=actor,
        subject=inspection,
        agency=inspection.agency_id,
        data={
            "signature_id": signature.pk,
            "signer_kind": str(signer_kind),
            "officer_id": signature.officer_id,
        },
    )
    return signature


@transaction.atomic
def hazard_add(
    *,
    inspection: Inspection,
    actor: User,
    description: str,
    location: str,
    legal_basis: str,
    handling: Handling | str,
    corrected_note: str = "",
    measure_kind: MeasureKind | str = "",
    measure_content: str = "",
    on: datetime.date | None = None,
) -> Hazard:
    """Record a 事故隐患 found on site and how it is handled (安全生产法 Art.65(二)(三)).

    On-the-spot correction needs a note of what was done; an on-site measure writes its 现场处理措施决定书
    (numbered 应急现决); a hazard to be rectified within a time limit waits for the order.
    """
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    _require_stage(inspection, Stage.RECORDED)
    day = on or _today()
    errors: dict[str, str] = {}
    if handling not in Handling.values:
        errors["handling"] = gettext("请选择隐患的处理方式。")
    if handling == Handling.ON_SPOT and not corrected_note.strip():
        errors["corrected_note"] = gettext("当场整改的，请记录整改情况。")
    if handling == Handling.MEASURE:
        if measure_kind not in MeasureKind.values:
            errors["measure_kind"] = gettext("请选择现场处理措施。")
        if not measure_content.strip():
            errors["measure_content"] = gettext("请填写措施内容。")
    if errors:
        raise ValidationError(errors)
    # Finding and handling a hazard is an act of the inspection: two certified officers (行政处罚法 Art.42).
    workflow.officers_certified(inspection, workflow.Context(actor=actor, on=day))
    hazard = Hazard(
        inspection=inspection,
        description=description.strip(),
        location=location.strip(),
        legal_basis=legal_basis.strip(),
        handling=handling,
        corrected_note=corrected_note.strip() if handling == Handling.ON_SPOT else "",
        created_by=actor,
    )
    hazard.full_clean()
    hazard.save(force_insert=True)
    audit.record(
        audit.EventType.HAZARD_RECORDED,
        actor=actor,
        subject=hazard,
        agency=inspection.agency_id,
        data={"inspection_id": inspection.pk, "handling": str(handling)},
    )
    if handling == Handling.MEASURE:
        measure = OnSiteMeasure(
            hazard=hazard,
            kind=measure_kind,
            content=measure_content.strip(),
            decided_on=day,
            decided_by=actor,
            number=numbering.allocate_number(agency=inspection.agency, code=MEASURE_CODE, year=day.year),
        )
        measure.full_clean()
        measure.save(force_insert=True)
        audit.record(
            audit.EventType.ON_SITE_MEASURE_DECIDED,
            actor=actor,
            subject=measure,
            agency=inspection.agency_id,
            data={"hazard_id": hazard.pk, "number": measure.number, "kind": str(measure_kind)},
        )
    return hazard


@transaction.atomic
def rectification_order_issue(
    *,
    inspection: Inspection,
    actor: User,
    due_on: datetime.date,
    requirements: dict[int, str],
    issued_on: datetime.date | None = None,
) -> RectificationOrder:
    """Issue a 责令限期整改指令书 for every hazard waiting for one (安全生产法 Art.65(二)).

    ``requirements`` maps each such hazard's id to what must be done. Numbered 应急责改, gapless per agency
    and year; the inspection moves to ``rectifying``.
    """
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    workflow.step(inspection.stage, Action.ISSUE_ORDER)
    day = issued_on or _today()
    waiting = workflow.hazards_awaiting_order(inspection)
    if not waiting:
        raise GuardFailed(gettext("没有需要责令限期整改的事故隐患。"))
    if due_on <= day:
        raise ValidationError({"due_on": gettext("整改期限须晚于下达日期。")})
    missing = [h for h in waiting if not requirements.get(h.pk, "").strip()]
    if missing:
        raise ValidationError({"requirements": gettext("请为每项隐患填写整改要求。")})
    unknown = set(requirements) - {h.pk for h in waiting}
    if unknown:
        raise ValidationError({"requirements": gettext("整改项须为本次检查中待整改的事故隐患。")})
    order = RectificationOrder.objects.create(
        inspection=inspection,
        issued_on=day,
        due_on=due_on,
        issued_by=actor,
        number=numbering.allocate_number(agency=inspection.agency, code=ORDER_CODE, year=day.year),
    )
    RectificationItem.objects.bulk_create(
        [RectificationItem(order=order, hazard=h, requirement=requirements[h.pk].strip()) for h in waiting]
    )
    inspection_transition(inspection=inspection, action=Action.ISSUE_ORDER, actor=actor, on=day)
    audit.record(
        audit.EventType.RECTIFICATION_ORDER_ISSUED,
        actor=actor,
        subject=order,
        agency=inspection.agency_id,
        data={
            "inspection_id": inspection.pk,
            "number": order.number,
            "due_on": due_on.isoformat(),
            "hazard_ids": [h.pk for h in waiting],
        },
    )
    return order


@transaction.atomic
def recheck_record(
    *,
    inspection: Inspection,
    actor: User,
    results: dict[int, bool],
    opinion: str,
    notes: dict[int, str] | None = None,
    rechecked_on: datetime.date | None = None,
) -> Recheck:
    """整改复查 of the running order, hazard by hazard, before or after its due date; numbered 应急复查."""
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    workflow.step(inspection.stage, Action.RECHECK)
    day = rechecked_on or _today()
    order = inspection.orders.order_by("-pk").first()
    if order is None:
        raise GuardFailed(gettext("尚未下达责令限期整改指令书，不能复查。"))
    if order.rechecks.exists():
        raise GuardFailed(gettext("该整改指令已复查。"))
    if day < order.issued_on:
        raise ValidationError({"rechecked_on": gettext("复查日期不能早于整改指令下达日期。")})
    if day > _today():
        raise ValidationError({"rechecked_on": gettext("复查日期不能晚于今天。")})
    hazard_ids = list(order.items.values_list("hazard_id", flat=True))
    if set(results) != set(hazard_ids):
        raise ValidationError({"results": gettext("请逐项填写整改项的复查结果。")})
    if not opinion.strip():
        raise ValidationError({"opinion": gettext("请填写复查意见。")})
    recheck = Recheck.objects.create(
        order=order,
        rechecked_on=day,
        opinion=opinion.strip(),
        rechecked_by=actor,
        number=numbering.allocate_number(agency=inspection.agency, code=RECHECK_CODE, year=day.year),
    )
    notes = notes or {}
    RecheckResult.objects.bulk_create(
        [
            RecheckResult(
                recheck=recheck, hazard_id=pk, rectified=results[pk], note=notes.get(pk, "").strip()
            )
            for pk in hazard_ids
        ]
    )
    inspection_transition(inspection=inspection, action=Action.RECHECK, actor=actor, on=day)
    audit.record(
        audit.EventType.RECHECK_RECORDED,
        actor=actor,
        subject=recheck,
        agency=inspection.agency_id,
        data={
            "inspection_id": inspection.pk,
            "order_id": order.pk,
            "number": recheck.number,
            "rectified": sorted(pk for pk in hazard_ids if results[pk]),
            "not_rectified": sorted(pk for pk in hazard_ids if not results[pk]),
        },
    )
    return recheck


def inspection_close(*, inspection: Inspection, actor: User, note: str = "") -> InspectionTransition:
    """办结: every hazard corrected on the spot, handled by a measure, or re-checked as rectified."""
    return inspection_transition(inspection=inspection, action=Action.CLOSE, actor=actor, note=note)


def inspection_cancel(*, inspection: Inspection, actor: User, note: str) -> InspectionTransition:
    """Withdraw a plan before the visit, with the reason."""
    return inspection_transition(inspection=inspection, action=Action.CANCEL, actor=actor, note=note)


def facts_of(hazards: Iterable[Hazard]) -> str:
    """The problems found, as the facts of a case: one numbered line per hazard."""
    lines = []
    for index, hazard in enumerate(hazards, start=1):
        lines.append(f"{index}. {hazard.location}：{hazard.description}（违反{hazard.legal_basis}）")
    return "\n".join(lines)


@transaction.atomic
def inspection_to_case(
    *,
    inspection: Inspection,
    actor: User,
    hazards: Sequence[Hazard],
    title: str,
    act_date: datetime.date | None = None,
) -> Case:
    """转为案件: open a case (a lead) from the chosen hazards and link it back to the inspection and hazards.

    The case carries the inspected party, the inspection's officers and, as its facts, the problems found; its
    source is the inspection (案件来源：监督检查) with the inspection number as reference. Its
    违法行为发生日期, which filing needs (行政处罚法 Art.36), is ``act_date`` if the officer knows an earlier
    one, else the day of the inspection: the day the hazard was seen to exist, also the day of discovery.
    """
    inspection = _locked(inspection)
    _require_act(actor, inspection)
    workflow.step(inspection.stage, Action.TO_CASE)
    chosen = list(dict.fromkeys(hazards))
    if not chosen:
        raise ValidationError({"hazards": gettext("请选择转入案件的事故隐患。")})
    own = set(inspection.hazards.values_list("pk", flat=True))
    if any(h.pk not in own for h in chosen):
        raise ValidationError({"hazards": gettext("所选事故隐患不属于本次检查。")})
    if Hazard.objects.filter(pk__in=[h.pk for h in chosen], case__isnull=False).exists():
        raise ValidationError({"hazards": gettext("所选事故隐患已转为案件。")})
    chosen.sort(key=lambda h: h.pk)
    record = getattr(inspection, "record", None)
    found_on = timezone.localtime(record.started_at).date() if record else None
    case = case_open(
        actor=actor,
        agency=inspection.agency,
        title=title,
        category=inspection.category,
        source=CaseSource.INSPECTION,
        source_reference=inspection.number,
        parties=[inspection.party],
        officers=[a.officer for a in inspection.assignments.select_related("officer")],
        facts=facts_of(chosen),
        act_date=act_date or found_on,
        discovered_on=found_on,
    )
    inspection_transition(inspection=inspection, action=Action.TO_CASE, actor=actor, note=title)
    Inspection.objects.filter(pk=inspection.pk).update(case=case)
    Hazard.objects.filter(pk__in=[h.pk for h in chosen]).update(case=case)
    audit.record(
        audit.EventType.INSPECTION_CONVERTED_TO_CASE,
        actor=actor,
        subject=inspection,
        agency=inspection.agency_id,
        data={"case_id": case.pk, "hazard_ids": [h.pk for h in chosen]},
    )
    return case
