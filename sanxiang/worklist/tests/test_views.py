import pytest
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.worklist import services
from sanxiang.worklist.models import Notification
from sanxiang.worklist.tests.conftest import TODAY, clock, install


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("sanxiang.worklist.views.timezone.localdate", lambda: TODAY)


def test_my_work_needs_a_login(client):
    response = client.get(reverse("worklist:my_work"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_my_work_lists_the_clocks_overdue_first_with_days_and_basis(client, personas, clocks):
    client.force_login(personas.alice)
    page = client.get(reverse("worklist:my_work")).content.decode()
    assert page.index("案件 case:3:payment_due") < page.index("案件 case:5:decision_due")
    assert page.index("案件 case:5:decision_due") < page.index("案件 case:1:decision_due")
    assert '<span class="badge state-expired">逾期 4 日</span>' in page
    assert '<span class="badge state-expiring">剩 2 日</span>' in page
    assert "剩 20 日" in page
    assert 'href="/cases/case:1:decision_due/"' in page
    assert "行政处罚法第六十条" in page


def test_my_work_overdue_filter(client, personas, clocks):
    client.force_login(personas.alice)
    page = client.get(reverse("worklist:my_work"), {"show": "overdue"}).content.decode()
    assert "case:3:payment_due" in page
    assert "case:5:decision_due" not in page


def test_my_work_week_filter(client, personas, clocks):
    client.force_login(personas.alice)
    page = client.get(reverse("worklist:my_work"), {"show": "week"}).content.decode()
    assert "case:4:hearing_request_due" in page
    assert "case:1:decision_due" not in page


def test_an_unknown_filter_shows_everything(client, personas, clocks):
    client.force_login(personas.alice)
    page = client.get(reverse("worklist:my_work"), {"show": "nonsense"}).content.decode()
    assert "case:1:decision_due" in page


def test_charlie_does_not_see_agency_as_clocks(client, personas, clocks):
    client.force_login(personas.charlie)
    page = client.get(reverse("worklist:my_work")).content.decode()
    assert "case:9:decision_due" in page
    assert "case:1:" not in page
    assert "case:3:" not in page


def test_an_empty_worklist_says_so(client, personas, clocks):
    client.force_login(personas.charlie)
    page = client.get(reverse("worklist:my_work"), {"show": "overdue"}).content.decode()
    assert "没有逾期的事项" in page


@pytest.fixture
def notifications(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    return list(Notification.objects.filter(user=personas.alice))


def test_the_layout_shows_the_unread_count(client, personas, notifications):
    client.force_login(personas.alice)
    page = client.get(reverse("worklist:my_work")).content.decode()
    assert "提醒（3）" in page


def test_the_notification_list_shows_only_the_users_own(client, personas, notifications):
    client.force_login(personas.charlie)
    page = client.get(reverse("worklist:notifications")).content.decode()
    assert "事项 case:9:decision_due" in page
    assert "事项 case:3:payment_due" not in page
    assert "提醒（1）" in page


def test_mark_read_is_a_post(client, personas, notifications):
    client.force_login(personas.alice)
    url = reverse("worklist:notification_read", args=[notifications[0].pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    notifications[0].refresh_from_db()
    assert notifications[0].read_at is not None
    assert Event.objects.filter(event_type=EventType.NOTIFICATION_READ).count() == 1
    assert "提醒（2）" in client.get(reverse("worklist:notifications")).content.decode()


def test_mark_read_by_htmx_returns_the_row(client, personas, notifications):
    client.force_login(personas.alice)
    url = reverse("worklist:notification_read", args=[notifications[0].pk])
    response = client.post(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="notification-{notifications[0].pk}"')
    assert "已读" in body


def test_another_users_notification_is_not_found(client, personas, notifications):
    client.force_login(personas.charlie)
    url = reverse("worklist:notification_read", args=[notifications[0].pk])
    assert client.post(url).status_code == 404
    notifications[0].refresh_from_db()
    assert notifications[0].read_at is None


def test_my_work_runs_with_every_installed_provider(client, personas, holidays):
    client.force_login(personas.alice)
    response = client.get(reverse("worklist:my_work"))
    assert response.status_code == 200
    assert "暂无待办期限" in response.content.decode()


def test_a_long_list_is_shown_a_page_at_a_time_overdue_first(client, personas, monkeypatch):
    items = [
        clock(f"k:{n}", n - 50, agency_id=personas.agency_a.pk, user_ids=(personas.alice.pk,), roles=())
        for n in range(150)
    ]
    install(monkeypatch, items)
    client.force_login(personas.alice)
    first = client.get("/work/").content.decode()
    assert "第 1 / 2 页，共 150 项" in first
    assert "事项 k:0<" in first and "事项 k:149<" not in first
    second = client.get("/work/?page=2").content.decode()
    assert "事项 k:149<" in second and "事项 k:0<" not in second
    overdue = client.get("/work/?show=overdue").content.decode()
    assert "事项 k:49<" in overdue and "事项 k:50<" not in overdue
    assert '已逾期<span class="count">（50）</span>' in overdue
    assert '全部<span class="count">（150）</span>' in overdue


def test_my_work_reads_the_page_and_the_counts_in_one_query_each(client, personas, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [clock(f"k:{n}", n - 50, agency_id=personas.agency_a.pk) for n in range(150)]
    install(monkeypatch, items)
    client.force_login(personas.alice)
    client.get("/work/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/work/?page=2")
    clock_queries = [q["sql"] for q in captured if "worklist_clockaudience" in q["sql"]]
    assert len(clock_queries) == 2
