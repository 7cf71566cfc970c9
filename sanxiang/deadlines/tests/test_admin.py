from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.audit import EventType
from sanxiang.audit.models import Event
from sanxiang.deadlines.calendar import is_working_day
from sanxiang.deadlines.models import DayKind, HolidayYear, SpecialDay

pytestmark = pytest.mark.usefixtures("holidays")

D = datetime.date


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.org", "Sanxiang-Admin-2026!")


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def changed_events() -> list[dict[str, object]]:
    return [
        json.loads(e.data)
        for e in Event.objects.filter(event_type=EventType.HOLIDAY_CALENDAR_CHANGED).order_by("seq")
    ]


def test_a_day_added_in_the_admin_is_audited_and_seen_at_once(admin_client: Client, admin_user: User) -> None:
    assert is_working_day(D(2026, 3, 2))  # warms the cache
    year = HolidayYear.objects.get(year=2026)
    response = admin_client.post(
        reverse("admin:deadlines_specialday_add"),
        {"holiday_year": year.pk, "date": "2026-03-02", "kind": DayKind.HOLIDAY, "name": "临时调整"},
    )
    assert response.status_code == 302
    assert not is_working_day(D(2026, 3, 2))
    event = Event.objects.order_by("-seq").first()
    assert event is not None
    assert event.event_type == EventType.HOLIDAY_CALENDAR_CHANGED
    assert event.actor_id == admin_user.pk
    assert event.subject_id == str(year.pk)
    assert json.loads(event.data)["action"] == "day_added"


def test_a_day_changed_in_the_admin_records_old_and_new(admin_client: Client) -> None:
    assert is_working_day(D(2026, 2, 14))
    day = SpecialDay.objects.get(date=D(2026, 2, 14))
    response = admin_client.post(
        reverse("admin:deadlines_specialday_change", args=[day.pk]),
        {"holiday_year": day.holiday_year_id, "date": "2026-02-14", "kind": DayKind.HOLIDAY, "name": "春节"},
    )
    assert response.status_code == 302
    assert not is_working_day(D(2026, 2, 14))
    (data,) = changed_events()
    assert data["action"] == "day_changed"
    assert data["old"] == {"date": "2026-02-14", "kind": "adjusted_workday", "name": "春节"}
    assert data["new"] == {"date": "2026-02-14", "kind": "holiday", "name": "春节"}


def test_a_day_deleted_in_the_admin_is_audited_and_the_week_applies_again(admin_client: Client) -> None:
    assert not is_working_day(D(2026, 2, 23))
    day = SpecialDay.objects.get(date=D(2026, 2, 23))
    response = admin_client.post(reverse("admin:deadlines_specialday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert is_working_day(D(2026, 2, 23))
    assert [e["action"] for e in changed_events()] == ["day_deleted"]


def test_an_invalid_day_is_refused_in_the_admin_and_nothing_is_written(admin_client: Client) -> None:
    year = HolidayYear.objects.get(year=2026)
    before = (SpecialDay.objects.count(), Event.objects.count())
    for date, kind, message in [
        ("2026-03-02", DayKind.ADJUSTED_WORKDAY, "本来就是工作日"),
        ("2025-03-01", DayKind.HOLIDAY, "不属于 2026 年"),
        ("2026-02-14", DayKind.HOLIDAY, "已登记"),
    ]:
        response = admin_client.post(
            reverse("admin:deadlines_specialday_add"),
            {"holiday_year": year.pk, "date": date, "kind": kind, "name": "错误"},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert (SpecialDay.objects.count(), Event.objects.count()) == before


def test_a_day_edited_inline_on_the_year_goes_through_the_service(admin_client: Client) -> None:
    year = HolidayYear.objects.get(year=2026)
    days = list(year.days.order_by("date"))
    form: dict[str, object] = {
        "notice_title": year.notice_title,
        "notice_number": "国办发明电〔2025〕7号（已核对）",
        "notice_url": year.notice_url,
        "issued_on": "2025-11-04",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(len(days)),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, day in enumerate(days):
        form.update(
            {
                f"days-{i}-id": str(day.pk),
                f"days-{i}-holiday_year": str(year.pk),
                f"days-{i}-date": day.date.isoformat(),
                f"days-{i}-kind": day.kind,
                f"days-{i}-name": day.name,
            }
        )
        if day.date == D(2026, 10, 10):
            form[f"days-{i}-DELETE"] = "on"
    assert is_working_day(D(2026, 10, 10))
    response = admin_client.post(reverse("admin:deadlines_holidayyear_change", args=[year.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_working_day(D(2026, 10, 10))  # an ordinary Saturday again
    assert [e["action"] for e in changed_events()] == ["year_changed", "day_deleted"]
    assert HolidayYear.objects.get(pk=year.pk).notice_number.endswith("（已核对）")


def test_a_year_deleted_in_the_admin_makes_its_dates_unknown(admin_client: Client) -> None:
    from sanxiang.deadlines.calendar import CalendarMissing

    year = HolidayYear.objects.get(year=2025)
    response = admin_client.post(
        reverse("admin:deadlines_holidayyear_delete", args=[year.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    with pytest.raises(CalendarMissing):
        is_working_day(D(2025, 6, 3))
    assert [e["action"] for e in changed_events()] == ["year_deleted"]


def test_the_admin_pages_are_in_chinese(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:deadlines_specialday_changelist")).content.decode()
    assert "特殊日期" in page
    page = admin_client.get(reverse("admin:deadlines_holidayyear_changelist")).content.decode()
    assert "节假日安排年度" in page


def test_a_year_added_in_the_admin_is_audited_and_becomes_known(admin_client: Client) -> None:
    from sanxiang.deadlines.calendar import CalendarMissing

    with pytest.raises(CalendarMissing):
        is_working_day(D(2027, 3, 1))
    response = admin_client.post(
        reverse("admin:deadlines_holidayyear_add"),
        {
            "year": "2027",
            "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
            "notice_url": "https://www.gov.cn/z",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_working_day(D(2027, 3, 1))
    assert [e["action"] for e in changed_events()] == ["year_created"]
