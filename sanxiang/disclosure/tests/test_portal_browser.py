"""The portal in a real headless Chromium: navigation on a phone-sized screen and accessibility (axe-core)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanxiang.disclosure.tests.browser import axe_violations, describe


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


@pytest.mark.parametrize(
    "where",
    ["home", "agency", "credential_search", "credential"],
)
def test_the_main_portal_pages_have_no_serious_accessibility_violations(page, personas, where):
    url = {
        "home": reverse("disclosure:home"),
        "agency": reverse("disclosure:agency", args=[personas.agency_a.pk]),
        "credential_search": reverse("disclosure:credential_search"),
        "credential": reverse("disclosure:credential", args=[personas.alice_officer.credential_token]),
    }[where]
    page.goto(url)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
