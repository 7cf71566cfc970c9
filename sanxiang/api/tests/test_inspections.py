import pytest

from sanxiang.api.tests.conftest import Api, token_for
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.inspections.models import Inspection
from sanxiang.inspections.tests.factories import PLANNED_ON, make_team, plan


@pytest.fixture
def team(personas, holidays):
    return make_team(personas)


@pytest.fixture
def inspection(team):
    return plan(team)


def body(team, **changes):
    values = {
        "party_id": team.party.pk,
        "category_id": team.personas.category.pk,
        "kind": "key",
        "planned_on": PLANNED_ON.isoformat(),
        "officer_ids": [o.pk for o in team.officers],
        "scope": "危险化学品储存场所",
    }
    values.update(changes)
    return values


def test_the_inspection_list_is_paginated_and_scoped(alice_api, charlie_api, inspection):
    listed = alice_api.get("/inspections").json()
    assert listed["count"] == 1
    assert listed["items"][0]["number"] == inspection.number
    assert charlie_api.get("/inspections").json()["count"] == 0


def test_the_inspection_list_filters_by_stage(alice_api, inspection):
    assert alice_api.get("/inspections", stage="planned").json()["count"] == 1
    assert alice_api.get("/inspections", stage="closed").json()["count"] == 0


def test_an_inspection_with_its_officers(alice_api, inspection):
    detail = alice_api.get(f"/inspections/{inspection.pk}").json()
    assert detail["stage"] == "planned"
    assert [o["name"] for o in detail["officers"]] == ["艾丽", "丹"]
    assert detail["scope"] == "危险化学品储存场所"


def test_charlie_cannot_read_agency_as_inspection(charlie_api, inspection):
    response = charlie_api.get(f"/inspections/{inspection.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该行政检查。"}


def test_an_inspection_is_planned_through_the_service(alice_api, team):
    response = alice_api.post("/inspections", body(team))
    assert response.status_code == 201
    created = Inspection.objects.get(pk=response.json()["id"])
    assert created.agency == team.personas.agency_a
    assert response.json()["number"] == created.number
    assert Event.objects.filter(event_type=EventType.INSPECTION_PLANNED, subject_id=str(created.pk)).exists()


def test_one_officer_is_not_enough(alice_api, team):
    response = alice_api.post("/inspections", body(team, officer_ids=[team.personas.alice_officer.pk]))
    assert response.status_code == 400
    assert "不得少于两人" in response.json()["detail"]
    assert not Inspection.objects.exists()


def test_charlie_cannot_plan_with_agency_as_party_or_officers(client, team):
    response = Api(client, token_for(team.personas.charlie)).post("/inspections", body(team))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"party_id", "officer_ids"}
    assert not Inspection.objects.exists()


def test_a_reviewer_may_not_plan_an_inspection(client, team):
    response = Api(client, token_for(team.personas.bob)).post("/inspections", body(team))
    assert response.status_code == 403
    assert not Inspection.objects.exists()
