"""The staff navigation links each role to its pages."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from sanxiang.accounts.context_processors import navigation
from sanxiang.core.personas import make_user


def _links(user) -> dict[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    return {str(label): url for label, url in navigation(request)["nav_items"]}


def test_a_supervisor_finds_the_access_log_but_not_the_approval_queue(personas):
    links = _links(personas.supervisor)
    assert links["调阅记录"] == reverse("access:log")
    assert "调阅审批" not in links


def test_a_leader_finds_the_access_log_and_the_approval_queue(personas):
    leader = make_user("lead", agency=personas.agency_a, roles=["leader"], name="领导")
    links = _links(leader)
    assert links["调阅记录"] == reverse("access:log")
    assert links["调阅审批"] == reverse("access:requests")


def test_an_officer_finds_neither_access_page(personas):
    links = _links(personas.alice)
    assert "调阅记录" not in links
    assert "调阅审批" not in links


def test_the_rendered_page_links_the_leader_to_both_access_pages(client, personas):
    leader = make_user("lead", agency=personas.agency_a, roles=["leader"], name="领导")
    client.force_login(leader)
    page = client.get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("access:log")}"' in page
    assert f'href="{reverse("access:requests")}"' in page
