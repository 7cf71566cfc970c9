"""Writes of legal review (法制审核, 行政处罚法第五十八条): publish a catalog, submit a round, give the
opinion, extend the period, object, record the leaders' meeting, set the period.

Each runs in one transaction with its audit event (block 3xx); the case's review steps go through
``case_transition`` in the same transaction. Bad input raises ``GuardFailed`` (a ValidationError) in Chinese
and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency
from sanxiang.cases import workflow
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_transition
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.core.due import clocks_changed
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing, add_working_days
from sanxiang.documents import services as document_services
from sanxiang.documents import signing
from sanxiang.documents.models import SignerRole
from sanxiang.review import catalog, permissions, selectors
from sanxiang.review.catalog import CatalogSpec
from sanxiang.review.models import (
    CatalogRule,
    CatalogVersion,
    CatchAll,
    CheckItem,
    Finding,
    LegalReview,
    Meeting,
    MeetingOutcome,
    Objection,
    Opinion,
    OpinionKind,
    ReviewRound,
    ReviewSettings,
)

__all__ = [
    "catalog_publish",
    "review_extend",
    "review_meeting_record",
    "review_object",
    "review_opinion_give",
    "review_settings_set",
    "review_submit",
]

OPINION_TYPE = "legal_review_opinion"


def _now() -> datetime.datetime:
    return timezone.now()


# ----------------------------------------------------------------------------------------------------
# The catalog


@transaction.atomic
def catalog_publish(
    *, actor: Any, agency: Agency, spec: CatalogSpec, note: str = "", at: datetime.datetime | None = None
) -> CatalogVersion:
    """Publish ``spec`` as the agency's next catalog version, in force from ``at`` (now).

    A published version is never changed: a change is a new version, and a case stays judged by the version
    in force when it was first submitted.
    """
    permissions.require(
        permissions.can_edit_catalog(actor, agency.pk),
        gettext("只有本机关系统管理员可以发布法制审核目录清单。"),
    )
    if not spec.title.strip():
        raise GuardFailed(gettext("请填写目录清单名称。"))
    for rule in spec.rules:
        if rule.threshold_fen is not None and rule.threshold_fen < 0:
            raise GuardFailed(gettext("金额标准不能为负数。"))
    unknown = set(spec.catch_alls) - set(CatchAll.values)
    if unknown:
        raise GuardFailed(gettext("未知的兜底情形：%(codes)s。") % {"codes": "、".join(sorted(unknown))})
    # One version at a time per agency: the number is the next after the highest, under the agency's lock.
    Agency.objects.select_for_update().get(pk=agency.pk)
    last = CatalogVersion.objects.filter(agency=agency).aggregate(n=Max("number"))["n"] or 0
    version = CatalogVersion.objects.create(
        agency=agency,
        number=last + 1,
        title=spec.title.strip(),
        basis=spec.basis,
        published_at=at or _now(),
        published_by=actor,
        note=note.strip(),
        **{c.value: c.value in spec.catch_alls for c in CatchAll},
    )
    CatalogRule.objects.bulk_create(
        [
            CatalogRule(
                catalog=version,
                order=i,
                act_kind=r.act_kind,
                subject_type=r.subject_type,
                threshold_fen=r.threshold_fen,
                inclusive=r.inclusive,
                triggers_hearing_notice=r.triggers_hearing_notice,
                triggers_collective_discussion=r.triggers_collective_discussion,
                text=r.text or catalog.rule_text(r),
            )
            for i, r in enumerate(spec.rules, start=1)
        ]
    )
    audit.record(
        audit.EventType.REVIEW_CATALOG_PUBLISHED,
        actor=actor,
        subject=version,
        agency=agency,
        data={"number": version.number, "rules": len(spec.rules), "catch_alls": sorted(spec.catch_alls)},
    )
    return version


@transaction.atomic
def review_settings_set(
    *, actor: Any, agency: Agency, review_days: int, extension_days: int
) -> ReviewSettings:
    """Set the agency's review period and the longest extension, in working days."""
    permissions.require(
        permissions.can_edit_catalog(actor, agency.pk), gettext("只有本机关系统管理员可以修改法制审核期限。")
    )
    if not 1 <= review_days <= 30 or not 0 <= extension_days <= 10:
        raise GuardFailed(gettext("审核期限须为1至30个工作日，延长期限须为0至10个工作日。"))
    found, _ = ReviewSettings.objects.select_for_update().get_or_create(agency=agency)
    old = {"review_days": found.review_days, "extension_days": found.extension_days}
    found.review_days, found.extension_days = review_days, extension_days
    found.save()
    audit.record(
        audit.EventType.REVIEW_SETTINGS_CHANGED,
        actor=actor,
        subject=found,
        agency=agency,
        data={"old": old, "new": {"review_days": review_days, "extension_days": extension_days}},
    )
    return found


