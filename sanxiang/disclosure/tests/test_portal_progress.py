"""办理进度查询: the case number and query code printed on the party's documents show the stage and dates."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sanxiang.cases.query_code import case_query_code, normalise_query_code
from sanxiang.documents.rendering import layout_for, render_html
from sanxiang.documents.tests.signing_factories import Setting, setting

pytestmark = pytest.mark.django_db
URL = reverse("disclosure:progress")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    return setting(personas, monkeypatch)


def _query(client: Any, number: str, code: str) -> Any:
    return client.post(URL, {"number": number, "code": code})


def test_the_decision_the_party_receives_prints_the_case_number_and_its_query_code(s):
    case, decision = s.decided()
    layout = layout_for(decision)
    assert layout.query_number == case.number
    assert layout.query_code == case_query_code(case)
    html = render_html(decision)
    assert case_query_code(case) in html and "/progress/" in html


def test_a_party_sees_the_stage_and_dates_of_its_case_and_nothing_else(client, s):
    case, _decision = s.decided()
    response = _query(client, case.number, case_query_code(case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已作出决定，待送达" in body
    assert "立案日期" in body and "作出决定日期" in body and "2026年3月2日" in body
    party = case.case_parties.get().party
    assert party.name not in body and case.title not in body and "10000" not in body
    assert response["Cache-Control"] == "no-store"


def test_the_decision_number_and_a_code_typed_loosely_are_accepted(client, s):
    case, _decision = s.decided()
    loose = case_query_code(case).replace("-", " ").lower()
    ascii_number = (
        case.decision_number.replace("（", "(").replace("）", ")").replace("〔", "[").replace("〕", "]")
    )
    assert "已作出决定" in _query(client, ascii_number, loose).content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, s):
    case, _decision = s.decided()
    wrong = "0000-0000" if case_query_code(case) != "0000-0000" else "1111-1111"
    response = _query(client, case.number, wrong)
    assert response.status_code == 400
    body = response.content.decode()
    assert "案件编号或查询码不正确" in body and "已作出决定" not in body


def test_an_unknown_number_is_refused_like_a_wrong_code(client, s):
    response = _query(client, "（甲县）应急立〔2026〕999号", "ABCD-EFGH")
    assert response.status_code == 400 and "案件编号或查询码不正确" in response.content.decode()


def test_both_fields_are_needed(client, db):
    response = _query(client, "（甲县）应急立〔2026〕1号", "")
    assert response.status_code == 400 and "请同时填写案件编号和查询码" in response.content.decode()


def test_five_wrong_codes_close_the_query_even_for_the_right_code(client, s):
    case, _decision = s.decided()
    for _ in range(5):
        assert _query(client, case.number, "ZZZZ-ZZZZ").status_code == 400
    response = _query(client, case.number, case_query_code(case))
    assert response.status_code == 429
    assert "查询码输错次数过多" in response.content.decode()


def test_wrong_codes_from_many_addresses_close_the_query_of_that_case(client, s):
    case, _decision = s.decided()
    for n in range(10):
        client.post(URL, {"number": case.number, "code": "ZZZZ-ZZZZ"}, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(
        URL, {"number": case.number, "code": case_query_code(case)}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_each_case_has_its_own_code_and_another_key_gives_other_codes(s, settings):
    case, _decision = s.decided()
    other = s.case_at()
    assert case_query_code(case) != case_query_code(other)
    before = case_query_code(case)
    settings.QUERY_CODE_KEY = "another-key"
    assert case_query_code(case) != before


def test_confusable_letters_are_read_as_the_digits_they_look_like():
    assert normalise_query_code("o1il-uabc") == "0111-VABC"
