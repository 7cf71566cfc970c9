"""A waiting 调阅 request is a clock on the leaders' "my work", due the day it lapses, until it is decided."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sanxiang.access import services
from sanxiang.access.due import clocks_of
from sanxiang.access.models import AccessPolicy, AccessRequest, RequestState
from sanxiang.access.tests.conftest import client_of
from sanxiang.core.personas import make_user
from sanxiang.evidence.models import Evidence
from sanxiang.worklist import services as worklist_services

REASON = "复核本案现场检查的录像内容"


def _requested(clip: Evidence, personas: Any) -> AccessRequest:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    return services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)


def _my_work(user: Any) -> str:
    response = client_of(user).get(reverse("worklist:my_work"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_waiting_request_is_on_the_leaders_work_due_the_day_it_lapses(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    request = _requested(clip, personas)
    [item] = clocks_of([f"access_request:{request.pk}"])
    assert item.due == timezone.localdate(request.valid_until)
    assert item.due - timezone.localdate(request.requested_at) <= datetime.timedelta(days=1)
    page = _my_work(leader)
    assert "审批柏博的证据调阅申请" in page
    assert clip.original_name in page
    assert f'href="{reverse("access:requests")}"' in page


def test_the_requester_and_other_staff_do_not_get_the_leaders_clock(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    _requested(clip, personas)
    other_leader = make_user("lao", agency=personas.agency_b, roles=["leader"], name="乙局长")
    for user in (personas.bob, personas.alice, other_leader):
        assert "证据调阅申请" not in _my_work(user)


def test_an_approved_or_refused_request_leaves_the_leaders_work(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    request = _requested(clip, personas)
    services.access_request_transition(
        access_request=request, target=RequestState.REFUSED, actor=leader, note="与本人工作无关"
    )
    assert "证据调阅申请" not in _my_work(leader)
    again = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    assert "证据调阅申请" in _my_work(leader)
    services.access_request_transition(access_request=again, target=RequestState.APPROVED, actor=leader)
    assert "证据调阅申请" not in _my_work(leader)


def test_a_lapsed_request_leaves_the_leaders_work(clip: Evidence, personas: Any, leader: Any) -> None:
    request = _requested(clip, personas)
    AccessRequest.objects.filter(pk=request.pk).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.access_requests_expire() == 1
    assert "证据调阅申请" not in _my_work(leader)
    assert clocks_of(None) == []


def test_the_stored_clocks_match_a_full_recomputation(clip: Evidence, personas: Any, leader: Any) -> None:
    _requested(clip, personas)
    changes = worklist_services.clocks_rebuild()
    assert not changes
