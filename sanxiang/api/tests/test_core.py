import json

from sanxiang.api.tests.conftest import Api, token_for
from sanxiang.worklist.tests.conftest import TODAY, clock, install


def test_me_names_the_user_agency_roles_and_certificate(alice_api, personas):
    body = alice_api.get("/me").json()
    assert body["username"] == "alice"
    assert body["display_name"] == "艾丽"
    assert body["agency"] == {"id": personas.agency_a.pk, "name": "甲县应急管理局", "short_name": "甲县"}
    assert body["roles"] == ["officer"]
    assert body["officer"]["certificate_number"] == "34152301001"
    assert body["officer"]["state"] == "valid"
    assert body["officer"]["is_certified"] is True


def test_me_of_a_user_who_is_not_an_officer_has_no_certificate(client, personas):
    body = Api(client, token_for(personas.supervisor)).get("/me").json()
    assert body["officer"] is None
    assert body["roles"] == ["supervisor"]


def test_chinese_is_sent_as_chinese_not_escaped(alice_api):
    response = alice_api.get("/me")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "甲县应急管理局".encode() in response.content
    assert b"\\u" not in response.content


def test_work_lists_the_users_clocks(alice_api, personas, monkeypatch):
    items = [
        clock("case:1:decision_due", 10, agency_id=personas.agency_a.pk),
        clock("case:2:delivery_due", -1, agency_id=personas.agency_a.pk),
    ]
    install(monkeypatch, items)
    monkeypatch.setattr("sanxiang.api.routers.core.timezone.localdate", lambda: TODAY)
    body = alice_api.get("/work").json()
    assert body["today"] == "2026-03-10"
    assert [item["key"] for item in body["items"]] == ["case:2:delivery_due", "case:1:decision_due"]
    assert body["items"][0]["overdue"] is True
    assert body["items"][0]["basis"] == "行政处罚法第六十条"
    assert body["items"][0]["url"].startswith("http://testserver/cases/")
    overdue = alice_api.get("/work", show="overdue").json()
    assert [item["key"] for item in overdue["items"]] == ["case:2:delivery_due"]


def test_charlie_does_not_get_agency_as_clocks(charlie_api, personas, monkeypatch):
    install(monkeypatch, [clock("case:1:decision_due", 10, agency_id=personas.agency_a.pk)])
    assert charlie_api.get("/work").json()["items"] == []


def test_officers_of_the_users_agency(alice_api, personas):
    body = alice_api.get(f"/agencies/{personas.agency_a.pk}/officers").json()
    assert sorted(officer["name"] for officer in body) == ["柏博", "艾丽"]
    assert {officer["state"] for officer in body} == {"valid"}
    assert "执法监督股" in {officer["section"] for officer in body}


def test_officers_of_another_agency_are_not_found(charlie_api, personas):
    response = charlie_api.get(f"/agencies/{personas.agency_a.pk}/officers")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该执法机关。"}


def test_a_supervisor_reads_the_officers_of_agencies_below(client, personas):
    response = Api(client, token_for(personas.supervisor)).get(f"/agencies/{personas.agency_a.pk}/officers")
    assert response.status_code == 200
    assert len(response.json()) == 2


def test_the_openapi_document_is_valid_json_listing_the_paths(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/work", "/api/v1/agencies/{agency_id}/officers"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "移动执法".encode() in response.content


def test_there_is_no_docs_page_that_would_load_assets_from_a_cdn(client, db):
    assert client.get("/api/v1/docs").status_code == 404
