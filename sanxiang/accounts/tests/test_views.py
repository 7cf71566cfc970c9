import time

import pytest
from django.urls import reverse

from sanxiang.accounts.middleware import LAST_SEEN_KEY
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.core.personas import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_login_page_is_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_a_wrong_password_gets_a_chinese_message_and_an_audit_event(client, personas):
    response = _login(client, "alice", "wrong-password")
    assert "用户名或密码不正确" in response.content.decode()
    assert Event.objects.filter(event_type=EventType.USER_LOGIN_FAILED).exists()


def test_signing_in_records_an_event_and_lands_on_the_home_page(client, personas):
    response = _login(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    assert Event.objects.filter(event_type=EventType.USER_LOGGED_IN, actor_id=personas.alice.pk).exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong-password")
    response = _login(client, "alice")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert Event.objects.filter(event_type=EventType.USER_LOCKED_OUT).exists()


def test_an_idle_session_is_signed_out(client, personas, settings):
    client.force_login(personas.alice)
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
    assert client.get(reverse("accounts:home")).status_code == 302


def test_an_active_session_stays_signed_in(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get(reverse("accounts:home")).status_code == 200


def test_signing_out_takes_a_post_and_records_an_event(client, personas):
    _login(client, "alice")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert Event.objects.filter(event_type=EventType.USER_LOGGED_OUT).exists()


@pytest.mark.parametrize(
    ("persona", "panel"),
    [("alice", "我的执法证件"), ("bob", "法制审核"), ("supervisor", "所监督的执法机关")],
)
def test_the_home_page_fits_the_role(client, personas, persona, panel):
    client.force_login(getattr(personas, persona))
    body = client.get(reverse("accounts:home")).content.decode()
    assert panel in body


def test_the_home_page_requires_sign_in(client, db):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
