"""The penalty procedure of the 行政处罚法 as one table: ``(stage, action) → next stage, who, guards, data``.

Read a row as a sentence: "in stage *source*, *who* may perform *action*, which moves the case to *target*,
if every guard passes and the listed data is given". :func:`sanxiang.cases.services.case_transition`
performs every row, and nothing else assigns a case's stage. Upper apps add guards with
:func:`register_guard` from their ``AppConfig.ready()``; a guard is ``fn(case, actor, data)`` and raises
:class:`GuardFailed` saying, in Chinese, what is missing.

General procedure (普通程序, Art.54–65): lead → filing (submitted by an officer, reviewed by the section
head, approved by the leader, who gets the number) → investigation → investigation report → case review
(案件处理呈批) → notice of the proposed penalty and rights (Art.44) → statement and defence, hearing
(Art.63–65), written waiver (Art.62) or the period lapsing → legal review where required (Art.58) →
collective discussion where required (Art.57) → decision → delivery (Art.61) → execution → closing →
archiving. From case review the leader may also decide 不予行政处罚, find the facts not established or refer
the case to the judicial organs (Art.57); a filing may be withdrawn (撤销立案). Simple procedure (简易程序,
Art.51–52): one on-the-spot decision, reported to the agency (备案), then execution and closing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing

if TYPE_CHECKING:
    from sanxiang.cases.models import Case

__all__ = [
    "AUTOMATIC",
    "TABLE",
    "Action",
    "GuardFailed",
    "Needs",
    "NotApplicable",
    "Stage",
    "Step",
    "TransitionNotAllowed",
    "Who",
    "doc",
    "latest_set",
    "refusal",
    "register_guard",
    "registered_guards",
    "step",
    "steps_from",
    "today",
]


class Stage(models.TextChoices):
    LEAD = "lead", _("案源登记")
    FILING_SUBMITTED = "filing_submitted", _("立案待审核")
    FILING_REVIEWED = "filing_reviewed", _("立案待批准")
    INVESTIGATION = "investigation", _("调查取证")
    INVESTIGATION_REPORTED = "investigation_reported", _("调查终结")
    CASE_REVIEW = "case_review", _("案件处理呈批")
    PENALTY_PROPOSED = "penalty_proposed", _("待处罚告知")
    NOTIFIED = "notified", _("陈述申辩期")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("听证已安排")
    HEARING_NOTIFIED = "hearing_notified", _("已通知听证")
    DEFENCE_CONCLUDED = "defence_concluded", _("待作出决定")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    LEGAL_REVIEWED = "legal_reviewed", _("法制审核通过")
    DISCUSSED = "discussed", _("已集体讨论")
    DECIDED = "decided", _("已作出决定")
    ON_SPOT_DECIDED = "on_spot_decided", _("当场处罚待备案")
    DELIVERED = "delivered", _("已送达待执行")
    COURT_ENFORCEMENT = "court_enforcement", _("申请法院强制执行")
    EXECUTED = "executed", _("执行完毕")
    CONCLUDED = "concluded", _("待结案")
    CLOSING_SUBMITTED = "closing_submitted", _("结案待审批")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


class Action(models.TextChoices):
    SUBMIT_FILING = "submit_filing", _("提请立案")
    REVIEW_FILING = "review_filing", _("审核立案")
    APPROVE_FILING = "approve_filing", _("批准立案")
    RETURN_FILING = "return_filing", _("退回立案申请")
    REPORT_INVESTIGATION = "report_investigation", _("调查终结报告")
    SUBMIT_CASE_REVIEW = "submit_case_review", _("提交案件处理呈批")
    APPROVE_PENALTY_PROPOSAL = "approve_penalty_proposal", _("批准拟处罚意见")
    DECIDE_NO_PENALTY = "decide_no_penalty", _("决定不予行政处罚")
    FIND_NOT_ESTABLISHED = "find_not_established", _("认定违法事实不成立")
    REFER = "refer", _("移送司法机关")
    RETURN_CASE_REVIEW = "return_case_review", _("退回补充调查")
    WITHDRAW_FILING = "withdraw_filing", _("撤销立案")
    NOTIFY_PENALTY = "notify_penalty", _("行政处罚告知")
    RECORD_STATEMENT = "record_statement", _("记录陈述申辩")
    REQUEST_HEARING = "request_hearing", _("登记听证申请")
    WAIVE_RIGHTS = "waive_rights", _("书面放弃陈述申辩和听证")
    LAPSE_DEFENCE_PERIOD = "lapse_defence_period", _("陈述申辩期届满")
    SCHEDULE_HEARING = "schedule_hearing", _("安排听证")
    NOTIFY_HEARING = "notify_hearing", _("送达听证通知")
    RECORD_HEARING = "record_hearing", _("记录听证笔录和听证报告")
    SUBMIT_LEGAL_REVIEW = "submit_legal_review", _("提交法制审核")
    PASS_LEGAL_REVIEW = "pass_legal_review", _("法制审核通过")
    RETURN_LEGAL_REVIEW = "return_legal_review", _("法制审核退回（纠正或移送）")
    RECORD_COLLECTIVE_DISCUSSION = "record_collective_discussion", _("记录集体讨论")
    DECIDE = "decide", _("作出决定")
    DELIVER = "deliver", _("送达决定书")
    DECIDE_ON_SPOT = "decide_on_spot", _("当场作出处罚决定")
    REPORT_ON_SPOT = "report_on_spot", _("当场处罚备案")
    COMPLETE_EXECUTION = "complete_execution", _("执行完毕")
    APPLY_COURT_ENFORCEMENT = "apply_court_enforcement", _("申请法院强制执行")
    SUBMIT_CLOSING = "submit_closing", _("提请结案")
    APPROVE_CLOSING = "approve_closing", _("批准结案")
    ARCHIVE = "archive", _("归档")
    REQUEST_EXTENSION = "request_extension", _("申请延长办案期限")
    APPROVE_EXTENSION = "approve_extension", _("批准延长办案期限")


class Who(models.TextChoices):
    """Who may perform a step; the predicates are in :mod:`sanxiang.cases.permissions`."""

    HANDLER = "handler", _("承办人员")
    SECTION_HEAD = "section_head", _("承办股室负责人")
    LEADER = "leader", _("机关负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员（非承办人员）")
    ARCHIVIST = "archivist", _("档案管理员")
    EXECUTOR = "executor", _("承办人员或机关负责人")


class GuardFailed(ValidationError):  # noqa: N818 (the name the other apps import)
    """A rule of law stops this step; the message says in Chinese what is missing."""


class TransitionNotAllowed(GuardFailed):
    """The action does not exist in the case's current stage."""