# ----------------------------------------------------------------------------------------------------
# Submission


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency").get(pk=case.pk)


@transaction.atomic
def review_submit(
    *, actor: Any, case: Case, catch_alls: Iterable[str] = (), reason: str = "", note: str = ""
) -> ReviewRound:
    """Submit ``case`` for review: a new round with the rules that apply and why, and the package.

    The first submission fixes the catalog version the case is judged by. The handler may add catch-all
    circumstances the catalog lists and a reason of their own; what the catalog and the statute trigger
    cannot be taken away. Refused while an item of the package is missing.
    """
    locked = _locked_case(case)
    permissions.require(
        permissions.can_submit(actor, locked),
        gettext("法制审核由本案承办人员提交（承办机构对送审材料负责）。"),
    )
    workflow.step(locked.stage, Action.SUBMIT_LEGAL_REVIEW)  # refuses in Chinese outside 待作出决定
    missing = [m.label for m in selectors.package_of(locked) if not m.met]
    if missing:
        raise GuardFailed(gettext("送审材料不全，请先补齐：%(items)s。") % {"items": "、".join(missing)})
    now = _now()
    review, _ = LegalReview.objects.get_or_create(
        case=locked,
        defaults={"catalog": selectors.catalog_in_force(locked.agency_id, now), "created_at": now},
    )
    version = review.catalog
    triggers = selectors.triggers_now(locked, version)
    listed = version.catch_alls() if version is not None else []
    chosen = list(dict.fromkeys(catch_alls))
    if set(chosen) - set(listed):
        raise GuardFailed(gettext("所选情形不在本机关目录清单中。"))
    added = catalog.catch_all_triggers(chosen, listed, reason)
    day = workflow.today()
    days, _extension = selectors.review_settings_for(locked.agency_id)
    try:
        due_on = clocks.legal_review_due(day, days=days)
    except CalendarMissing as exc:
        raise GuardFailed(str(exc)) from exc
    previous = review.rounds.aggregate(n=Max("number"))["n"] or 0
    materials = [
        {"key": m.key, "label": m.label, "document": m.document.pk if m.document else None, "note": m.note}
        for m in selectors.package_of(locked)
    ]
    round_ = ReviewRound.objects.create(
        review=review,
        number=previous + 1,
        submitted_by=actor,
        submitted_at=now,
        submitted_on=day,
        due_on=due_on,
        triggers=[t.as_dict() for t in triggers],
        added=[t.as_dict() for t in added],
        materials=materials,
        note=note.strip(),
    )
    case_transition(case=locked, action=Action.SUBMIT_LEGAL_REVIEW, actor=actor, review_round=round_)
    audit.record(
        audit.EventType.REVIEW_SUBMITTED,
        actor=actor,
        subject=round_,
        agency=locked.agency_id,
        data={
            "case": locked.pk,
            "round": round_.number,
            "catalog": version.number if version else None,
            "triggers": [t.code for t in triggers],
            "added": [t.code for t in added],
            "due_on": due_on.isoformat(),
        },
    )
    clocks_changed(f"case:{locked.pk}")
    case.refresh_from_db()
    return round_


# ----------------------------------------------------------------------------------------------------
# The opinion


def _locked_round(round_: ReviewRound) -> ReviewRound:
    return (
        ReviewRound.objects.select_for_update(of=("self",)).select_related("review__case").get(pk=round_.pk)
    )


def _check_open(round_: ReviewRound) -> Case:
    case = _locked_case(round_.review.case)
    latest = selectors.latest_round(case)
    if latest is None or latest.pk != round_.pk or Opinion.objects.filter(round=round_).exists():
        raise GuardFailed(gettext("该轮审核已出具意见或已有新一轮送审。"))
    if case.stage != Stage.LEGAL_REVIEW:
        raise GuardFailed(gettext("案件不在法制审核阶段。"))
    return case


def _findings(raw: Mapping[str, tuple[str, str]]) -> list[dict[str, str]]:
    out = []
    for item in CheckItem:
        finding, note = raw.get(item.value, ("", ""))
        if finding not in Finding.values:
            raise GuardFailed(gettext("请对“%(item)s”作出审核结论。") % {"item": item.label})
        if finding == Finding.PROBLEM and not note.strip():
            raise GuardFailed(gettext("“%(item)s”存在问题，请写明具体问题。") % {"item": item.label})
        out.append({"item": item.value, "finding": finding, "note": note.strip()})
    return out


