"""The yearly figures with legal review outcomes, and their publication as the annual report (年度报告):
due each 31 January for the previous year (国办发〔2018〕118号), one per agency and year, on the portal once
published."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases import workflow
from sanxiang.core.personas import make_user
from sanxiang.disclosure import annual, selectors, services
from sanxiang.disclosure.models import PublicationKind, PublicationStatus
from sanxiang.disclosure.tests.published_factories import make_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The cases' (and so the services') today, 10 January 2027 unless a test moves it."""

    class Day:
        value = datetime.date(2027, 1, 10)

    found = Day()
    monkeypatch.setattr(workflow, "today", lambda: found.value)
    return found


@pytest.fixture
def discloser(personas: Any) -> Any:
    return make_user("dora", agency=personas.agency_a, roles=[Role.DISCLOSER], name="朵拉")


def test_the_report_is_drafted_from_the_figures_and_due_on_31_january_even_on_a_sunday(
    personas, discloser, day
):
    make_published(personas.agency_a, "甲化工有限公司", fine_yuan=20000)
    make_published(personas.agency_a, "乙化工有限公司", fine_yuan=5000)
    report = annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=2026)
    assert datetime.date(2027, 1, 31).weekday() == 6  # a Sunday: the circular's date is not moved
    assert report.due_on == datetime.date(2027, 1, 31)
    assert report.kind == PublicationKind.AGENCY_INFO and report.status == PublicationStatus.DRAFT
    assert report.report_year == 2026 and report.title == "甲县应急管理局2026年度行政执法数据"
    text = report.versions.get().text
    assert "行政处罚决定：2件，罚款25000.00元。" in text and "出具法制审核意见0件" in text
    assert EventType.ANNUAL_REPORT_DRAFTED in Event.objects.values_list("event_type", flat=True)


def test_the_report_is_on_the_disclosers_queue_and_flagged_overdue_after_31_january(
    client, personas, discloser, day
):
    report = annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=2026)
    client.force_login(discloser)
    page = client.get(reverse("publications:queue")).content.decode()
    assert report.title in page and "2027-01-31" in page and "已逾期" not in page
    (clock,) = [c for c in selectors.clocks_of(None) if c.key == f"publication:{report.pk}:publish"]
    assert clock.due == datetime.date(2027, 1, 31) and "1月31日" in clock.basis
    assert services.publications_run_due(today=datetime.date(2027, 1, 31)).overdue_flagged == 0
    day.value = datetime.date(2027, 2, 1)
    assert services.publications_run_due(today=datetime.date(2027, 2, 1)).overdue_flagged == 1
    assert "已逾期" in client.get(reverse("publications:queue")).content.decode()


def test_a_second_draft_of_the_same_year_is_refused_and_after_publishing_becomes_a_correction(
    personas, discloser, day
):
    report = annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=2026)
    with pytest.raises(ValidationError, match="2026年度报告已存在"):
        annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=2026)
    services.publication_publish(publication=report, actor=discloser)
    make_published(personas.agency_a, "丙化工有限公司", fine_yuan=3000)  # a late figure changes the year
    same = annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=2026)
    assert same.pk == report.pk and same.versions.count() == 2
    assert "罚款3000.00元" in same.versions.get(number=2).text
    with pytest.raises(ValidationError, match="更正须填写公开的更正说明"):
        services.publication_publish(publication=same, actor=discloser)
    services.publication_publish(publication=same, actor=discloser, correction_note="补充统计一件决定")


@pytest.mark.parametrize("year", [2027, 2028])
def test_a_year_not_yet_over_has_no_report(personas, discloser, day, year):
    with pytest.raises(ValidationError, match="只能公开已经结束的年度"):
        annual.annual_report_draft(agency=personas.agency_a, actor=discloser, year=year)


def test_only_the_agencys_discloser_drafts_its_report(personas, day):
    with pytest.raises(PermissionDenied):
        annual.annual_report_draft(agency=personas.agency_a, actor=personas.alice, year=2026)


def test_the_published_report_is_on_the_portal_and_linked_from_the_yearly_page(
    client, personas, discloser, day, django_capture_on_commit_callbacks
):
    client.force_login(discloser)
    response = client.post(reverse("publications:annual_report"), {"year": "2026"})
    report = personas.agency_a.publications.get(report_year=2026)
    assert response.status_code == 302 and response["Location"] == reverse(
        "publications:review", args=[report.pk]
    )
    client.logout()
    statistics = reverse("disclosure:statistics", args=[personas.agency_a.pk])
    assert "查看年度报告" not in client.get(statistics, {"year": 2026}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(publication=report, actor=discloser)
    page = client.get(statistics, {"year": 2026}).content.decode()
    assert "查看年度报告" in page and reverse("disclosure:published_detail", args=[report.pk]) in page
    detail = client.get(reverse("disclosure:published_detail", args=[report.pk])).content.decode()
    assert "甲县应急管理局2026年度行政执法数据" in detail and "二、法制审核" in detail


def test_the_staff_action_explains_a_refusal(client, personas, discloser, day):
    client.force_login(discloser)
    client.post(reverse("publications:annual_report"), {"year": "2026"})
    response = client.post(reverse("publications:annual_report"), {"year": "2026"}, follow=True)
    assert "2026年度报告已存在" in response.content.decode()


def test_the_command_drafts_the_report_and_refuses_a_second_draft(personas, discloser, day, capsys):
    from django.core.management import CommandError, call_command

    call_command("annual_report", year=2026, user="dora")
    assert "公示期限 2027-01-31" in capsys.readouterr().out
    with pytest.raises(CommandError, match="2026年度报告已存在"):
        call_command("annual_report", year=2026, user="dora")