class NotApplicable(GuardFailed):
    """The step does not apply to this case (the other procedure, nothing to execute, no request to approve).

    Performing it is refused like any guard failure, but the case page does not list it among the steps that
    are blocked: there is nothing the user could do to unblock it.
    """


def today() -> datetime.date:
    """The local date every guard and effect of this app uses (one place, so tests can set it)."""
    return timezone.localdate()


Guard = Callable[["Case", Any, dict[str, Any]], None]


# ----------------------------------------------------------------------------------------------------
# Guards. Each reads the locked case and the step's parsed data, and raises GuardFailed in Chinese.


def officers_certified(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """At least two handling officers with a valid certificate for the case's category (行政处罚法 Art.42)."""
    day = today()
    certified = [
        link.officer
        for link in case.case_officers.select_related("officer").prefetch_related("officer__categories")
        if link.officer.is_certified(day)
        and any(c.pk == case.category_id for c in link.officer.categories.all())
    ]
    if len(certified) < 2:
        raise GuardFailed(
            gettext(
                "执法人员不得少于两人（行政处罚法第四十二条）："
                "本案持有效“%(category)s”执法证件的承办人员只有 %(n)d 人。"
            )
            % {"category": case.category.name, "n": len(certified)}
        )


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def within_limitation(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """Refuse filing when the act was not discovered within the limitation period (行政处罚法 Art.36).

    Two years from the act, or from its end if it continued; five years where 公民生命健康安全 is involved and
    harm occurred (``endangers_life_health``). Discovery on the last day of the period is still in time.
    """
    if case.act_date is None or case.discovered_on is None:
        raise GuardFailed(gettext("立案前须填写违法行为发生日期和发现日期（行政处罚法第三十六条）。"))
    start = case.act_ended_on or case.act_date
    years = 5 if case.endangers_life_health else 2
    if case.discovered_on > _years_later(start, years):
        raise GuardFailed(
            gettext(
                "违法行为在%(years)d年内未被发现，不再给予行政处罚（行政处罚法第三十六条）："
                "行为%(which)s于%(start)s，发现于%(found)s。"
            )
            % {
                "years": years,
                "which": gettext("终了") if case.act_ended_on else gettext("发生"),
                "start": start.isoformat(),
                "found": case.discovered_on.isoformat(),
            }
        )


def proposal_exists(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A case review proposes a penalty before it can be approved for notice."""
    if case.outcome != "penalty" or not case.penalties.filter(stage="proposed").exists():
        raise GuardFailed(gettext("案件处理呈批尚未提出拟给予的行政处罚。"))


def hearing_right_exists(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """Only the penalties of Art.63 give a hearing right."""
    if not case.hearing_right:
        raise NotApplicable(
            gettext("拟作出的行政处罚不属于当事人有权要求听证的情形（行政处罚法第六十三条）。")
        )


def hearing_request_in_time(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A hearing is requested within 5 working days of the notice (行政处罚法 Art.64(一), Art.85)."""
    assert case.notified_on is not None  # noqa: S101 (the stage guarantees it)
    due = clocks.hearing_request_due(case.notified_on)
    requested_on: datetime.date = data["requested_on"]
    if requested_on < case.notified_on:
        raise GuardFailed(gettext("听证申请日期不能早于处罚告知日期。"))
    if requested_on > due:
        raise GuardFailed(
            gettext("听证申请已超过告知后五个工作日（截至%(due)s），不予受理（行政处罚法第六十四条）。")
            % {"due": due.isoformat()}
        )


def defence_period_over(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The party may state, defend or ask for a hearing for 5 working days after the notice (Art.64, 85).

    The same period is allowed for 陈述申辩 where no hearing right exists: the law sets no figure for it.
    """
    assert case.notified_on is not None  # noqa: S101
    due = clocks.hearing_request_due(case.notified_on)
    if today() <= due:
        raise GuardFailed(
            gettext("陈述申辩和听证申请期限尚未届满（截至%(due)s）。") % {"due": due.isoformat()}
        )


def chair_not_handler(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The hearing is chaired by an officer other than the case's investigators (行政处罚法 Art.64(四))."""
    chair = data["chair"]
    if chair.agency_id != case.agency_id:
        raise GuardFailed(gettext("听证主持人须为本机关的执法人员。"))
    if case.case_officers.filter(officer=chair).exists():
        raise GuardFailed(
            gettext("听证由非本案调查人员主持（行政处罚法第六十四条）：%(name)s是本案承办人员。")
            % {"name": chair.name}
        )


def chair_certified(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The chair holds a certificate valid today and on the hearing day (行政处罚法 Art.42, Art.64(四)).

    A revoked, suspended, expired or not yet valid certificate gives no standing to preside.
    """
    chair = data["chair"]
    for day in dict.fromkeys((today(), data.get("hearing_on") or today())):
        if not chair.is_certified(day):
            raise GuardFailed(
                gettext("听证主持人须持有有效执法证件：%(name)s的执法证件在%(day)s不在有效状态。")
                % {"name": chair.name, "day": day.isoformat()}
            )


def hearing_notice_in_time(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The party is told of the hearing at least 7 working days before it (行政处罚法 Art.64(二), Art.85)."""
    assert case.hearing_on is not None  # noqa: S101
    latest = clocks.hearing_notice_latest(case.hearing_on)
    if data["notified_on"] > latest:
        raise GuardFailed(
            gettext("听证通知须在举行听证的七个工作日前送达（最迟%(latest)s，行政处罚法第六十四条）。")
            % {"latest": latest.isoformat()}
        )


def held_on_or_after_the_scheduled_day(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A hearing is held on the day the party was notified of, or later if postponed (行政处罚法 Art.64(二)).

    Recorded as held before that day it would be a hearing the party was not called to. Without a date (the
    list of available actions) the question is whether that day has come.
    """
    assert case.hearing_on is not None  # noqa: S101 (the stage guarantees it)
    held_on: datetime.date = data.get("held_on") or today()
    if held_on < case.hearing_on:
        raise GuardFailed(
            gettext("听证定于%(day)s举行，听证举行日期不能早于该日（行政处罚法第六十四条）。")
            % {"day": case.hearing_on.isoformat()}
        )


def notice_given(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """No decision without the Art.44 notice, unless the party waived in writing (行政处罚法 Art.62)."""
    if case.notified_on is None and case.rights_waived_on is None:
        raise GuardFailed(
            gettext(
                "作出处罚决定前须告知拟作出的处罚内容和当事人的权利（行政处罚法第四十四条、第六十二条）。"
            )
        )


def _heavier(final: list[Any], notified: list[Any]) -> list[str]:
    """What in ``final`` is heavier than ``notified``: a kind not notified, or a higher amount of a kind."""
    notified_amounts: dict[str, int] = defaultdict(int)
    for p in notified:
        notified_amounts[p.kind] += p.amount_fen
    final_amounts: dict[str, int] = defaultdict(int)
    for p in final:
        final_amounts[p.kind] += p.amount_fen
    problems = []
    for kind, amount in final_amounts.items():
        if kind not in notified_amounts:
            problems.append(gettext("新增处罚种类“%(kind)s”") % {"kind": _kind_label(kind)})
        elif amount > notified_amounts[kind]:
            problems.append(gettext("“%(kind)s”金额高于告知的金额") % {"kind": _kind_label(kind)})
    return problems


def _kind_label(kind: str) -> str:
    from sanxiang.cases.models import PenaltyKind

    return str(PenaltyKind(kind).label)


def not_heavier_than_notified(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The final penalty may not be heavier than the one notified (行政处罚法 Art.44, Art.45).

    A heavier penalty would need a new notice (Art.44); after a defence it is barred outright (Art.45). A
    kind that was not notified, or a higher total amount of a notified kind, is heavier.
    """
    notified = list(latest_set(case, "notified"))
    problems = _heavier(data["penalties"], notified)
    if problems:
        raise GuardFailed(
            gettext("决定的处罚不得重于告知的处罚（行政处罚法第四十五条）：%(problems)s。")
            % {"problems": "；".join(problems)}
        )


def latest_set(case: Case, stage: str) -> Iterable[Any]:
    rows = case.penalties.filter(stage=stage).order_by("-transition_id")
    first = rows.first()
    if first is None:
        return []
    return list(rows.filter(transition_id=first.transition_id).order_by("pk"))


def collective_discussion_done(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A major or complex case is decided by collective discussion (行政处罚法 Art.57 para 2)."""
    if case.needs_collective_discussion and case.discussed_on is None:
        raise GuardFailed(
            gettext("情节复杂或者重大违法行为须经机关负责人集体讨论决定（行政处罚法第五十七条）。")
        )


def within_decision_period(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """Decide within 90 days of filing, or by the date of an approved extension (行政处罚法 Art.60)."""
    due = case.decision_due_on
    if due is not None and data["decided_on"] > due and case.decision_due_provisional and case.filed_on:
        # The stored day is the nominal 90th day; a roll-over may give more time. Ask the table now: if the
        # year is still missing, CalendarMissing refuses the step and names the year.
        due = clocks.decision_due(case.filed_on)
    if due is not None and data["decided_on"] > due:
        raise GuardFailed(
            gettext(
                "已超过作出处罚决定的期限（%(due)s，行政处罚法第六十条），须先经机关负责人批准延长办案期限。"
            )
            % {"due": due.isoformat()}
        )


def general_procedure(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """Filing (立案, 行政处罚法 Art.54) starts the general procedure; a 简易程序 lead is not filed."""
    if case.procedure != "general":
        raise NotApplicable(
            gettext("本案源登记为简易程序，应当场作出处罚决定；需要立案调查的，请先将案源改为普通程序。")
        )


def simple_procedure(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """当场处罚 (行政处罚法 Art.51–52) only for a lead registered as 简易程序; others are filed (Art.54)."""
    if case.procedure != "simple":
        raise NotApplicable(
            gettext(
                "本案源登记为普通程序，须立案调查，不能当场作出处罚决定（行政处罚法第五十一条、第五十四条）；"
                "符合简易程序条件的，请先将案源改为简易程序。"
            )
        )


def simple_procedure_limits(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """简易程序 only for a warning or a fine of ≤ 200 元 (person) / ≤ 3,000 元 (organisation) (Art.51).

    "以下" is read as inclusive. An individual business (个体工商户) is a natural person here (民法典 Art.54).
    With several parties the stricter limit applies.
    """
    from sanxiang.parties.models import PartyKind

    kinds = {p.kind for p in data["penalties"]}
    if not kinds <= {"warning", "fine"}:
        raise GuardFailed(gettext("简易程序只能给予警告或者罚款（行政处罚法第五十一条）。"))
    organisation_only = all(
        link.party.kind == PartyKind.ORGANISATION for link in case.case_parties.select_related("party")
    )
    limit = 300_000 if organisation_only else 20_000
    total = sum(p.amount_fen for p in data["penalties"] if p.kind == "fine")
    if total > limit:
        raise GuardFailed(
            gettext("当场处罚的罚款不得超过%(limit)s元（行政处罚法第五十一条），本次为%(total)s元。")
            % {"limit": limit // 100, "total": f"{total / 100:.2f}"}
        )


def extension_requested(case: Case, actor: Any, data: dict[str, Any]) -> None:
    if case.extension_requested_until is None:
        raise NotApplicable(gettext("没有待批准的延长办案期限申请。"))


def nothing_to_execute(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A delivered decision goes straight to closing only when it imposes nothing (不予行政处罚)."""
    if case.outcome != "no_penalty":
        raise GuardFailed(gettext("处罚决定尚未执行完毕，不能提请结案。"))


def a_penalty_to_execute(case: Case, actor: Any, data: dict[str, Any]) -> None:
    if case.outcome != "penalty":
        raise NotApplicable(gettext("本案没有需要执行的行政处罚。"))


# ----------------------------------------------------------------------------------------------------
# The table.


@dataclass(frozen=True)
class Needs:
    """A document (文书) a step needs: one of ``keys`` (document type keys) issued and not voided.

    ``when``: only if this holds for the case (e.g. a hearing right); ``delivered``: and delivered to the
    party, on a signed 送达回执 or by electronic delivery with the party's consent (行政处罚法 Art.61). The
    documents app checks these with a guard it registers; the table only says what each step needs.
    """

    keys: tuple[str, ...]
    when: Callable[[Case], bool] | None = None
    delivered: bool = False


def doc(*keys: str, when: Callable[[Case], bool] | None = None, delivered: bool = False) -> Needs:
    return Needs(keys, when, delivered)


def hearing_right_proposed(case: Case) -> bool:
    """The proposed penalties give a hearing right (Art.63): the notice is then also a 听证告知书."""
    from sanxiang.cases.services import hearing_right_for

    return hearing_right_for(case, latest_set(case, "proposed"))


def decided_penalty(case: Case) -> bool:
    return case.outcome == "penalty"


def decided_no_penalty(case: Case) -> bool:
    return case.outcome == "no_penalty"


@dataclass(frozen=True)
class Step:
    source: Stage
    action: Action
    target: Stage
    who: Who
    guards: tuple[Guard, ...] = ()
    # Data the action needs (keyword arguments of case_transition); parsed in services.
    requires: tuple[str, ...] = ()
    # Documents (文书) the action needs, issued before it is performed.
    documents: tuple[Needs, ...] = ()


S, A, W = Stage, Action, Who
ART42 = officers_certified
PRE_DECISION = (
    S.INVESTIGATION,
    S.INVESTIGATION_REPORTED,
    S.CASE_REVIEW,
    S.PENALTY_PROPOSED,
    S.NOTIFIED,
    S.HEARING_REQUESTED,
    S.HEARING_SCHEDULED,
    S.HEARING_NOTIFIED,
    S.DEFENCE_CONCLUDED,
    S.LEGAL_REVIEW,
    S.LEGAL_REVIEWED,
    S.DISCUSSED,
)
DECIDE_GUARDS: tuple[Guard, ...] = (
    ART42,
    notice_given,
    not_heavier_than_notified,
    collective_discussion_done,
    within_decision_period,
)
# The 决定书 carries every element of Art.59; it is checked when the document is issued.
DECISION = (doc("penalty_decision"),)
NOTICES = (doc("penalty_notice"), doc("hearing_notice", when=hearing_right_proposed))
DELIVERED_DECISION = (
    doc("penalty_decision", when=decided_penalty, delivered=True),
    doc("no_penalty_decision", when=decided_no_penalty, delivered=True),
)

TABLE: tuple[Step, ...] = (
    # 立案 (Art.54): officer submits, section head reviews, leader approves and the number is allocated.
    Step(
        S.LEAD, A.SUBMIT_FILING, S.FILING_SUBMITTED, W.HANDLER, (general_procedure, ART42, within_limitation)
    ),
    Step(S.FILING_SUBMITTED, A.REVIEW_FILING, S.FILING_REVIEWED, W.SECTION_HEAD, (within_limitation,)),
    Step(S.FILING_SUBMITTED, A.RETURN_FILING, S.LEAD, W.SECTION_HEAD),
    Step(
        S.FILING_REVIEWED,
        A.APPROVE_FILING,
        S.INVESTIGATION,
        W.LEADER,
        (ART42, within_limitation),
        documents=(doc("filing_approval"),),
    ),
    Step(S.FILING_REVIEWED, A.RETURN_FILING, S.LEAD, W.LEADER),
    # 调查取证 → 调查终结报告 → 案件处理呈批 (Art.55–57).
    Step(
        S.INVESTIGATION,
        A.REPORT_INVESTIGATION,
        S.INVESTIGATION_REPORTED,
        W.HANDLER,
        (ART42,),
        ("report",),
        (doc("investigation_report"),),
    ),
    Step(
        S.INVESTIGATION_REPORTED,
        A.SUBMIT_CASE_REVIEW,
        S.CASE_REVIEW,
        W.HANDLER,
        (ART42,),
        ("proposed_outcome",),
        (doc("case_review_form"),),
    ),
    Step(S.CASE_REVIEW, A.APPROVE_PENALTY_PROPOSAL, S.PENALTY_PROPOSED, W.LEADER, (proposal_exists,)),
    Step(
        S.CASE_REVIEW,
        A.DECIDE_NO_PENALTY,
        S.DECIDED,
        W.LEADER,
        (ART42, within_decision_period),
        ("reason",),
        (doc("no_penalty_decision"),),
    ),
    Step(S.CASE_REVIEW, A.FIND_NOT_ESTABLISHED, S.CONCLUDED, W.LEADER),
    Step(S.CASE_REVIEW, A.REFER, S.CONCLUDED, W.LEADER, (), ("organ",), (doc("transfer_letter"),)),
    Step(S.CASE_REVIEW, A.RETURN_CASE_REVIEW, S.INVESTIGATION, W.LEADER),
    Step(S.INVESTIGATION, A.WITHDRAW_FILING, S.CONCLUDED, W.LEADER),
    Step(S.INVESTIGATION_REPORTED, A.WITHDRAW_FILING, S.CONCLUDED, W.LEADER),
    Step(S.CASE_REVIEW, A.WITHDRAW_FILING, S.CONCLUDED, W.LEADER),
    # 告知 (Art.44) and the party's answer: 陈述申辩 (Art.45), 听证 (Art.63–65), 书面放弃 (Art.62), or lapse.
    Step(S.PENALTY_PROPOSED, A.NOTIFY_PENALTY, S.NOTIFIED, W.HANDLER, (ART42,), documents=NOTICES),
    Step(
        S.NOTIFIED,
        A.RECORD_STATEMENT,
        S.DEFENCE_CONCLUDED,
        W.HANDLER,
        (ART42,),
        ("statement",),
        (doc("statement_record"),),
    ),
    Step(
        S.NOTIFIED,
        A.REQUEST_HEARING,
        S.HEARING_REQUESTED,
        W.HANDLER,
        (hearing_right_exists, hearing_request_in_time),
        ("requested_on",),
    ),
    Step(S.NOTIFIED, A.WAIVE_RIGHTS, S.DEFENCE_CONCLUDED, W.HANDLER, (), ("waived_on", "waiver_reference")),
    Step(S.NOTIFIED, A.LAPSE_DEFENCE_PERIOD, S.DEFENCE_CONCLUDED, W.HANDLER, (defence_period_over,)),
    Step(
        S.HEARING_REQUESTED,
        A.SCHEDULE_HEARING,
        S.HEARING_SCHEDULED,
        W.HANDLER,
        (chair_not_handler, chair_certified),
        ("hearing_on", "chair"),
    ),
    Step(
        S.HEARING_SCHEDULED,
        A.NOTIFY_HEARING,
        S.HEARING_NOTIFIED,
        W.HANDLER,
        (ART42, hearing_notice_in_time),
        ("notified_on",),
        (doc("hearing_meeting_notice"),),
    ),
    Step(
        S.HEARING_NOTIFIED,
        A.RECORD_HEARING,
        S.DEFENCE_CONCLUDED,
        W.HANDLER,
        (ART42, held_on_or_after_the_scheduled_day),
        ("held_on", "record", "report"),
        (doc("hearing_record"), doc("hearing_report")),
    ),
    # 法制审核 (Art.58) and 集体讨论 (Art.57). The review app performs the three review steps from its
    # pages, with the round they belong to, and registers the gate on the decision and the discussion: a
    # required review (its catalog, or Art.58) has a 同意 in its latest round. An opinion of 移送 leaves the
    # referral to the leader (Art.57(四)).
    Step(S.DEFENCE_CONCLUDED, A.SUBMIT_LEGAL_REVIEW, S.LEGAL_REVIEW, W.HANDLER),
    Step(
        S.LEGAL_REVIEW,
        A.PASS_LEGAL_REVIEW,
        S.LEGAL_REVIEWED,
        W.LEGAL_REVIEWER,
        (),
        ("opinion",),
        (doc("legal_review_opinion"),),
    ),
    Step(S.LEGAL_REVIEW, A.RETURN_LEGAL_REVIEW, S.DEFENCE_CONCLUDED, W.LEGAL_REVIEWER, (), ("opinion",)),
    Step(S.DEFENCE_CONCLUDED, A.REFER, S.CONCLUDED, W.LEADER, (), ("organ",), (doc("transfer_letter"),)),
    Step(
        S.DEFENCE_CONCLUDED,
        A.RECORD_COLLECTIVE_DISCUSSION,
        S.DISCUSSED,
        W.LEADER,
        (),
        ("held_on", "participants", "conclusion"),
        (doc("collective_discussion_record"),),
    ),
    Step(
        S.LEGAL_REVIEWED,
        A.RECORD_COLLECTIVE_DISCUSSION,
        S.DISCUSSED,
        W.LEADER,
        (),
        ("held_on", "participants", "conclusion"),
        (doc("collective_discussion_record"),),
    ),
    # 决定 (Art.57, 59–62), 送达 (Art.61), 执行 (Art.67, 72), 结案, 归档.
    Step(S.DEFENCE_CONCLUDED, A.DECIDE, S.DECIDED, W.LEADER, DECIDE_GUARDS, ("penalties",), DECISION),
    Step(S.LEGAL_REVIEWED, A.DECIDE, S.DECIDED, W.LEADER, DECIDE_GUARDS, ("penalties",), DECISION),
    Step(S.DISCUSSED, A.DECIDE, S.DECIDED, W.LEADER, DECIDE_GUARDS, ("penalties",), DECISION),
    Step(
        S.DECIDED,
        A.DELIVER,
        S.DELIVERED,
        W.HANDLER,
        (ART42,),
        ("delivered_on", "method"),
        DELIVERED_DECISION,
    ),
    Step(S.DELIVERED, A.COMPLETE_EXECUTION, S.EXECUTED, W.EXECUTOR, (a_penalty_to_execute,)),
    Step(
        S.DELIVERED,
        A.APPLY_COURT_ENFORCEMENT,
        S.COURT_ENFORCEMENT,
        W.LEADER,
        (a_penalty_to_execute,),
        # 行政强制法 Art.54: the party is reminded in writing before the court is asked.
        documents=(doc("enforcement_reminder"), doc("enforcement_application")),
    ),
    Step(S.COURT_ENFORCEMENT, A.COMPLETE_EXECUTION, S.EXECUTED, W.EXECUTOR),
    Step(S.DELIVERED, A.SUBMIT_CLOSING, S.CLOSING_SUBMITTED, W.HANDLER, (nothing_to_execute,)),
    Step(S.EXECUTED, A.SUBMIT_CLOSING, S.CLOSING_SUBMITTED, W.HANDLER),
    Step(S.CONCLUDED, A.SUBMIT_CLOSING, S.CLOSING_SUBMITTED, W.HANDLER),
    Step(S.CLOSING_SUBMITTED, A.APPROVE_CLOSING, S.CLOSED, W.LEADER, documents=(doc("closing_approval"),)),
    Step(S.CLOSED, A.ARCHIVE, S.ARCHIVED, W.ARCHIVIST),
    # 简易程序 (Art.51–52): decided and handed over on the spot, then reported to the agency.
    Step(
        S.LEAD,
        A.DECIDE_ON_SPOT,
        S.ON_SPOT_DECIDED,
        W.HANDLER,
        (simple_procedure, ART42, simple_procedure_limits),
        ("penalties", "form_number"),
    ),
    Step(S.ON_SPOT_DECIDED, A.REPORT_ON_SPOT, S.DELIVERED, W.SECTION_HEAD),
    # 延长办案期限 (Art.60): requested by a handler, approved by the leader; the stage does not change.
    *(Step(s, A.REQUEST_EXTENSION, s, W.HANDLER, (), ("until", "reason")) for s in PRE_DECISION),
    *(
        Step(
            s,
            A.APPROVE_EXTENSION,
            s,
            W.LEADER,
            (extension_requested,),
            documents=(doc("extension_approval"),),
        )
        for s in PRE_DECISION
    ),
)

# Steps the system records itself once the facts they rest on are in: 执行完毕 of a fine paid in full, as the
# bank's record shows (罚缴分离, 行政处罚法 Art.67). See services.case_transition(automatic=True).
AUTOMATIC: frozenset[str] = frozenset({Action.COMPLETE_EXECUTION})

# Guards that read the step's data; the list of available actions skips them.
DATA_GUARDS: frozenset[Guard] = frozenset(
    {
        hearing_request_in_time,
        chair_not_handler,
        chair_certified,
        hearing_notice_in_time,
        not_heavier_than_notified,
        within_decision_period,
        simple_procedure_limits,
    }
)


def refusal(case: Case, actor: Any, step: Step) -> GuardFailed | None:
    """Why ``step`` cannot be performed on ``case`` now, by its guards that need no data, or None.

    The guards of the table and those other apps registered run as :func:`services.case_transition` runs
    them, on an empty step data; guards that read the data (:data:`DATA_GUARDS`) wait for the form. A clock
    that would need a holiday table not yet loaded refuses too, naming the year.
    """
    try:
        for guard in (*step.guards, *registered_guards(step.action)):
            if guard not in DATA_GUARDS:
                guard(case, actor, {})
    except GuardFailed as refused:
        return refused
    except CalendarMissing as missing:
        return GuardFailed(str(missing))
    return None


_BY_KEY: dict[tuple[str, str], Step] = {}
for _step in TABLE:
    if (_step.source, _step.action) in _BY_KEY:  # validated when loaded: one row per (stage, action)
        raise RuntimeError(f"duplicate step {_step.source}/{_step.action}")
    _BY_KEY[(_step.source, _step.action)] = _step


def step(stage: str, action: str) -> Step:
    """The row for ``(stage, action)``, or :class:`TransitionNotAllowed` naming both in Chinese."""
    found = _BY_KEY.get((stage, action))
    if found is None:
        raise TransitionNotAllowed(
            gettext("当前阶段“%(stage)s”不能执行“%(action)s”")
            % {"stage": _label(Stage, stage), "action": _label(Action, action)}
        )
    return found


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def steps_from(stage: str) -> list[Step]:
    return [s for s in TABLE if s.source == stage]


_REGISTERED: dict[str, list[Guard]] = defaultdict(list)


def register_guard(action: Action | str, fn: Guard) -> None:
    """Add a guard to every row of ``action``. Call from ``AppConfig.ready()``; safe to call twice."""
    if str(action) not in Action.values:
        raise ValueError(f"unknown action {action!r}")
    if fn not in _REGISTERED[str(action)]:
        _REGISTERED[str(action)].append(fn)


def registered_guards(action: Action | str) -> list[Guard]:
    return list(_REGISTERED.get(str(action), ()))
