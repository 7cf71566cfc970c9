"""Inspections for tests, built through the services so that they carry their audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Officer
from sanxiang.core.personas import Personas, make_officer, make_user
from sanxiang.inspections import services
from sanxiang.inspections.models import Handling, Hazard, Inspection, InspectionKind, SignerKind
from sanxiang.parties.models import Party
from sanxiang.parties.tests.factories import make_company

PLANNED_ON = datetime.date(2026, 3, 2)


@dataclass
class Team:
    personas: Personas
    dan: User
    dan_officer: Officer
    party: Party

    @property
    def officers(self) -> list[Officer]:
        return [self.personas.alice_officer, self.dan_officer]


def make_team(personas: Personas) -> Team:
    dan = make_user("dan", agency=personas.agency_a, roles=["officer"], name="丹")
    dan_officer = make_officer(
        dan, agency=personas.agency_a, name="丹", number="34152301003", category=personas.category
    )
    party = make_company(actor=personas.alice, agency=personas.agency_a)
    return Team(personas, dan, dan_officer, party)


def plan(team: Team, **fields: Any) -> Inspection:
    values: dict[str, Any] = {
        "actor": team.personas.alice,
        "agency": team.personas.agency_a,
        "party": team.party,
        "category": team.personas.category,
        "kind": InspectionKind.KEY,
        "planned_on": PLANNED_ON,
        "officers": team.officers,
        "scope": "危险化学品储存场所",
    }
    values.update(fields)
    return services.inspection_plan(**values)


def record(team: Team, inspection: Inspection, **fields: Any) -> Inspection:
    started = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    values: dict[str, Any] = {
        "inspection": inspection,
        "actor": team.personas.alice,
        "started_at": started,
        "ended_at": started + datetime.timedelta(hours=2),
        "place": "舒城县杭埠经济开发区某某化工有限公司仓库",
        "content": "检查了危险化学品仓库、消防设施和安全管理台账。",
        "unit_contact": "李四",
    }
    values.update(fields)
    services.inspection_record(**values)
    return Inspection.objects.get(pk=inspection.pk)


def sign_all(team: Team, inspection: Inspection, *, refused: bool = False) -> None:
    for officer in team.officers:
        services.signature_add(
            inspection=inspection, actor=team.personas.alice, signer_kind=SignerKind.OFFICER, officer=officer
        )
    services.signature_add(
        inspection=inspection,
        actor=team.personas.alice,
        signer_kind=SignerKind.UNIT_HEAD,
        signer_name="李四",
        refused=refused,
        note="负责人拒绝签名，已由现场见证人证明。" if refused else "",
        witness="王五" if refused else "",
    )


def add_hazard(team: Team, inspection: Inspection, handling: str = Handling.ORDER, **fields: Any) -> Hazard:
    values: dict[str, Any] = {
        "inspection": inspection,
        "actor": team.personas.alice,
        "description": "仓库内危险化学品混存",
        "location": "2号仓库",
        "legal_basis": "《危险化学品安全管理条例》第二十四条",
        "handling": handling,
        "on": PLANNED_ON,
    }
    if handling == Handling.ON_SPOT:
        values["corrected_note"] = "已当场分区存放"
    if handling == Handling.MEASURE:
        values["measure_kind"] = "stop_equipment"
        values["measure_content"] = "停止使用2号仓库叉车"
    values.update(fields)
    return services.hazard_add(**values)


def recorded(team: Team, *, signed: bool = True) -> Inspection:
    inspection = record(team, plan(team))
    if signed:
        sign_all(team, inspection)
    return inspection


def order(team: Team, inspection: Inspection, hazards: list[Hazard], **fields: Any) -> Any:
    values: dict[str, Any] = {
        "inspection": inspection,
        "actor": team.personas.alice,
        "issued_on": datetime.date(2026, 3, 2),
        "due_on": datetime.date(2026, 3, 16),
        "requirements": {h.pk: "分区分类存放，设置隔离" for h in hazards},
    }
    values.update(fields)
    return services.rectification_order_issue(**values)
