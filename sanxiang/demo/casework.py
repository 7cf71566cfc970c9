"""The demo bureau's casework: parties, inspections, cases in every stage of the procedure with the documents
(文书) each step needs, coercive measures and payments. Names, codes and numbers are fictional; identifiers
carry valid check characters.

Everything goes through the services, so every act leaves its real audit event. Each act happens on its own
demo date: the acts of all matters are put on one timeline, sorted by date and performed in that order (so
numbers are allocated in date order), with the apps' "today" set to the act's date while it runs. Dates are
counted back from ``today`` in working days, so that some clocks are running and some are overdue whenever
the demo is loaded (within the years whose holiday tables are shipped).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from sanxiang.access import demo as access_demo
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency, EnforcementCategory, Officer, RandomCheckItem
from sanxiang.cases import services as case_services
from sanxiang.cases import workflow as case_workflow
from sanxiang.cases.models import Case, CaseSource
from sanxiang.cases.workflow import Action
from sanxiang.coercion import services as coercion_services
from sanxiang.coercion.models import (
    MeasureAction,
    MeasureKind,
    PreservationAction,
    PreservationOutcome,
)
from sanxiang.core.identifiers import credit_code_check_char, resident_id_check_digit
from sanxiang.deadlines import calendar, clocks, holiday_data
from sanxiang.deadlines import services as deadline_services
from sanxiang.deadlines.models import HolidayYear
from sanxiang.demo import evidence as demo_evidence
from sanxiang.documents import services as document_services
from sanxiang.documents import signing
from sanxiang.documents import testing as documents
from sanxiang.documents.models import SignerRole
from sanxiang.evidence.models import RecordedAct
from sanxiang.inspections import services as inspection_services
from sanxiang.inspections.models import Handling, Inspection, InspectionKind, SignerKind
from sanxiang.parties.models import Party, PartyKind
from sanxiang.parties.services import party_create
from sanxiang.payments import services as payment_services
from sanxiang.payments.balance import compute_balance
from sanxiang.review import catalog as review_catalog
from sanxiang.review import selectors as review_selectors
from sanxiang.review import services as review_services
from sanxiang.review.models import CheckItem, Finding, MeetingOutcome, OpinionKind

__all__ = ["ORGANISATIONS", "PERSONS", "load_casework"]

# ----------------------------------------------------------------------------------------------------
# Parties: 统一社会信用代码 = 登记管理部门 9 + 类别 1 + 行政区划 341523 + 主体标识码 (9) + check (GB 32100).

ORGANISATIONS = [
    # key, name, body of the code, legal representative, address
    ("huatai", "舒城县华泰机械制造有限公司", "MA2NB7R41", "张建国", "舒城县杭埠镇经济开发区纬三路18号"),
    ("shuhua", "安徽舒华新材料科技有限公司", "MA2P3CXJ8", "李文涛", "舒城县杭埠镇经济开发区经五路6号"),
    ("hengda", "舒城县恒达建材有限公司", "MA2KD4W19", "陈家宝", "舒城县千人桥镇工业集中区"),
    ("xinyuan", "舒城县鑫源化工有限公司", "MA2TF6H35", "王志强", "舒城县桃溪镇化工集中区2号"),
    ("wanfo", "舒城县万佛湖竹木制品有限公司", "MA2LQ8N72", "许长林", "舒城县万佛湖镇龙河口村"),
    ("tianyu", "舒城县天宇五金加工有限公司", "MA2RJ5E63", "吴德胜", "舒城县城关镇梅河路108号"),
    ("fengle", "舒城县丰乐食品有限公司", "MA2UC9P27", "周玉兰", "舒城县干汊河镇工业园区"),
    ("longshu", "舒城县龙舒纺织有限公司", "MA2WG3K84", "钱国华", "舒城县城关镇龙舒路56号"),
    ("nangang", "舒城县南港石料开采有限公司", "MA2XH7M56", "孙大勇", "舒城县南港镇石岭村"),
    ("shunda", "舒城县顺达仓储物流有限公司", "MA2YB2T90", "郑开明", "舒城县张母桥镇合九路旁"),
    ("huifeng", "舒城县汇丰烟花爆竹批发有限公司", "MA2QE4L18", "何春生", "舒城县汤池镇工业小区"),
]

PERSONS = [
    # key, name, birth date, sequence (odd: male), address
    ("liudehai", "刘德海", "19760315", "031", "舒城县城关镇春秋路22号"),
    ("wangchunmei", "汪春梅", "19820907", "048", "舒城县杭埠镇杭埠街道45号"),
    ("chengxiaobing", "程小兵", "19900121", "015", "舒城县千人桥镇新街村"),
]


def credit_code(body: str) -> str:
    first17 = f"91341523{body}"
    return first17 + credit_code_check_char(first17)


def resident_id(birth: str, sequence: str) -> str:
    first17 = f"341523{birth}{sequence}"
    return first17 + resident_id_check_digit(first17)


# ----------------------------------------------------------------------------------------------------
# The timeline: every act of every matter, performed in date order with the apps' today set to its date.


@dataclass(order=True)
class _Act:
    day: datetime.date
    seq: int
    run: Callable[[], None] = field(compare=False)


class _Timeline:
    def __init__(self) -> None:
        self.acts: list[_Act] = []

    def at(self, day: datetime.date, run: Callable[[], None]) -> None:
        self.acts.append(_Act(day, len(self.acts), run))

    def play(self) -> None:
        for act in sorted(self.acts):
            day = act.day
            # The services take "today" from these two functions; each act happens on its own date.
            with (
                mock.patch.object(case_workflow, "today", lambda day=day: day),
                mock.patch.object(inspection_services, "_today", lambda day=day: day),
            ):
                act.run()


def _working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _back(day: datetime.date, working_days: int) -> datetime.date:
    return calendar.subtract_working_days(day, working_days) if working_days else day


def _forward(day: datetime.date, working_days: int) -> datetime.date:
    return calendar.add_working_days(day, working_days) if working_days else day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Step:
    """One act on a case, ``gap`` working days after the previous one: a table row or another service."""

    gap: int
    action: str = ""
    who: str = ""
    note: str = ""
    data: dict[str, Any] | Callable[[datetime.date], dict[str, Any]] = field(default_factory=dict)
    other: Callable[[Case, datetime.date], None] | None = None


def S(gap: int, action: str, who: str, note: str = "", **data: Any) -> Step:  # noqa: N802 (reads as a table)
    return Step(gap, action, who, note, data)


def X(gap: int, other: Callable[[Case, datetime.date], None]) -> Step:  # noqa: N802
    return Step(gap, other=other)


# ----------------------------------------------------------------------------------------------------
# Penalties and texts


def fine(yuan: int, violation: str, description: str = "") -> dict[str, Any]:
    return {"kind": "fine", "amount_fen": yuan * 100, "violation": violation, "description": description}


def warning(violation: str) -> dict[str, Any]:
    return {"kind": "warning", "amount_fen": 0, "violation": violation}


ART97 = "未按照规定对从业人员进行安全生产教育和培训（安全生产法第九十七条第三项）"
ART99 = "未对安全设备进行经常性维护、保养和定期检测（安全生产法第九十九条第三项）"
ART101 = "未建立事故隐患排查治理制度（安全生产法第一百零一条第五项）"
ART102 = "未采取措施消除事故隐患（安全生产法第一百零二条）"
ART105 = "生产经营场所的安全出口、疏散通道堵塞（安全生产法第一百零五条第二项）"
ART97_6 = "特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业（安全生产法第九十七条第七项）"
ART94 = "主要负责人未履行安全生产管理职责（安全生产法第九十四条）"
REPORT = "经调查，当事人违法事实清楚，证据确实充分，调查终结。"


# ----------------------------------------------------------------------------------------------------
# Loading


@dataclass
class _World:
    today: datetime.date
    agency: Agency
    users: dict[str, User]
    officers: dict[str, Officer]
    categories: dict[str, EnforcementCategory]
    parties: dict[str, Party]
    timeline: _Timeline
    cases: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def ago(self, days: int) -> datetime.date:
        """A working day ``days`` calendar days before today (or the working day before it)."""
        return _working_day_on_or_before(self.today - datetime.timedelta(days=days))

    @functools.cached_property
    def filing_limit(self) -> datetime.date:
        """The last working day on or before today whose 90-day decision clock the holiday tables cover."""
        day = self.today
        while True:
            try:
                clocks.decision_due(day)
            except calendar.CalendarMissing:
                day -= datetime.timedelta(days=1)
                continue
            return _working_day_on_or_before(day)

    def bump(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by


def _ensure_holidays() -> None:
    """The clocks need the holiday tables; load the shipped years that are not loaded yet."""
    loaded = set(HolidayYear.objects.values_list("year", flat=True))
    for path in holiday_data.shipped_files():
        data = holiday_data.read_file(path)
        if data.year not in loaded:
            deadline_services.holiday_year_load(data=data)


@transaction.atomic
def load_casework(*, today: datetime.date) -> dict[str, int]:
    """Create the demo casework of 舒城县应急管理局; does nothing if the bureau already has cases."""
    from sanxiang.demo.loader import DEMO_AGENCY

    agency = Agency.objects.get(name=DEMO_AGENCY)
    if Case.objects.filter(agency=agency).exists():
        return {}
    _ensure_holidays()
    users = {u.username: u for u in User.objects.filter(agency=agency)}
    officers = {o.name: o for o in Officer.objects.filter(agency=agency)}
    categories = {c.code: c for c in EnforcementCategory.objects.all()}
    w = _World(today, agency, users, officers, categories, {}, _Timeline())
    _parties(w)
    _inspections(w)
    # The bureau's review catalog (domain.md §4: 个人2万元、单位5万元，含本数), in force before any
    # submission.
    review_services.catalog_publish(
        actor=w.users["admin"], agency=agency, spec=review_catalog.WORK_SAFETY, note="初始目录清单"
    )
    _cases(w)
    _reviews(w)
    w.timeline.play()
    return {
        "parties": len(w.parties),
        "inspections": Inspection.objects.filter(agency=agency).count(),
        "cases": Case.objects.filter(agency=agency).count(),
        **w.counts,
    }


def _parties(w: _World) -> None:
    actor = w.users["officer"]
    for key, name, body, representative, address in ORGANISATIONS:
        w.parties[key] = party_create(
            actor=actor,
            agency=w.agency,
            kind=PartyKind.ORGANISATION,
            name=name,
            credit_code=credit_code(body),
            legal_representative=representative,
            address=address,
            phone=f"0564-86{21 + len(w.parties):02d}{300 + 17 * len(w.parties):03d}",
        )
    for key, name, birth, sequence, address in PERSONS:
        w.parties[key] = party_create(
            actor=actor,
            agency=w.agency,
            kind=PartyKind.PERSON,
            name=name,
            resident_id=resident_id(birth, sequence),
            address=address,
            phone=f"139{birth[2:6]}{sequence}{len(w.parties) % 10}",
        )


# ----------------------------------------------------------------------------------------------------
# Inspections: one planned, one closed after its re-check, one with an overdue order, one turned into a case.


def _team(w: _World) -> list[Officer]:
    return [w.officers["陈志远"], w.officers["王晓东"]]


def _inspections(w: _World) -> None:
    officer = w.users["officer"]
    category = w.categories["AQZH"]
    check_item = RandomCheckItem.objects.filter(agency=w.agency, is_active=True).order_by("pk").first()
    holder: dict[str, Any] = {}

    def plan(key: str, party: str, kind: str, planned_on: datetime.date, scope: str) -> Callable[[], None]:
        def run() -> None:
            holder[key] = inspection_services.inspection_plan(
                actor=officer,
                agency=w.agency,
                party=w.parties[party],
                category=category,
                kind=kind,
                planned_on=planned_on,
                officers=_team(w),
                check_items=[check_item] if check_item and kind == InspectionKind.RANDOM else [],
                scope=scope,
            )

        return run

    def visit(key: str, day: datetime.date, place: str, content: str, contact: str) -> Callable[[], None]:
        def run() -> None:
            inspection = holder[key]
            inspection_services.inspection_record(
                inspection=inspection,
                actor=officer,
                started_at=_at(day, 9),
                ended_at=_at(day, 11, 30),
                place=place,
                content=content,
                unit_contact=contact,
            )
            for o in _team(w):
                inspection_services.signature_add(
                    inspection=inspection, actor=officer, signer_kind=SignerKind.OFFICER, officer=o
                )
            inspection_services.signature_add(
                inspection=inspection, actor=officer, signer_kind=SignerKind.UNIT_HEAD, signer_name=contact
            )

        return run

    def hazard(
        key: str, day: datetime.date, description: str, location: str, basis: str, **extra: Any
    ) -> None:
        def run() -> None:
            holder[f"{key}:hazard"] = inspection_services.hazard_add(
                inspection=holder[key],
                actor=officer,
                description=description,
                location=location,
                legal_basis=basis,
                on=day,
                **{"handling": Handling.ORDER, **extra},
            )

        w.timeline.at(day, run)

    def order(key: str, day: datetime.date, due_on: datetime.date, requirement: str) -> None:
        def run() -> None:
            inspection_services.rectification_order_issue(
                inspection=holder[key],
                actor=officer,
                due_on=due_on,
                requirements={holder[f"{key}:hazard"].pk: requirement},
                issued_on=day,
            )

        w.timeline.at(day, run)

    # 1. Planned: a 双随机 check next week.
    planned_on = w.today + datetime.timedelta(days=5)
    w.timeline.at(
        w.ago(3), plan("planned", "longshu", InspectionKind.RANDOM, planned_on, "双随机抽查：安全生产管理")
    )

    # 2. Rectified and closed: order, re-check within the period, 办结.
    day = w.ago(150)
    w.timeline.at(
        _back(day, 3), plan("closed", "fengle", InspectionKind.KEY, day, "食品加工企业有限空间作业专项检查")
    )
    w.timeline.at(
        day,
        visit(
            "closed",
            day,
            "舒城县丰乐食品有限公司生产车间及污水处理站",
            "检查有限空间作业管理制度、作业审批和现场警示标志。",
            "周玉兰",
        ),
    )
    hazard("closed", day, "污水处理站有限空间未设置明显的安全警示标志", "污水处理站", "安全生产法第三十五条")
    order("closed", day, day + datetime.timedelta(days=15), "设置有限空间安全警示标志，建立作业审批台账")
    recheck_day = _forward(day, 9)

    def recheck() -> None:
        inspection = holder["closed"]
        inspection_services.recheck_record(
            inspection=inspection,
            actor=officer,
            results={holder["closed:hazard"].pk: True},
            opinion="经复查，已按要求设置警示标志并建立作业审批台账，隐患已整改。",
            rechecked_on=recheck_day,
        )
        inspection_services.inspection_close(inspection=inspection, actor=officer, note="隐患已整改完毕")

    w.timeline.at(recheck_day, recheck)

    # 3. Order overdue: the period ended ten days ago and no re-check is recorded.
    day = w.ago(40)
    w.timeline.at(
        _back(day, 2), plan("overdue", "shunda", InspectionKind.SPECIAL, day, "仓储物流企业消防安全专项检查")
    )
    w.timeline.at(
        day,
        visit(
            "overdue",
            day,
            "舒城县顺达仓储物流有限公司1号、2号仓库",
            "检查仓库消防设施、安全出口和电气线路。",
            "郑开明",
        ),
    )
    hazard("overdue", day, "2号仓库应急照明灯损坏，未及时维修", "2号仓库", "安全生产法第三十六条")
    order("overdue", day, w.today - datetime.timedelta(days=10), "修复或更换应急照明灯，并建立定期检测记录")

    # 4. Turned into a case: a welder without a certificate (the case stays a lead, the act date to be fixed).
    day = w.ago(4)
    w.timeline.at(
        _back(day, 1), plan("to_case", "tianyu", InspectionKind.COMPLAINT, day, "投诉举报核查：无证焊接")
    )
    w.timeline.at(
        day,
        visit(
            "to_case",
            day,
            "舒城县天宇五金加工有限公司焊接车间",
            "核查群众举报的无证电焊作业问题，检查特种作业人员持证情况。",
            "吴德胜",
        ),
    )
    hazard(
        "to_case",
        day,
        "焊工1名未取得特种作业操作证从事电焊作业",
        "焊接车间",
        "安全生产法第三十条",
        handling=Handling.ON_SPOT,
        corrected_note="已责令该人员立即停止作业",
    )

    def to_case() -> None:
        inspection_services.inspection_to_case(
            inspection=holder["to_case"],
            actor=officer,
            hazards=[holder["to_case:hazard"]],
            title="特种作业人员未持证上岗作业案",
        )

    w.timeline.at(day, to_case)


# ----------------------------------------------------------------------------------------------------
# Cases


def _case(
    w: _World,
    *,
    end: datetime.date,
    title: str,
    party: str,
    steps: Sequence[Step],
    open_gap: int = 1,
    officers: tuple[str, ...] = ("陈志远", "王晓东"),
    handler: str = "officer",
    category: str = "AQZH",
    source: str = CaseSource.INSPECTION,
    source_reference: str = "",
    facts: str = "",
    act_days: int = 10,
    is_major: bool = False,
    procedure: str = "general",
) -> None:
    """A case whose last step happens on ``end``; the earlier steps are counted back by their gaps."""
    days = [end] if steps else []
    for step in reversed(steps[1:]):
        days.insert(0, _back(days[0], step.gap))
    # A filing approved later than the limit would run its 90-day clock into a year without a holiday table:
    # the acts up to the approval move back, and the investigation takes longer.
    filing = next((i for i, step in enumerate(steps) if step.action == Action.APPROVE_FILING), None)
    if filing is not None and days[filing] > w.filing_limit:
        days[filing] = w.filing_limit
        for i in range(filing - 1, -1, -1):
            days[i] = min(days[i], _back(days[i + 1], steps[i + 1].gap))
    opened = _back(days[0], open_gap) if steps else end
    holder: dict[str, Any] = {}

    def run_open() -> None:
        holder["case"] = case_services.case_open(
            actor=w.users[handler],
            agency=w.agency,
            title=title,
            category=w.categories[category],
            source=source,
            source_reference=source_reference,
            parties=[w.parties[party]],
            officers=[w.officers[name] for name in officers],
            facts=facts,
            act_date=opened - datetime.timedelta(days=act_days),
            discovered_on=opened,
            is_major=is_major,
            procedure=procedure,
        )

    w.timeline.at(opened, run_open)
    for day, step in zip(days, steps, strict=True):
        w.timeline.at(day, _perform(w, holder, step, day, handler))


def _perform(
    w: _World, holder: dict[str, Any], step: Step, day: datetime.date, handler: str
) -> Callable[[], None]:
    def run() -> None:
        case: Case = holder["case"]
        if step.other is not None:
            step.other(case, day)
            return
        data = _chair(w, step.data(day) if callable(step.data) else step.data)
        who = handler if step.who == "officer" else step.who
        # The documents the row of the table names are drafted from the case and issued first (the gate).
        issued = documents.prepare(case, step.action, data=data)
        w.bump("documents", len(issued))
        case_services.case_transition(
            case=case, action=step.action, actor=w.users[who], note=step.note, **data
        )

    return run


def _filing() -> list[Step]:
    return [
        S(1, Action.SUBMIT_FILING, "officer"),
        S(1, Action.REVIEW_FILING, "sectionhead"),
        S(1, Action.APPROVE_FILING, "leader"),
    ]


def _reviewed(penalties: list[dict[str, Any]], **flags: Any) -> list[Step]:
    return [
        *_filing(),
        S(15, Action.REPORT_INVESTIGATION, "officer", report=REPORT),
        S(2, Action.SUBMIT_CASE_REVIEW, "officer", proposed_outcome="penalty", penalties=penalties, **flags),
    ]


def _notified(penalties: list[dict[str, Any]], **flags: Any) -> list[Step]:
    return [
        *_reviewed(penalties, **flags),
        S(2, Action.APPROVE_PENALTY_PROPOSAL, "leader"),
        S(2, Action.NOTIFY_PENALTY, "officer"),
    ]


def _hearing_requested(penalties: list[dict[str, Any]], **flags: Any) -> list[Step]:
    return [*_notified(penalties, **flags), S(2, Action.REQUEST_HEARING, "officer")]


def _hearing_scheduled(penalties: list[dict[str, Any]], hearing_in: int, **flags: Any) -> list[Step]:
    return [
        *_hearing_requested(penalties, **flags),
        Step(
            1,
            Action.SCHEDULE_HEARING,
            "officer",
            data=lambda day: {"hearing_on": _forward(day, hearing_in), "chair": "李明辉"},
        ),
    ]


def _statement() -> Step:
    return S(3, Action.RECORD_STATEMENT, "officer", statement="当事人称已开始整改，请求从轻处罚。")


def _waiver() -> Step:
    return S(
        1, Action.WAIVE_RIGHTS, "officer", waiver_reference="当事人于告知当日签署放弃陈述申辩和听证权利声明"
    )


def _discussion(w: _World) -> Step:
    participants = [w.users[u].pk for u in ("leader", "sectionhead", "reviewer")]
    return S(
        2,
        Action.RECORD_COLLECTIVE_DISCUSSION,
        "leader",
        participants=participants,
        conclusion="经局长办公会集体讨论，同意承办机构的处罚意见。",
    )


def _handler(case: Case) -> User:
    link = case.case_officers.select_related("officer__user").order_by("pk").first()
    assert link is not None and link.officer.user is not None  # noqa: S101 (every demo case has one)
    return link.officer.user


def _submit_review(w: _World, **extra: Any) -> Callable[[Case, datetime.date], None]:
    """The handler drafts the decision (代拟稿) for the package and submits the case for legal review."""

    def run(case: Case, day: datetime.date) -> None:
        handler = _handler(case)
        if not case.documents.filter(type__key="penalty_decision", void__isnull=True).exists():
            document_services.document_draft(actor=handler, type_key="penalty_decision", case=case)
        review_services.review_submit(actor=handler, case=case, **extra)
        w.bump("review_rounds")

    return run


SOUND = {item.value: (Finding.SOUND, "") for item in CheckItem}


def _opinion(
    w: _World, kind: str, text: str, problems: Mapping[str, str] | None = None, organ: str = ""
) -> Callable[[Case, datetime.date], None]:
    """The reviewer's opinion on the latest round, issued as the numbered 法制审核意见书."""

    def run(case: Case, day: datetime.date) -> None:
        findings = {**SOUND, **{k: (Finding.PROBLEM, v) for k, v in (problems or {}).items()}}
        latest = review_selectors.latest_round(case)
        assert latest is not None  # noqa: S101
        review_services.review_opinion_give(
            actor=w.users["reviewer"], round=latest, kind=kind, findings=findings, text=text, organ=organ
        )
        w.bump("documents")

    return run


