"""事后公开 in a headless Chromium: a keyword search, a decision, a withdrawal notice, axe-core checks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.disclosure.models import PublicationStatus, RevocationGround, Withdrawal
from sanxiang.disclosure.tests.browser import axe_violations, describe
from sanxiang.disclosure.tests.published_factories import make_published


def test_a_visitor_searches_the_published_decisions_and_reads_one(page, personas):
    wanted = make_published(personas.agency_a, "舒城县宏达化工有限公司", fact="安排无证人员从事特种作业")
    make_published(personas.agency_a, "舒城县兴旺烟花爆竹经营部")
    page.goto("/")
    page.get_by_role("link", name="执法决定公示").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "执法决定公示"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("关键词").fill("特种作业")
    page.get_by_role("button", name="检索").click()
    assert page.get_by_role("link", name=wanted.title).is_visible()
    assert page.get_by_role("link", name="舒城县兴旺烟花爆竹经营部行政处罚决定").count() == 0
    page.get_by_role("link", name=wanted.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == wanted.title
    assert page.get_by_text("安排无证人员从事特种作业").first.is_visible()
    assert page.get_by_text("王建国").count() == 0
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_withdrawn_decision_shows_its_notice_with_the_reason(page, personas):
    publication = make_published(
        personas.agency_a, "舒城县宏达化工有限公司", status=PublicationStatus.WITHDRAWN
    )
    Withdrawal.objects.create(
        publication=publication,
        ground=RevocationGround.REVOKED,
        reason="该决定已被舒城县人民政府行政复议决定撤销",
        withdrawn_at=timezone.now(),
    )
    page.goto(reverse("disclosure:published_detail", args=[publication.pk]))
    assert page.get_by_role("heading", name="该信息已撤回").is_visible()
    assert page.get_by_text("行政复议决定撤销").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("where", ["transparency", "statistics"])
def test_the_figures_pages_have_no_serious_accessibility_violations(page, personas, where):
    make_published(personas.agency_a, "舒城县宏达化工有限公司")
    url = {
        "transparency": reverse("disclosure:transparency") + "?year=2026",
        "statistics": reverse("disclosure:statistics", args=[personas.agency_a.pk]) + "?year=2026",
    }[where]
    page.goto(url)
    assert page.get_by_role("heading", level=1).is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
