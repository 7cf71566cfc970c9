"""The staff page: who may open it, what each reader sees, and the verify button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang import audit
from sanxiang.accounts.models import UserRole
from sanxiang.audit import services
from sanxiang.audit.events import EventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(personas: Any) -> Any:
    """One event per agency, each with a recognisable subject id."""
    audit.record(EventType.OFFICER_CHANGED, subject=personas.alice_officer, data={})
    audit.record(EventType.OFFICER_CHANGED, subject=personas.charlie_officer, data={})
    audit.record(EventType.AGENCY_CHANGED, subject=personas.city, data={})
    return personas


def seen(response: Any) -> list[int]:
    """Numbers of the fixture's three events on the page (other apps log the login too)."""
    return [e.seq for e in response.context["page"].object_list if e.seq <= 3]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_requires_login() -> None:
    response = Client().get(reverse("audit:log"))
    assert response.status_code == 302


def test_an_officer_without_a_reader_role_is_forbidden(logged: Any) -> None:
    assert client_for(logged.alice).get(reverse("audit:log")).status_code == 403
    assert client_for(logged.alice).post(reverse("audit:verify")).status_code == 403


def test_an_admin_sees_only_the_events_of_their_agency(logged: Any) -> None:
    UserRole.objects.create(user=logged.bob, role="admin")
    response = client_for(logged.bob).get(reverse("audit:log"))
    assert response.status_code == 200
    assert seen(response) == [1]
    assert {e.agency_id for e in response.context["page"].object_list} == {logged.agency_a.pk}
    assert "执法人员信息已变更" in response.content.decode()


def test_an_archivist_of_agency_b_sees_nothing_of_agency_a(logged: Any) -> None:
    UserRole.objects.create(user=logged.charlie, role="archivist")
    response = client_for(logged.charlie).get(reverse("audit:log"))
    assert seen(response) == [2]


def test_a_supervisor_sees_their_agency_and_those_below_newest_first(logged: Any) -> None:
    response = client_for(logged.supervisor).get(reverse("audit:log"))
    assert seen(response) == [3, 1]
    seqs = [e.seq for e in response.context["page"].object_list]
    assert seqs == sorted(seqs, reverse=True)


def test_the_page_shows_the_latest_signed_checkpoint(logged: Any) -> None:
    checkpoint = services.checkpoint_sign()
    body = client_for(logged.supervisor).get(reverse("audit:log")).content.decode()
    assert checkpoint.root_hex in body
    assert "最新签名树头" in body


def test_the_verify_button_reports_success_in_chinese(logged: Any) -> None:
    services.checkpoint_sign()
    response = client_for(logged.supervisor).post(reverse("audit:verify"))
    assert response.status_code == 200
    assert "核验通过" in response.content.decode()


def test_the_verify_button_names_the_first_bad_event(logged: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET data = '{\"x\":1}' WHERE seq = 2")
    body = client_for(logged.supervisor).post(reverse("audit:verify")).content.decode()
    assert "核验未通过" in body
    assert "第 2 号事件不符" in body
