"""投诉举报: filed on the portal with a tracking code, answered by staff within the clock on "my work"."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanxiang.audit.models import Event
from sanxiang.complaints import selectors, services
from sanxiang.complaints.models import Complaint, ComplaintStatus
from sanxiang.core.personas import make_user
from sanxiang.deadlines import holiday_data
from sanxiang.deadlines import services as holiday_services
from sanxiang.worklist.models import Clock

pytestmark = pytest.mark.django_db
# Friday 25 September 2026, 中秋节: the National Day holiday (1–7 October; 10 October worked) lies within the
# 15 working days.
RECEIVED = datetime.datetime(2026, 9, 25, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_counts() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def holidays(db: None) -> None:
    for path in holiday_data.shipped_files():
        holiday_services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.fixture
def head(personas: Any) -> Any:
    return make_user("head", agency=personas.agency_a, roles=["section_head"], name="何股长")


def _file(personas: Any, **extra: Any) -> tuple[Complaint, str]:
    values: dict[str, Any] = {
        "agency": personas.agency_a,
        "kind": "report",
        "subject": "某某化工有限公司",
        "content": "仓库堆放危险化学品，消防通道被堵。",
        "place": "城关镇工业园",
        "received_at": RECEIVED,
    }
    values.update(extra)
    return services.complaint_file(**values)


def _events(complaint: Complaint) -> list[int]:
    return list(
        Event.objects.filter(subject_type="complaints.complaint", subject_id=str(complaint.pk))
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def test_a_report_gets_a_tracking_code_and_an_answer_due_in_15_working_days_across_national_day(
    personas, holidays
):
    complaint, code = _file(personas)
    assert len(code) == 14 and code.count("-") == 2
    assert complaint.tracking_sha256 != code and code not in complaint.tracking_sha256
    # 28–30 Sep (3), the holiday 1–7 Oct, 8–9 Oct (5), Saturday 10 Oct worked (6), 12–16 Oct (11), 19–22 Oct.
    assert complaint.response_due_on == datetime.date(2026, 10, 22)
    assert complaint.status == ComplaintStatus.RECEIVED
    assert _events(complaint) == [460]


def test_without_the_years_holiday_table_the_due_day_is_provisional(personas):
    complaint, _code = _file(personas)
    assert complaint.response_due_provisional
    assert complaint.response_due_on == datetime.date(2026, 10, 16)  # Monday to Friday only


def test_a_complaint_needs_a_name_and_phone_but_a_report_may_be_anonymous(personas, holidays):
    with pytest.raises(ValidationError, match="投诉需留下姓名和联系电话"):
        _file(personas, kind="complaint")
    assert not Complaint.objects.exists()
    complaint, _code = _file(personas, kind="complaint", name="张三", phone="13900001111")
    assert complaint.name == "张三"


def test_the_answer_clock_is_on_the_section_heads_my_work_and_stops_when_answered(personas, holidays, head):
    complaint, _code = _file(personas)
    clock = Clock.objects.get(matter=f"complaint:{complaint.pk}")
    assert clock.due == complaint.response_due_on
    assert sorted(a.role for a in clock.audience.all()) == ["admin", "leader", "section_head"]
    services.complaint_accept(complaint=complaint, actor=head)
    assert Clock.objects.filter(matter=f"complaint:{complaint.pk}").exists()
    services.complaint_answer(complaint=complaint, actor=head, answer="经现场核查，已责令立即清理消防通道。")
    assert not Clock.objects.filter(matter=f"complaint:{complaint.pk}").exists()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.answered_on == timezone.localdate()
    assert _events(complaint) == [460, 461, 462]


def test_only_a_handler_of_the_receiving_agency_may_answer(personas, holidays):
    complaint, _code = _file(personas)
    for outsider in (personas.alice, personas.charlie):
        with pytest.raises(PermissionDenied):
            services.complaint_answer(complaint=complaint, actor=outsider, answer="答复")
    assert _events(complaint) == [460]


def test_a_declined_complaint_cannot_be_answered_afterwards(personas, holidays, head):
    complaint, _code = _file(personas)
    services.complaint_decline(
        complaint=complaint, actor=head, reason="不属于本机关职责，请向市场监管部门反映。"
    )
    with pytest.raises(ValidationError, match="不能“答复”"):
        services.complaint_answer(complaint=complaint, actor=head, answer="答复")
    with pytest.raises(ValidationError, match="请填写不予受理的理由"):
        services.complaint_decline(complaint=_file(personas)[0], actor=head, reason=" ")


def test_the_public_files_on_the_portal_and_follows_the_answer_with_the_code(
    client, personas, holidays, head
):
    response = client.post(
        reverse("complaints:new"),
        {
            "agency": personas.agency_a.pk,
            "kind": "report",
            "subject": "某某砖厂",
            "content": "夜间违规生产。",
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    code = response.context["code"]
    assert code in response.content.decode()
    complaint = Complaint.objects.get()
    services.complaint_answer(complaint=complaint, actor=head, answer="已责令停产整顿。")
    page = client.post(reverse("complaints:track"), {"code": code.lower().replace("-", "")}).content.decode()
    assert "已答复" in page and "已责令停产整顿" in page
    assert "夜间违规生产" not in page  # the code shows the answer, not the complaint itself


def test_a_wrong_tracking_code_is_refused_and_ten_close_the_page_for_a_while(client, personas, holidays):
    _complaint, code = _file(personas)
    for _ in range(10):
        response = client.post(reverse("complaints:track"), {"code": "0000-0000-0000"})
        assert response.status_code == 400 and "未找到该跟踪码" in response.content.decode()
    assert client.post(reverse("complaints:track"), {"code": code}).status_code == 429


def test_the_queue_shows_a_handler_their_agencys_complaints_and_charlie_nothing(
    client, personas, holidays, head
):
    complaint, _code = _file(personas)
    client.force_login(head)
    page = client.get(reverse("complaints:queue")).content.decode()
    assert complaint.subject in page
    response = client.post(
        reverse("complaints:step", args=[complaint.pk, "answer"]), {"note": "已核查处理。"}, follow=True
    )
    assert "已答复" in response.content.decode()
    charlie_head = make_user("chead", agency=personas.agency_b, roles=["section_head"])
    client.force_login(charlie_head)
    assert complaint.subject not in client.get(reverse("complaints:queue") + "?show=all").content.decode()
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert list(selectors.complaint_list_for(personas.supervisor)) == [complaint]