def _legal_review_pass(w: _World) -> list[Step]:
    return [
        X(1, _submit_review(w)),
        X(3, _opinion(w, OpinionKind.APPROVE, "事实清楚，证据充分，适用依据正确，程序合法，处罚适当。")),
    ]


def _object(w: _World, reasons: str) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        latest = review_selectors.latest_round(case)
        assert latest is not None  # noqa: S101
        review_services.review_object(actor=_handler(case), opinion=latest.opinion, reasons=reasons)

    return run


def _meeting(w: _World, outcome: str, minutes: str) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        latest = review_selectors.latest_round(case)
        assert latest is not None  # noqa: S101
        review_services.review_meeting_record(
            actor=w.users["leader"],
            objection=latest.opinion.objection,
            held_on=day,
            participants=[w.users[u] for u in ("leader", "sectionhead", "reviewer")],
            minutes=minutes,
            outcome=outcome,
        )

    return run


def _chair(w: _World, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("chair") in w.officers:
        data = {**data, "chair": w.officers[data["chair"]].pk}
    return data


def _cases(w: _World) -> None:
    """One case per stage of the table (and per ending of a case review), read top to bottom."""
    # 案源登记: a complaint not yet submitted for filing (the inspection above adds a second lead).
    _case(
        w,
        end=w.ago(2),
        title="涉嫌未按规定设置安全出口案",
        party="wanfo",
        steps=[],
        source=CaseSource.COMPLAINT,
        source_reference="12345-2026-1108",
        facts="群众举报该公司生产车间安全出口被成品堆放堵塞。",
    )
    # 立案待审核、立案待批准.
    _case(
        w,
        end=w.ago(3),
        title="未按规定对从业人员进行安全生产教育和培训案",
        party="hengda",
        steps=_filing()[:1],
    )
    _case(w, end=w.ago(5), title="未建立事故隐患排查治理制度案", party="shuhua", steps=_filing()[:2])
    # 调查取证, overdue: filed more than 90 days ago and still no decision (行政处罚法 Art.60).
    _case(
        w,
        end=w.ago(140),
        title="安全设备未经常性维护保养案",
        party="huatai",
        steps=_filing(),
        facts="检查发现该公司冲压车间安全光幕失效，未按规定维护、保养。",
    )
    # 调查取证 with a 查封扣押 in force, extended once (行政强制法 Art.25).
    _case(
        w,
        end=w.ago(16),
        title="未采取措施消除事故隐患案",
        party="nangang",
        steps=[*_filing(), X(3, _measure_start(w)), X(14, _measure_extend(w))],
        category="AQZH",
        facts="该公司爆破器材临时存放点未按规定设置防雷设施，经责令整改逾期未改正。",
    )
    # 调查终结、案件处理呈批、待处罚告知.
    _case(
        w,
        end=w.ago(9),
        title="生产经营场所安全出口堵塞案",
        party="longshu",
        steps=_reviewed([fine(20000, ART105)])[:-1],
    )
    _case(
        w,
        end=w.ago(7),
        title="未如实记录安全生产教育培训情况案",
        party="fengle",
        steps=_reviewed([fine(15000, ART97)]),
    )
    _case(
        w,
        end=w.ago(6),
        title="未对安全设备进行定期检测案",
        party="shunda",
        steps=_notified([fine(30000, ART99)])[:-1],
    )
    # 陈述申辩期 with a hearing right (罚款 ≥ 5万元 for an organisation): the request window is running.
    _case(
        w,
        end=w.ago(2),
        title="危险化学品储存场所未设置安全设施案",
        party="xinyuan",
        steps=_notified([fine(80000, ART99)]),
        officers=("王晓东", "周海涛"),
        handler="officer2",
        category="WHP",
    )
    # 听证: requested, scheduled (notice still to be served), notified (hearing ahead).
    _case(
        w,
        end=w.ago(1),
        title="主要负责人未履行安全生产管理职责案",
        party="shuhua",
        steps=_hearing_requested([fine(60000, ART94)]),
    )
    _case(
        w,
        end=w.ago(2),
        title="未建立健全事故隐患排查治理制度案",
        party="hengda",
        steps=[*_hearing_scheduled([fine(50000, ART101)], hearing_in=14)],
    )
    _case(
        w,
        end=w.ago(5),
        title="烟花爆竹仓库超量储存案",
        party="huifeng",
        steps=[
            *_hearing_scheduled([fine(100000, ART102)], hearing_in=10),
            S(1, Action.NOTIFY_HEARING, "officer"),
        ],
    )
    # 待作出决定 after a written waiver; 法制审核; 法制审核通过; 已集体讨论 (major cases).
    _case(
        w,
        end=w.ago(8),
        title="未按规定佩戴劳动防护用品案",
        party="tianyu",
        steps=[*_notified([fine(8000, ART97)]), _waiver()],
    )
    major = {"is_major": True}
    # In review and overdue: submitted more than 5 working days ago, no opinion yet (first on the queue).
    _case(
        w,
        end=w.ago(12),
        title="粉尘涉爆场所未按规定清扫案",
        party="wanfo",
        steps=[
            *_notified([fine(40000, ART102)], **major),
            _statement(),
            X(1, _submit_review(w)),
        ],
    )
    _case(
        w,
        end=w.ago(10),
        title="有限空间作业未执行审批制度案",
        party="fengle",
        steps=[*_notified([fine(45000, ART101)], **major), _statement(), *_legal_review_pass(w)],
    )
    _case(
        w,
        end=w.ago(12),
        title="尾矿库未按规定进行安全检查案",
        party="nangang",
        steps=[
            *_notified([fine(48000, ART102)], **major),
            _statement(),
            *_legal_review_pass(w),
            _discussion(w),
        ],
    )
    # 已作出决定, overdue: decided 20 days ago and not delivered within 7 working days (行政处罚法 Art.61).
    _case(
        w,
        end=w.ago(20),
        title="叉车未经定期检验继续使用案",
        party="shunda",
        steps=[
            *_notified([fine(12000, ART99)]),
            S(6, Action.LAPSE_DEFENCE_PERIOD, "officer"),
            S(2, Action.DECIDE, "leader", penalties=[fine(12000, ART99)]),
        ],
    )
    # 不予行政处罚 (Art.33), delivered and submitted for closing: the 结案待审批 stage.
    _case(
        w,
        end=w.ago(15),
        title="未及时更新安全警示标志案",
        party="longshu",
        steps=[
            *_filing(),
            S(10, Action.REPORT_INVESTIGATION, "officer", report=REPORT),
            S(2, Action.SUBMIT_CASE_REVIEW, "officer", proposed_outcome="no_penalty"),
            S(2, Action.DECIDE_NO_PENALTY, "leader", reason="first_offence"),
            S(2, Action.DELIVER, "officer", method="直接送达"),
            S(2, Action.SUBMIT_CLOSING, "officer"),
        ],
    )
    # 简易程序: decided on the spot and awaiting 备案; another one reported, its fine running.
    _case(
        w,
        end=w.ago(1),
        title="个人违规动火作业案",
        party="chengxiaobing",
        source=CaseSource.INSPECTION,
        steps=[
            S(
                0,
                Action.DECIDE_ON_SPOT,
                "officer",
                form_number="舒应急简〔2026〕0015号",
                penalties=[warning("未经审批在仓储场所动火作业（安全生产法第一百零二条）")],
            )
        ],
        open_gap=0,
        procedure="simple",
    )
    _case(
        w,
        end=w.ago(3),
        title="个人在加油站内吸烟案",
        party="liudehai",
        steps=[
            S(
                0,
                Action.DECIDE_ON_SPOT,
                "officer",
                form_number="舒应急简〔2026〕0014号",
                penalties=[fine(200, "在易燃易爆场所吸烟（安全生产法第一百零二条）")],
            ),
            S(1, Action.REPORT_ON_SPOT, "sectionhead"),
        ],
        open_gap=0,
        procedure="simple",
    )
    # 已送达待执行, overdue: the fine is 15 days past due and the late fee runs (行政处罚法 Art.67, 72).
    _case(
        w,
        end=w.ago(40),
        title="未按规定设置安全生产管理机构案",
        party="huatai",
        steps=[
            *_notified([fine(20000, ART94)]),
            _waiver(),
            S(2, Action.DECIDE, "leader", penalties=[fine(20000, ART94)]),
            S(2, Action.DELIVER, "officer", method="直接送达"),
        ],
    )
    # 申请法院强制执行: unpaid for months (行政强制法 Art.53).
    _case(
        w,
        end=w.ago(30),
        title="未按规定进行安全评价案",
        party="xinyuan",
        steps=[
            *_notified([fine(10000, ART101)]),
            _waiver(),
            S(2, Action.DECIDE, "leader", penalties=[fine(10000, ART101)]),
            S(2, Action.DELIVER, "officer", method="邮寄送达"),
            S(130, Action.APPLY_COURT_ENFORCEMENT, "leader"),
        ],
    )
    # 执行完毕: a warning, executed by the officer.
    _case(
        w,
        end=w.ago(25),
        title="未如实告知从业人员作业场所危险因素案",
        party="wangchunmei",
        steps=[
            *_notified([warning(ART97)]),
            _waiver(),
            S(2, Action.DECIDE, "leader", penalties=[warning(ART97)]),
            S(1, Action.DELIVER, "officer", method="直接送达"),
            S(5, Action.COMPLETE_EXECUTION, "officer"),
        ],
    )
    # 待结案: not established, referred to the police, filing withdrawn.
    _case(
        w,
        end=w.ago(50),
        title="涉嫌未按规定存放危险物品案",
        party="huifeng",
        steps=[
            *_filing(),
            S(12, Action.REPORT_INVESTIGATION, "officer", report="经调查，现有证据不足以证明违法事实。"),
            S(2, Action.SUBMIT_CASE_REVIEW, "officer", proposed_outcome="not_established"),
            S(2, Action.FIND_NOT_ESTABLISHED, "leader", note="证据不足，违法事实不能成立。"),
        ],
    )
    _case(
        w,
        end=w.ago(70),
        title="涉嫌非法储存烟花爆竹案",
        party="chengxiaobing",
        steps=[
            *_filing(),
            S(8, Action.REPORT_INVESTIGATION, "officer", report="当事人非法储存烟花爆竹数量较大，涉嫌犯罪。"),
            S(1, Action.SUBMIT_CASE_REVIEW, "officer", proposed_outcome="referral"),
            S(1, Action.REFER, "leader", note="涉嫌构成非法储存爆炸物罪", organ="舒城县公安局"),
        ],
    )
    _case(
        w,
        end=w.ago(90),
        title="涉嫌未按规定进行安全培训案",
        party="tianyu",
        steps=[*_filing(), S(6, Action.WITHDRAW_FILING, "leader", note="当事人不属于本机关管辖，撤销立案。")],
    )
    # 已归档: fined, paid on time at the bank, closed and archived.
    _case(
        w,
        end=w.ago(60),
        title="未按规定组织应急救援演练案",
        party="longshu",
        steps=[
            *_notified([fine(10000, ART101)]),
            _waiver(),
            S(2, Action.DECIDE, "leader", penalties=[fine(10000, ART101)]),
            S(1, Action.DELIVER, "officer", method="直接送达"),
            X(6, _pay(w, "3402106020260001", with_late_fee=False)),
            S(2, Action.SUBMIT_CLOSING, "officer"),
            S(2, Action.APPROVE_CLOSING, "leader"),
            S(5, Action.ARCHIVE, "archivist"),
        ],
    )
    # 已结案: the full general procedure — 先行登记保存 and its handling decision, hearing, legal review,
    # collective discussion, decision lighter than notified, delivery, payment with the late fee, closing.
    _case(
        w,
        end=w.ago(120),
        title="粉尘防爆设施未正常运行导致闪燃事故案",
        party="shuhua",
        is_major=True,
        facts="2026年该公司抛光车间除尘系统未正常运行，发生粉尘闪燃，造成1名从业人员轻伤。",
        steps=[
            *_filing(),
            X(1, _inquiry(w, "李文涛", "安徽舒华新材料科技有限公司法定代表人")),
            X(1, _preservation(w, with_documents=True)),
            X(4, _preservation_handle(w, with_documents=True)),
            S(10, Action.REPORT_INVESTIGATION, "officer", report=REPORT),
            S(
                2,
                Action.SUBMIT_CASE_REVIEW,
                "officer",
                proposed_outcome="penalty",
                penalties=[fine(60000, ART102)],
                is_major=True,
            ),
            S(2, Action.APPROVE_PENALTY_PROPOSAL, "leader"),
            S(1, Action.NOTIFY_PENALTY, "officer"),
            X(0, _refused_notice(w, "杭埠镇安全生产监督管理站 刘勇")),
            S(2, Action.REQUEST_HEARING, "officer"),
            Step(
                1,
                Action.SCHEDULE_HEARING,
                "officer",
                data=lambda day: {"hearing_on": _forward(day, 10), "chair": "李明辉"},
            ),
            S(1, Action.NOTIFY_HEARING, "officer"),
            S(
                9,
                Action.RECORD_HEARING,
                "officer",
                record="听证笔录：当事人陈述已整改除尘系统，请求从轻处罚。",
                report="听证报告：建议罚款五万元。",
            ),
            *_legal_review_pass(w),
            _discussion(w),
            S(1, Action.DECIDE, "leader", penalties=[fine(50000, ART102)]),
            S(2, Action.DELIVER, "officer", method="直接送达"),
            X(18, _pay(w, "3402106020260002", with_late_fee=True)),
            S(2, Action.SUBMIT_CLOSING, "officer"),
            S(2, Action.APPROVE_CLOSING, "leader"),
        ],
    )


def _reviews(w: _World) -> None:
    """Legal review (行政处罚法第五十八条) beyond a plain 同意: a correction, a transfer, a disagreement.

    Each fine reaches the catalog's 5万元 for an organisation, which also gives a hearing right and calls for
    collective discussion.
    """
    problem = {CheckItem.LAW_DISCRETION.value: "罚款数额未说明适用裁量基准的档次，请补充裁量说明。"}
    # 纠正 → 纠正后重新送审 → 同意 → 集体讨论 → 决定.
    _case(
        w,
        end=w.ago(6),
        title="液氨储罐区未设置泄漏报警装置案",
        party="xinyuan",
        steps=[
            *_notified([fine(60000, ART99)]),
            _statement(),
            X(1, _submit_review(w)),
            X(2, _opinion(w, OpinionKind.CORRECT, "裁量说明不充分，请纠正后重新送审。", problem)),
            X(2, _submit_review(w, note="已补充裁量基准适用说明。")),
            X(2, _opinion(w, OpinionKind.APPROVE, "已按审核意见纠正，事实清楚，处罚适当，同意。")),
            _discussion(w),
            S(1, Action.DECIDE, "leader", penalties=[fine(60000, ART99)]),
        ],
    )
    # 移送: the facts point to a crime (重大责任事故); the leader refers the case (行政处罚法第五十七条
    # 第四项).
    _case(
        w,
        end=w.ago(9),
        title="烟花爆竹批发仓库违规储存引发火灾案",
        party="huifeng",
        steps=[
            *_notified([fine(90000, ART102)]),
            _statement(),
            X(1, _submit_review(w)),
            X(
                3,
                _opinion(
                    w,
                    OpinionKind.TRANSFER,
                    "超量储存烟花爆竹已造成火灾，涉嫌重大责任事故罪，建议移送公安机关。",
                    {CheckItem.CRIME_REFERRAL.value: "涉嫌刑法第一百三十四条重大责任事故罪"},
                    organ="舒城县公安局",
                ),
            ),
            S(2, Action.REFER, "leader", organ="舒城县公安局"),
        ],
    )
    # A disagreement: the handling unit objects to 纠正, the leaders' meeting decides for it, then the
    # decision.
    _case(
        w,
        end=w.ago(5),
        title="未按规定建立隐患排查治理制度案",
        party="shuhua",
        steps=[
            *_notified([fine(55000, ART101)]),
            _statement(),
            X(1, _submit_review(w)),
            X(2, _opinion(w, OpinionKind.CORRECT, "建议适用较低档次罚款。", problem)),
            X(1, _object(w, "当事人曾两次被责令改正仍未建立制度，属于裁量基准第三档，罚款五万五千元适当。")),
            X(
                2,
                _meeting(
                    w,
                    MeetingOutcome.UPHOLD_HANDLER,
                    "局长办公会认为承办机构的裁量理由成立，采纳承办机构意见，按拟定罚款作出决定。",
                ),
            ),
            _discussion(w),
            S(1, Action.DECIDE, "leader", penalties=[fine(55000, ART101)]),
        ],
    )


# ----------------------------------------------------------------------------------------------------
# Documents beyond those the table's rows need: the inquiry, the preservation, the seizure, signatures


def _paper(
    w: _World, key: str, values: Callable[[Case, datetime.date], dict[str, Any]] | None = None
) -> Callable[[Case, datetime.date], None]:
    """Issue one document of ``key`` on the case, its fields completed from the case (and ``values``)."""

    def run(case: Case, day: datetime.date) -> None:
        documents.issue(case, key, **(values(case, day) if values else {}))
        w.bump("documents")

    return run


def _both(*acts: Callable[[Case, datetime.date], None]) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        for act in acts:
            act(case, day)

    return run


def _inquiry(w: _World, person: str, role: str) -> Callable[[Case, datetime.date], None]:
    """询问通知书, then the 询问笔录 the next morning, signed by the person questioned on the tablet."""

    def notice(case: Case, day: datetime.date) -> dict[str, Any]:
        return {
            "inquiry_at": f"{_forward(day, 1).isoformat()}T09:00",
            "inquiry_place": "舒城县应急管理局302询问室",
            "materials": ["营业执照复印件", "法定代表人身份证明", "除尘系统运行和维护记录"],
            "contact": "陈志远 0564-8621300",
        }

    def record(case: Case, day: datetime.date) -> None:
        document = documents.issue(
            case,
            "inquiry_record",
            started_at=f"{day.isoformat()}T09:05",
            ended_at=f"{day.isoformat()}T10:20",
            place="舒城县应急管理局302询问室",
            person=person,
            person_role=role,
            recorder="王晓东",
            rights_told=True,
            record=(
                "问：我们是舒城县应急管理局执法人员，已向你出示执法证件，你是否看清？答：看清了。\n"
                "问：你有陈述、申辩和申请回避的权利，是否申请回避？答：不申请。\n"
                "问：事故当天抛光车间除尘系统是否运行？答：除尘风机因故障停机，当班人员未及时报告。"
            ),
        )
        signing.signature_hand_sign(
            actor=w.users["officer"],
            document=document,
            role=SignerRole.PARTY,
            signer_name=person,
            data_url=documents.handwriting(person),
        )
        w.bump("documents")

    return _both(_paper(w, "inquiry_notice", notice), record)


def _refused_notice(w: _World, witness: str) -> Callable[[Case, datetime.date], None]:
    """The party refuses to sign the 行政处罚告知书; the officer notes it before a witness (Art.52)."""

    def run(case: Case, day: datetime.date) -> None:
        notice = case.documents.get(type__key="penalty_notice")
        signing.signature_refusal_record(
            actor=w.users["officer"],
            document=notice,
            role=SignerRole.PARTY,
            signer_name=notice.fields["party"]["name"],
            note="当事人法定代表人表示对处罚金额有异议，拒绝在告知书上签名。",
            witness_name=witness,
        )

    return run


# ----------------------------------------------------------------------------------------------------
# Acts of the other apps on a case


def _measure_start(w: _World) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        officer, leader = w.users["officer"], w.users["leader"]
        measure = coercion_services.measure_request(
            actor=officer,
            case=case,
            kind=MeasureKind.SEAL,
            reasons="爆破器材临时存放点存在重大事故隐患，逾期未整改，有根据认为不符合保障安全生产的国家标准。",
            basis="安全生产法第六十五条第一款第四项",
            place="舒城县南港镇石岭村采石场爆破器材临时存放点",
        )
        coercion_services.measure_add_item(
            actor=officer,
            measure=measure,
            name="爆破器材临时存放库房",
            quantity=1,
            unit="间",
            specification="砖混结构",
        )
        coercion_services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=leader)
        # 国办发〔2018〕118号: the act is filmed in full; the camera's footage is the measure's 音像记录.
        filmed_from, seconds, device = (
            _at(day, 9, 29) + datetime.timedelta(seconds=40),
            40,
            "执法记录仪 DSJ-0035",
        )
        footage = demo_evidence.import_footage(
            case=case,
            collector=officer,
            name=f"DSJ0035_{day:%Y%m%d}_092940.MP4",
            started_at=filmed_from,
            seconds=seconds,
            device=device,
            caption="查封爆破器材临时存放库房",
        )
        demo_evidence.describe_footage(
            actor=officer,
            evidence=footage,
            act=RecordedAct.SEAL_SEIZE,
            started_at=filmed_from,
            seconds=seconds,
            collectors=[w.officers["陈志远"], w.officers["王晓东"]],
            place=measure.place,
            device=device,
            proves="依法实施查封：出示执法证件、告知当事人、清点并张贴封条的全过程",
            coercive_measure=measure,
        )
        w.bump("av_records")
        # 调阅: the legal reviewer (not a handler) and the city's supervisor open the footage, with reasons.
        reads = access_demo.load_access_demo(
            evidence=footage,
            colleague=w.users["reviewer"],
            supervisor=User.objects.get(username="supervisor"),
            colleague_reason="法制审核：核对查封扣押全程音像记录与查封扣押决定书、现场笔录是否一致",
        )
        w.bump("evidence_views", reads["evidence_views"])
        coercion_services.measure_transition(
            measure=measure,
            action=MeasureAction.IMPLEMENT,
            actor=officer,
            officers=[w.officers["陈志远"], w.officers["王晓东"]],
            period_days=30,
            party_present=True,
            list_in_two_copies=True,
            acted_at=_at(day, 9, 30),
        )
        w.bump("coercive_measures")
        # 行政强制法 Art.24: the decision (it takes the measure's own number) and the list in two copies.
        measure.refresh_from_db()
        items = [{"name": "爆破器材临时存放库房", "specification": "砖混结构", "quantity": 1, "unit": "间"}]
        decision = documents.issue(
            case,
            "seizure_decision",
            measure_kind="seal",
            reasons=measure.reasons,
            basis=measure.basis,
            period_days=30,
            items=items,
            decided_on=day.isoformat(),
        )
        documents.issue(case, "seizure_list", decision_number=decision.number, items=items)
        w.bump("documents", 2)

    return run


