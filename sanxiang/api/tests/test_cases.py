import datetime
from dataclasses import dataclass

import pytest

from sanxiang.agencies.models import Officer
from sanxiang.api.tests.conftest import Api, token_for
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases import workflow
from sanxiang.cases.models import Case, CaseSource, CaseTransition
from sanxiang.cases.services import case_open
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core.personas import make_officer, make_user
from sanxiang.parties.tests.factories import make_company

TODAY = datetime.date(2026, 3, 2)


@dataclass
class World:
    alice: object
    head: object
    alice_officer: object
    company: object
    p: object


@pytest.fixture
def world(personas, holidays, monkeypatch):
    """Agency A with Alice, a second certified officer, a section head and a company to open cases on."""
    monkeypatch.setattr(workflow, "today", lambda: TODAY)
    a = personas.agency_a
    dave = make_user("dave", agency=a, roles=["officer"], name="戴夫")
    make_officer(dave, agency=a, name="戴夫", number="34152301003", category=personas.category)
    head = make_user("head", agency=a, roles=["section_head"], name="何股长")
    company = make_company(actor=personas.alice, agency=a)
    return World(personas.alice, head, personas.alice_officer, company, personas)


def open_case(world, *officers):
    return case_open(
        actor=world.alice,
        agency=world.p.agency_a,
        title="未按规定对安全设备进行经常性维护、保养",
        category=world.p.category,
        source=CaseSource.INSPECTION,
        parties=[world.company],
        officers=list(officers)
        or list(Officer.objects.filter(agency=world.p.agency_a, user__username__in=["alice", "dave"])),
        act_date=datetime.date(2026, 1, 10),
        discovered_on=datetime.date(2026, 2, 20),
    )


@pytest.fixture
def case(world):
    return open_case(world)


def test_the_case_list_is_paginated_and_scoped(alice_api, case):
    body = alice_api.get("/cases").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == case.pk
    assert body["items"][0]["stage"] == Stage.LEAD
    assert body["items"][0]["title"] == "未按规定对安全设备进行经常性维护、保养"


def test_the_case_list_filters_by_stage_and_category(alice_api, case, personas):
    assert alice_api.get("/cases", stage="lead").json()["count"] == 1
    assert alice_api.get("/cases", stage="investigation").json()["count"] == 0
    assert alice_api.get("/cases", category=personas.category.pk).json()["count"] == 1
    assert alice_api.get("/cases", category=personas.category.pk + 999).json()["count"] == 0


def test_charlie_lists_none_of_agency_as_cases(charlie_api, case):
    assert charlie_api.get("/cases").json() == {"items": [], "count": 0}


def test_a_case_comes_with_the_actions_open_to_the_user(alice_api, case):
    body = alice_api.get(f"/cases/{case.pk}").json()
    assert body["stage_label"] == str(Stage.LEAD.label)
    actions = {a["action"]: a for a in body["available_actions"]}
    assert Action.SUBMIT_FILING in actions
    assert Action.REVIEW_FILING not in actions  # the section head's step
    assert actions[Action.SUBMIT_FILING]["target"] == Stage.FILING_SUBMITTED
    assert {o["name"] for o in body["officers"]} == {"艾丽", "戴夫"}


def test_charlie_cannot_read_agency_as_case(charlie_api, case):
    response = charlie_api.get(f"/cases/{case.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该案件。"}


def test_an_action_is_performed_through_case_transition(alice_api, case, personas):
    response = alice_api.post(f"/cases/{case.pk}/actions/{Action.SUBMIT_FILING}", {"note": "请审批"})
    assert response.status_code == 200
    body = response.json()
    assert body["transition"]["source"] == Stage.LEAD
    assert body["case"]["stage"] == Stage.FILING_SUBMITTED
    transition = CaseTransition.objects.get(case=case)
    assert (transition.actor_id, transition.note) == (personas.alice.pk, "请审批")
    assert Event.objects.filter(event_type=EventType.CASE_STAGE_CHANGED, subject_id=str(case.pk)).count() == 1


def test_charlie_cannot_act_on_agency_as_case(charlie_api, case):
    response = charlie_api.post(f"/cases/{case.pk}/actions/{Action.SUBMIT_FILING}")
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.stage == Stage.LEAD
    assert not CaseTransition.objects.exists()


def test_an_action_outside_the_stage_is_a_conflict_in_chinese(alice_api, case):
    response = alice_api.post(f"/cases/{case.pk}/actions/{Action.DECIDE}")
    assert response.status_code == 409
    assert "\\u" not in response.content.decode()
    assert response.json()["detail"]
    case.refresh_from_db()
    assert case.stage == Stage.LEAD


def test_a_failed_guard_is_a_conflict_with_its_message(client, world):
    lone = open_case(world, world.alice_officer)
    response = Api(client, token_for(world.alice)).post(f"/cases/{lone.pk}/actions/{Action.SUBMIT_FILING}")
    assert response.status_code == 409
    assert "两" in response.json()["detail"]  # 行政处罚法 Art.42: no fewer than two officers
    assert Case.objects.get(pk=lone.pk).stage == Stage.LEAD


def test_a_step_of_another_role_is_forbidden(alice_api, case, world):
    alice_api.post(f"/cases/{case.pk}/actions/{Action.SUBMIT_FILING}")
    response = alice_api.post(f"/cases/{case.pk}/actions/{Action.REVIEW_FILING}")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Case.objects.get(pk=case.pk).stage == Stage.FILING_SUBMITTED


def test_the_section_head_reviews_the_filing_with_their_own_token(client, case, world):
    Api(client, token_for(world.alice)).post(f"/cases/{case.pk}/actions/{Action.SUBMIT_FILING}")
    response = Api(client, token_for(world.head)).post(f"/cases/{case.pk}/actions/{Action.REVIEW_FILING}")
    assert response.status_code == 200
    assert response.json()["case"]["stage"] == Stage.FILING_REVIEWED


def test_data_may_not_override_the_transitions_own_arguments(alice_api, case):
    response = alice_api.post(f"/cases/{case.pk}/actions/{Action.SUBMIT_FILING}", {"data": {"actor": 1}})
    assert response.status_code == 400
    assert "actor" in response.json()["detail"]


def test_the_openapi_document_lists_the_case_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/actions/{action}"} <= set(
        paths
    )
