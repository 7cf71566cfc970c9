from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.access import services
from sanxiang.access.models import AccessPolicy, AccessRequest, Basis, EvidenceAccess, RequestState
from sanxiang.access.tests.conftest import events
from sanxiang.audit.events import EventType
from sanxiang.evidence.models import Evidence

REASON = "案卷评查，核对现场检查过程"


def test_a_handler_opens_without_a_reason_and_the_view_is_logged(clip: Evidence, personas: Any) -> None:
    access = services.evidence_view(evidence=clip, actor=personas.alice)
    assert access.basis == Basis.HANDLER and access.reason == ""
    [event] = events(EventType.EVIDENCE_VIEWED)
    assert event["actor"] == personas.alice.pk and event["sha256"] == clip.blob.sha256
    assert access.audit_seq > 0


def test_a_non_handler_must_give_a_reason_and_the_event_carries_it(clip: Evidence, personas: Any) -> None:
    for reason in ("", "看看"):
        with pytest.raises(ValidationError, match="调阅理由"):
            services.evidence_view(evidence=clip, actor=personas.bob, reason=reason)
    assert events(EventType.EVIDENCE_VIEWED) == []
    access = services.evidence_view(evidence=clip, actor=personas.bob, reason=f"  {REASON} ")
    assert access.basis == Basis.REASON and access.reason == REASON
    assert events(EventType.EVIDENCE_VIEWED)[0]["reason"] == REASON


def test_an_officer_of_another_county_may_not_open_it(clip: Evidence, personas: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.evidence_view(evidence=clip, actor=personas.charlie, reason=REASON)
    assert EvidenceAccess.objects.count() == 0


def test_with_approval_required_a_request_waits_for_the_leader(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    with pytest.raises(services.ApprovalNeeded):
        services.evidence_view(evidence=clip, actor=personas.bob, reason=REASON)
    request = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    again = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON + "。")
    assert again.pk == request.pk and request.state == RequestState.PENDING
    with pytest.raises(services.ApprovalNeeded):
        services.evidence_view(evidence=clip, actor=personas.bob)

    services.access_request_transition(
        access_request=request, target=RequestState.APPROVED, actor=leader, note="同意"
    )
    access = services.evidence_view(evidence=clip, actor=personas.bob)
    assert access.basis == Basis.APPROVED and access.request == request and access.reason == REASON
    request.refresh_from_db()
    assert timezone.localtime(request.valid_until).time() == datetime.time(23, 59, 59, 999999)
    assert [e["to"] for e in events(EventType.EVIDENCE_ACCESS_APPROVED)] == ["approved"]
    assert len(events(EventType.EVIDENCE_ACCESS_REQUESTED)) == 1


def test_a_refused_request_does_not_open_and_a_refusal_needs_a_note(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    request = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    with pytest.raises(ValidationError, match="拒绝"):
        services.access_request_transition(access_request=request, target=RequestState.REFUSED, actor=leader)
    services.access_request_transition(
        access_request=request, target=RequestState.REFUSED, actor=leader, note="与本人工作无关"
    )
    with pytest.raises(services.ApprovalNeeded):
        services.evidence_view(evidence=clip, actor=personas.bob)
    with pytest.raises(ValidationError):
        services.access_request_transition(access_request=request, target=RequestState.APPROVED, actor=leader)
    assert events(EventType.EVIDENCE_ACCESS_REFUSED)[0]["note"] == "与本人工作无关"


def test_only_a_leader_of_the_agency_decides(clip: Evidence, personas: Any) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    request = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    for someone in (personas.alice, personas.supervisor):
        with pytest.raises(PermissionDenied):
            services.access_request_transition(
                access_request=request, target=RequestState.APPROVED, actor=someone
            )
    assert AccessRequest.objects.get().state == RequestState.PENDING


def test_requests_lapse_when_their_time_runs_out(clip: Evidence, personas: Any, leader: Any) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    request = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    assert services.access_requests_expire() == 0
    AccessRequest.objects.filter(pk=request.pk).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="过期"):
        services.access_request_transition(access_request=request, target=RequestState.APPROVED, actor=leader)
    assert services.access_requests_expire() == 1
    request.refresh_from_db()
    assert request.state == RequestState.EXPIRED and request.decided_by is None
    assert events(EventType.EVIDENCE_ACCESS_EXPIRED)[0]["actor"] is None


def test_a_supervisor_above_opens_in_real_time_with_a_reason_whatever_the_policy(
    clip: Evidence, personas: Any
) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    access = services.evidence_view(evidence=clip, actor=personas.supervisor, reason=REASON)
    assert access.basis == Basis.SUPERVISOR and access.agency_id == personas.agency_a.pk


def test_a_download_is_logged_apart_from_its_view(clip: Evidence, personas: Any) -> None:
    view = services.evidence_view(evidence=clip, actor=personas.bob, reason=REASON)
    services.evidence_download(view=view, actor=personas.bob)
    with pytest.raises(PermissionDenied):
        services.evidence_download(view=view, actor=personas.alice)
    assert [e["reason"] for e in events(EventType.EVIDENCE_DOWNLOADED)] == [REASON]


def test_the_policy_changes_through_its_service_with_an_event(personas: Any, leader: Any) -> None:
    services.access_policy_set(agency=personas.agency_a, approval_required=True, actor=leader)
    services.access_policy_set(agency=personas.agency_a, approval_required=False, actor=leader)
    assert AccessPolicy.objects.get().approval_required is False
    changes = [e["approval_required"] for e in events(EventType.EVIDENCE_ACCESS_POLICY_CHANGED)]
    assert changes == [{"from": False, "to": True}, {"from": True, "to": False}]