def _measure_extend(w: _World) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        measure = case.coercive_measures.get()
        coercion_services.measure_transition(
            measure=measure,
            action=MeasureAction.EXTEND,
            actor=w.users["leader"],
            days=30,
            reason="防雷设施检测需委托有资质的机构进行，情况复杂。",
            notice_reference="延长查封扣押期限告知书已直接送达当事人",
            decided_on=day,
        )
        documents.issue(
            case,
            "seizure_extension_decision",
            decision_number=measure.number,
            reason="防雷设施检测需委托有资质的机构进行，情况复杂。",
            days=30,
            decided_on=day.isoformat(),
        )
        w.bump("documents")

    return run


def _preservation(w: _World, *, with_documents: bool = False) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        officer = w.users["officer"]
        preservation = coercion_services.preservation_request(
            actor=officer,
            case=case,
            reason="除尘系统运行记录和监控硬盘可能被覆盖或灭失，以后难以取得。",
            place="抛光车间中控室",
        )
        coercion_services.preservation_add_item(
            actor=officer, preservation=preservation, name="除尘系统运行记录本", quantity=2, unit="本"
        )
        coercion_services.preservation_add_item(
            actor=officer,
            preservation=preservation,
            name="监控录像硬盘",
            quantity=1,
            unit="块",
            specification="2TB",
        )
        coercion_services.preservation_transition(
            preservation=preservation,
            action=PreservationAction.APPROVE,
            actor=w.users["sectionhead"],
            preserved_on=day,
        )
        w.bump("preservations")
        if with_documents:
            items = [
                {"name": "除尘系统运行记录本", "quantity": 2, "unit": "本"},
                {"name": "监控录像硬盘", "specification": "2TB", "quantity": 1, "unit": "块"},
            ]
            notice = documents.issue(
                case,
                "preservation_notice",
                reason=preservation.reason,
                items=items,
                place=preservation.place,
                preserved_on=day.isoformat(),
                keeping="in_place",
            )
            documents.issue(case, "preservation_list", notice_number=notice.number, items=items)
            w.bump("documents", 2)

    return run