def _opinion_document(
    actor: Any,
    case: Case,
    round_: ReviewRound,
    kind: str,
    findings: list[dict[str, str]],
    text: str,
    day: datetime.date,
) -> Any:
    """The numbered 法制审核意见书, issued and signed by the reviewer."""
    labels = dict(CheckItem.choices)
    verdicts = dict(Finding.choices)
    checks = [
        f"{labels[f['item']]}：{verdicts[f['finding']]}" + (f"（{f['note']}）" if f["note"] else "")
        for f in findings
    ]
    officer = getattr(actor, "officer", None)
    document = document_services.document_draft(
        actor=actor,
        type_key=OPINION_TYPE,
        case=case,
        fields={
            "submitted_on": round_.submitted_on,
            "checks": checks,
            "opinion_kind": kind,
            "opinion": text,
            "reviewer": (officer.name if officer is not None else "") or str(actor),
            "reviewed_on": day,
        },
    )
    document = document_services.document_issue(actor=actor, document=document)
    signing.signature_staff_sign(actor=actor, document=document, role=SignerRole.REVIEWER)
    return document


@transaction.atomic
def review_opinion_give(
    *,
    actor: Any,
    round: ReviewRound,
    kind: str,
    findings: Mapping[str, tuple[str, str]],
    text: str,
    organ: str = "",
) -> Opinion:
    """The reviewer's opinion on the latest round: 同意, 纠正 (the items to correct) or 移送 (to ``organ``).

    Every checklist item gets a finding; a problem says what it is. 同意 has no problem; 纠正 names at least
    one. The opinion is issued as a numbered 法制审核意见书 the reviewer signs, and the case moves on (同意)
    or back to the handling unit (纠正, 移送). The reviewer must be qualified (行政处罚法第五十八条第二款) and
    not a handler of the case.
    """
    locked_round = _locked_round(round)
    case = _check_open(locked_round)
    refusal = permissions.reviewer_refusal(actor, case)
    if refusal:
        raise permissions.NotPermitted(refusal)
    if kind not in OpinionKind.values:
        raise GuardFailed(gettext("请选择审核意见：同意、纠正或移送。"))
    checked = _findings(findings)
    problems = [f for f in checked if f["finding"] == Finding.PROBLEM]
    text = text.strip()
    if not text:
        raise GuardFailed(gettext("请填写具体审核意见。"))
    if kind == OpinionKind.APPROVE and problems:
        raise GuardFailed(gettext("审核内容存在问题的，不能出具“同意”意见，请选择“纠正”或“移送”。"))
    if kind == OpinionKind.CORRECT and not problems:
        raise GuardFailed(gettext("“纠正”意见须指出至少一项存在问题的审核内容。"))
    if kind == OpinionKind.TRANSFER and not organ.strip():
        raise GuardFailed(gettext("“移送”意见须写明移送的有权机关。"))
    now = _now()
    day = workflow.today()
    document = _opinion_document(actor, case, locked_round, kind, checked, text, day)
    opinion = Opinion.objects.create(
        round=locked_round,
        kind=kind,
        findings=checked,
        corrections=[{"item": f["item"], "note": f["note"]} for f in problems]
        if kind == OpinionKind.CORRECT
        else [],
        organ=organ.strip(),
        text=text,
        reviewer=actor,
        given_at=now,
        given_on=day,
        document=document,
    )
    action = Action.PASS_LEGAL_REVIEW if kind == OpinionKind.APPROVE else Action.RETURN_LEGAL_REVIEW
    case_transition(
        case=case,
        action=action,
        actor=actor,
        note=text,
        opinion=str(kind),
        review_round=ReviewRound.objects.get(pk=locked_round.pk),
    )
    audit.record(
        audit.EventType.REVIEW_OPINION_GIVEN,
        actor=actor,
        subject=opinion,
        agency=case.agency_id,
        data={
            "case": case.pk,
            "round": locked_round.number,
            "kind": kind,
            "document": document.pk,
            "number": document.number,
            "problems": [f["item"] for f in problems],
        },
    )
    clocks_changed(f"case:{case.pk}")
    return opinion


@transaction.atomic
def review_extend(*, actor: Any, round: ReviewRound, days: int, reason: str) -> ReviewRound:
    """A leader approves the one extension of an open round's period, by up to the agency's extension."""
    locked_round = _locked_round(round)
    case = _check_open(locked_round)
    permissions.require(permissions.can_extend(actor, case), gettext("延长法制审核期限须经机关负责人批准。"))
    if locked_round.extended_until is not None:
        raise GuardFailed(gettext("法制审核期限只能延长一次。"))
    _days, most = selectors.review_settings_for(case.agency_id)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= most:
        raise GuardFailed(gettext("延长期限须为1至%(n)d个工作日。") % {"n": most})
    if not reason.strip():
        raise GuardFailed(gettext("请写明延长理由。"))
    try:
        until = add_working_days(locked_round.due_on, days)
    except CalendarMissing as exc:
        raise GuardFailed(str(exc)) from exc
    locked_round.extended_until = until
    locked_round.extension_reason = reason.strip()[:300]
    locked_round.extension_approved_by = actor
    locked_round.save(update_fields=["extended_until", "extension_reason", "extension_approved_by"])
    audit.record(
        audit.EventType.REVIEW_EXTENDED,
        actor=actor,
        subject=locked_round,
        agency=case.agency_id,
        data={"case": case.pk, "round": locked_round.number, "days": days, "until": until.isoformat()},
    )
    clocks_changed(f"case:{case.pk}")
    return locked_round


