"""The portal in a real headless Chromium: navigation on a phone-sized screen and accessibility (axe-core)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanxiang.cases.query_code import case_query_code
from sanxiang.deadlines import holiday_data
from sanxiang.deadlines import services as holiday_services
from sanxiang.disclosure.tests.browser import axe_violations, describe
from sanxiang.disclosure.tests.published_factories import make_benchmark
from sanxiang.documents.tests.signing_factories import setting


def test_a_visitor_goes_from_the_home_page_to_an_agency_and_checks_a_credential(page, personas):
    page.goto("/")
    page.get_by_role("link", name=personas.agency_a.name).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == personas.agency_a.name
    assert page.get_by_text(personas.alice_officer.certificate_number).is_visible()
    page.get_by_role("link", name="执法证件查验").click()
    page.get_by_label("执法证号").fill(personas.alice_officer.certificate_number)
    page.get_by_label("姓名").fill(personas.alice_officer.name)
    page.get_by_role("button", name="查验").click()
    assert page.get_by_text("证件有效").first.is_visible()


def test_a_report_is_filed_and_followed_with_its_tracking_code(page, personas):
    for path in holiday_data.shipped_files():
        holiday_services.holiday_year_load(data=holiday_data.read_file(path))
    page.goto("/")
    page.get_by_role("link", name="投诉举报").first.click()
    page.get_by_label("向哪个机关投诉举报").select_option(label=personas.agency_a.name)
    page.get_by_role("radio", name=re.compile("举报")).check()
    page.get_by_label("被投诉举报的单位或人员").fill("某某烟花爆竹经营部")
    page.get_by_label("事项和理由").fill("居民楼下违规存放烟花爆竹。")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    page.get_by_role("link", name="凭跟踪码查询办理情况").click()
    page.get_by_label("跟踪码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("已收到，待受理").is_visible()


def test_a_progress_query_with_the_right_and_a_wrong_code(page, personas, monkeypatch):
    call_command("load_document_catalog", verbosity=0)  # the live server's flush removed the seeded catalog
    case, _decision = setting(personas, monkeypatch).decided()
    page.goto("/progress/")
    page.get_by_label("案件编号或决定书编号").fill(case.number)
    page.get_by_label("查询码").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("alert").inner_text().startswith("案件编号或查询码不正确")
    page.get_by_label("查询码").fill(case_query_code(case))
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("已作出决定，待送达").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    "where",
    [
        "home",
        "agency",
        "credential_search",
        "credential",
        "complaint",
        "track",
        "progress",
        "procedures",
        "published",
        "benchmarks",
    ],
)
def test_the_main_portal_pages_have_no_serious_accessibility_violations(page, personas, where):
    if where == "benchmarks":
        make_benchmark(personas, "甲应急〔2025〕12号", datetime.date(2025, 3, 1), "未设置明显的安全警示标志")
    url = {
        "home": reverse("disclosure:home"),
        "agency": reverse("disclosure:agency", args=[personas.agency_a.pk]),
        "credential_search": reverse("disclosure:credential_search"),
        "credential": reverse("disclosure:credential", args=[personas.alice_officer.credential_token]),
        "complaint": reverse("complaints:new"),
        "track": reverse("complaints:track"),
        "progress": reverse("disclosure:progress"),
        "procedures": reverse("disclosure:procedures"),
        "published": reverse("disclosure:published"),
        "benchmarks": reverse("disclosure:benchmarks", args=[personas.agency_a.pk]),
    }[where]
    page.goto(url)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