def _preservation_handle(w: _World, *, with_documents: bool = False) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        # 行政处罚法 Art.56: the handling decision within 7 working days of the preservation.
        coercion_services.preservation_transition(
            preservation=case.preservations.get(),
            action=PreservationAction.HANDLE,
            actor=w.users["officer"],
            outcome=PreservationOutcome.RETURN,
            decision_reference="先行登记保存证据处理决定书：复制固定后退还当事人",
            decided_on=day,
        )
        if with_documents:
            notice = case.documents.get(type__key="preservation_notice")
            documents.issue(
                case,
                "preservation_handling_decision",
                notice_number=notice.number,
                outcome="return",
                reasons="有关证据已复制固定，依据《中华人民共和国行政处罚法》第五十六条，退还当事人。",
                decided_on=day.isoformat(),
                items=notice.fields["items"],
            )
            w.bump("documents")

    return run


def _pay(w: _World, transaction_number: str, *, with_late_fee: bool) -> Callable[[Case, datetime.date], None]:
    def run(case: Case, day: datetime.date) -> None:
        case.refresh_from_db()
        owed = compute_balance(fine_fen=case.fine_fen, delivered_on=case.delivered_on, payments=[], as_of=day)
        if with_late_fee and owed.late_fee_fen == 0:
            raise RuntimeError("the demo payment was meant to be late")
        payment_services.payment_record(
            actor=w.users["officer"],
            case=case,
            amount_fen=owed.total_fen,
            paid_on=day,
            bank_transaction_number=transaction_number,
            payer_name=case.case_parties.get().party.name,
            note="当事人持缴款书到代收银行缴纳",
        )
        w.bump("payments")

    return run
