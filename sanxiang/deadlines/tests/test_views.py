from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import User

pytestmark = pytest.mark.usefixtures("holidays")

URL = reverse("deadlines:calculator")


@pytest.fixture
def staff_client(db: None) -> Client:
    user = User.objects.create_user("clerk", password="Sanxiang-Clerk-2026!", display_name="文员")
    client = Client()
    client.force_login(user)
    return client


def test_the_calculator_requires_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_calculator_lists_the_loaded_years_and_their_days(staff_client: Client) -> None:
    page = staff_client.get(URL).content.decode()
    assert "期限计算" in page
    assert "国务院办公厅关于2026年部分节假日安排的通知" in page
    assert "2026-02-28" in page
    assert "调休上班日" in page
    assert 'hx-get="/deadlines/"' in page


def test_an_htmx_request_returns_only_the_result_partial(staff_client: Client) -> None:
    response = staff_client.get(
        URL, {"start": "2026-02-12", "days": "7", "mode": "working"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2026-02-28</strong>" in body
    assert "<html" not in body
    assert "已导入的节假日安排" not in body


def test_a_calendar_period_shows_the_roll_over(staff_client: Client) -> None:
    body = staff_client.get(
        URL, {"start": "2026-09-16", "days": "15", "mode": "calendar"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<strong>2026-10-08</strong>" in body
    assert "名义末日 2026-10-01 为休息日" in body


def test_a_full_page_request_with_parameters_shows_the_result_too(staff_client: Client) -> None:
    body = staff_client.get(URL, {"start": "2026-03-01", "days": "90", "mode": "calendar"}).content.decode()
    assert "<strong>2026-06-01</strong>" in body
    assert "已导入的节假日安排" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-02-30", "days": "7", "mode": "working"}, "起算日期无效"),
        ({"start": "2026-02-12", "days": "-1", "mode": "working"}, "期限天数不能为负数"),
        ({"start": "2026-02-12", "days": "七", "mode": "working"}, "期限天数应为整数"),
        ({"start": "2026-02-12", "days": "7", "mode": "lunar"}, "计算方式无效"),
        ({"start": "", "days": "7", "mode": "working"}, "请填写起算日期"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_computes_nothing(
    staff_client: Client, params: dict[str, str], message: str
) -> None:
    body = staff_client.get(URL, params, headers={"HX-Request": "true"}).content.decode()
    assert message in body
    assert "输入有误，未计算" in body
    assert "<strong>" not in body


def test_a_date_in_an_unloaded_year_names_the_year_and_computes_nothing(staff_client: Client) -> None:
    body = staff_client.get(
        URL, {"start": "2027-03-01", "days": "1", "mode": "working"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "2027年的节假日安排尚未导入" in body
    assert "<strong>" not in body
