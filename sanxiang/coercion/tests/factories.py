"""A small world for coercion tests: a case in each agency, a leader and a section head of agency A.

Helpers walk a measure through its procedure by the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Officer
from sanxiang.cases.models import Case, CaseSource
from sanxiang.cases.services import case_open
from sanxiang.cases.tests import av_factories
from sanxiang.coercion import services
from sanxiang.coercion.models import (
    CoerciveMeasure,
    MeasureAction,
    MeasureKind,
    Preservation,
    PreservationAction,
)
from sanxiang.core.personas import Personas, make_officer, make_user
from sanxiang.evidence.models import AVRecord, RecordedAct
from sanxiang.parties.tests.factories import make_company

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment on ``day`` (YYYY-MM-DD), local time."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), SHANGHAI)


@dataclass
class World:
    p: Personas
    leader: User
    section_head: User
    case: Case
    case_b: Case
    officers: list[Officer]  # two certified officers of agency A: Alice and Bob


def make_world(p: Personas) -> World:
    leader = make_user("lin", agency=p.agency_a, roles=["leader"], name="林局")
    section_head = make_user("song", agency=p.agency_a, roles=["section_head"], name="宋股")
    bob_officer = Officer.objects.get(user=p.bob)
    company = make_company(actor=p.alice, agency=p.agency_a)
    case = case_open(
        actor=p.alice,
        agency=p.agency_a,
        title="某某化工有限公司违规储存危险化学品案",
        category=p.category,
        source=CaseSource.INSPECTION,
        parties=[company],
        officers=[p.alice_officer, bob_officer],
    )
    company_b = make_company(actor=p.charlie, agency=p.agency_b)
    case_b = case_open(
        actor=p.charlie,
        agency=p.agency_b,
        title="乙县某公司案",
        category=p.category,
        source=CaseSource.INSPECTION,
        parties=[company_b],
        officers=[p.charlie_officer],
    )
    # Filed (立案) during the investigation: the AV records of the acts are numbered from the case's number.
    for filed, number in ((case, "（甲县）应急立〔2026〕7号"), (case_b, "（乙县）应急立〔2026〕3号")):
        Case.objects.filter(pk=filed.pk).update(number=number)
        filed.number = number
    return World(p, leader, section_head, case, case_b, [p.alice_officer, bob_officer])


def requested(w: World, *, case: Case | None = None, kind: str = MeasureKind.SEAL) -> CoerciveMeasure:
    return services.measure_request(
        actor=w.p.alice,
        case=case or w.case,
        kind=kind,
        reasons="违规储存的危险化学品存在重大事故隐患",
        basis="《安全生产法》第六十五条第一款第四项",
        place="二号仓库",
    )


def add_items(w: World, measure: CoerciveMeasure, count: int = 1) -> None:
    for n in range(count):
        services.measure_add_item(
            actor=w.p.alice,
            measure=measure,
            name=f"液氨钢瓶{n + 1}",
            quantity="3",
            unit="个",
            specification="50L",
        )


def record_av(
    w: World,
    measure: CoerciveMeasure,
    acted_at: datetime.datetime,
    *,
    act: str = RecordedAct.SEAL_SEIZE,
    tied: bool = True,
    actor: User | None = None,
    collectors: list[Officer] | None = None,
) -> AVRecord:
    """The body-worn camera's video of the act, uploaded to the case and described as its 音像记录."""
    return av_factories.record_av(
        measure.case,
        act,
        actor=actor or w.p.alice,
        collectors=collectors or w.officers,
        started_at=acted_at - datetime.timedelta(minutes=30),
        coercive_measure=measure if tied else None,
    )


def decision(w: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "officers": w.officers,
        "period_days": 30,
        "party_present": True,
        "witness_name": "",
        "list_in_two_copies": True,
    }
    values.update(overrides)
    return values


def approved(w: World, **kwargs: Any) -> CoerciveMeasure:
    measure = requested(w, **kwargs)
    services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=w.leader)
    measure.refresh_from_db()
    return measure


def in_force(w: World, acted_at: datetime.datetime | None = None, **kwargs: Any) -> CoerciveMeasure:
    """A measure approved, decided and carried out at ``acted_at`` (default 2026-03-02 10:00)."""
    acted_at = acted_at or at("2026-03-02")
    measure = approved(w, **kwargs)
    add_items(w, measure)
    record_av(w, measure, acted_at)
    services.measure_transition(
        measure=measure, action=MeasureAction.IMPLEMENT, actor=w.p.alice, acted_at=acted_at, **decision(w)
    )
    measure.refresh_from_db()
    return measure


def emergency(w: World, acted_at: datetime.datetime) -> CoerciveMeasure:
    return services.measure_act_emergency(
        actor=w.p.alice,
        case=w.case,
        kind=MeasureKind.SEIZE,
        reasons="危险化学品正在装车外运，情况紧急",
        basis="《安全生产法》第六十五条第一款第四项",
        acted_at=acted_at,
    )


def reported(w: World, acted_at: datetime.datetime) -> CoerciveMeasure:
    measure = emergency(w, acted_at)
    add_items(w, measure)
    record_av(w, measure, acted_at)
    services.measure_transition(measure=measure, action=MeasureAction.REPORT, actor=w.p.alice, **decision(w))
    measure.refresh_from_db()
    return measure


def preservation_requested(w: World, *, items: int = 1) -> Preservation:
    preservation = services.preservation_request(
        actor=w.p.alice, case=w.case, reason="账册可能被转移销毁", place="本局证物室"
    )
    for n in range(items):
        services.preservation_add_item(
            actor=w.p.alice, preservation=preservation, name=f"出入库台账{n + 1}", quantity=1, unit="本"
        )
    return preservation


def preserved(w: World, preserved_on: datetime.date) -> Preservation:
    preservation = preservation_requested(w)
    services.preservation_transition(
        preservation=preservation,
        action=PreservationAction.APPROVE,
        actor=w.section_head,
        preserved_on=preserved_on,
    )
    preservation.refresh_from_db()
    return preservation


def uncertified_officer(w: World, *, expired: bool = False, other_category: bool = False) -> Officer:
    from sanxiang.agencies.models import EnforcementCategory

    category = w.p.category
    if other_category:
        category, _ = EnforcementCategory.objects.get_or_create(code="ZYWS", defaults={"name": "职业卫生"})
    return make_officer(
        None,
        agency=w.p.agency_a,
        name="周某",
        number="34152301099",
        category=category,
        valid_to=datetime.date(2025, 12, 31) if expired else None,
    )
