"""The 404, 403 and 500 pages are Chinese pages of the site, never Django's technical pages."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from sanxiang.core.personas import make_personas

pytestmark = pytest.mark.django_db


def test_a_missing_page_of_the_portal_is_a_chinese_page_of_the_portal(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "行政执法公示平台" in body
    assert "Page not found" not in body and "URLconf" not in body


def test_a_missing_case_of_a_signed_in_officer_is_a_staff_page_without_the_query(client):
    personas = make_personas()
    client.force_login(personas.alice)
    response = client.get("/cases/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回工作台" in body
    assert "matches the given query" not in body


def test_a_refusal_says_why_on_a_chinese_page(client):
    personas = make_personas()
    client.force_login(personas.alice)
    response = client.get("/cases/queue/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权办理" in body and "您没有审批职责。" in body


def test_a_server_error_is_a_chinese_page_without_internal_detail():
    response = server_error(RequestFactory().get("/cases/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in body
    assert "Traceback" not in body and "Server Error" not in body


def test_the_demo_serves_its_vendored_assets_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)