# ----------------------------------------------------------------------------------------------------
# Disagreement


@transaction.atomic
def review_object(*, actor: Any, opinion: Opinion, reasons: str) -> Objection:
    """The handling unit disagrees with a 纠正 or 移送 opinion of the latest round, with its reasons.

    The disagreement then goes to the leaders' meeting, which decides it (:func:`review_meeting_record`).
    """
    opinion = Opinion.objects.select_related("round__review__case").get(pk=opinion.pk)
    case = _locked_case(opinion.round.review.case)
    permissions.require(permissions.can_submit(actor, case), gettext("对审核意见的异议由本案承办人员提出。"))
    if opinion.kind == OpinionKind.APPROVE:
        raise GuardFailed(gettext("审核意见为“同意”，无须提出异议。"))
    latest = selectors.latest_round(case)
    if latest is None or latest.pk != opinion.round_id or case.stage != Stage.DEFENCE_CONCLUDED:
        raise GuardFailed(gettext("只能对最新一轮、尚未处理的审核意见提出异议。"))
    if Objection.objects.filter(opinion=opinion).exists():
        raise GuardFailed(gettext("已对该审核意见提出异议。"))
    if not reasons.strip():
        raise GuardFailed(gettext("请写明异议理由。"))
    objection = Objection.objects.create(
        opinion=opinion, raised_by=actor, raised_at=_now(), reasons=reasons.strip()
    )
    audit.record(
        audit.EventType.REVIEW_OBJECTION_RAISED,
        actor=actor,
        subject=objection,
        agency=case.agency_id,
        data={"case": case.pk, "round": opinion.round.number, "opinion": opinion.kind},
    )
    clocks_changed(f"case:{case.pk}")
    return objection


@transaction.atomic
def review_meeting_record(
    *,
    actor: Any,
    objection: Objection,
    held_on: datetime.date,
    participants: Iterable[Any],
    minutes: str,
    outcome: str,
) -> Meeting:
    """Record the leaders' meeting (局长办公会) that decides a disagreement: its minutes and its decision.

    采纳承办机构意见 counts as the review passed for the decision; 维持审核意见 leaves the handling unit to
    correct and resubmit (or the leader to refer the case).
    """
    objection = Objection.objects.select_related("opinion__round__review__case").get(pk=objection.pk)
    case = _locked_case(objection.opinion.round.review.case)
    permissions.require(
        permissions.can_record_meeting(actor, case), gettext("局长办公会的决定由机关负责人记录。")
    )
    if Meeting.objects.filter(objection=objection).exists():
        raise GuardFailed(gettext("该异议已经局长办公会决定。"))
    if outcome not in MeetingOutcome.values:
        raise GuardFailed(gettext("请选择会议决定。"))
    if not isinstance(held_on, datetime.date) or held_on > workflow.today():
        raise GuardFailed(gettext("会议日期不能晚于今天。"))
    if held_on < objection.opinion.given_on:
        raise GuardFailed(gettext("会议日期不能早于审核意见的日期。"))
    ids = [getattr(p, "pk", p) for p in participants]
    users = list(User.objects.filter(pk__in=ids, agency_id=case.agency_id))
    if len(users) != len(set(ids)) or len(users) < 3:
        raise GuardFailed(gettext("局长办公会须有本机关三名以上负责人或人员参加，请填写参加人员。"))
    if not minutes.strip():
        raise GuardFailed(gettext("请填写会议纪要。"))
    meeting = Meeting.objects.create(
        objection=objection,
        held_on=held_on,
        minutes=minutes.strip(),
        outcome=outcome,
        recorded_by=actor,
        recorded_at=_now(),
    )
    meeting.participants.set(users)
    audit.record(
        audit.EventType.REVIEW_MEETING_RECORDED,
        actor=actor,
        subject=meeting,
        agency=case.agency_id,
        data={
            "case": case.pk,
            "round": objection.opinion.round.number,
            "outcome": outcome,
            "participants": sorted(u.pk for u in users),
        },
    )
    clocks_changed(f"case:{case.pk}")
    return meeting
