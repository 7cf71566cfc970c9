from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from sanxiang.access import services
from sanxiang.access.models import AccessPolicy, AccessRequest, RequestState
from sanxiang.access.tests.conftest import CLIP, client_of, events, ingest
from sanxiang.accounts.models import Role
from sanxiang.audit.events import EventType
from sanxiang.cases.models import Case
from sanxiang.core.personas import make_user
from sanxiang.evidence.models import Blob, Channel, Evidence, Kind
from sanxiang.evidence.services import blob_check_fixity
from sanxiang.evidence.storage import CHUNK, LocalStore

REASON = "复议应诉，核对查封现场录像"


def _open(pk: int) -> str:
    return reverse("access:evidence_open", args=[pk])


def _content_url(page: Any) -> str:
    """The media address the player page gives its ``<video>``."""
    html = page.content.decode()
    start = html.index('src="', html.index('id="evidence-player"')) + len('src="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_handler_opens_the_player_without_a_reason_and_one_event_is_written(
    clip: Evidence, personas: Any
) -> None:
    page = client_of(personas.alice).get(_open(clip.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<video" in html and clip.blob.sha256 in html and clip.case is not None
    assert clip.case.number in html and "10240" in html
    assert [e["actor"] for e in events(EventType.EVIDENCE_VIEWED)] == [personas.alice.pk]


def test_a_non_handler_is_refused_without_a_reason_and_let_in_with_one(clip: Evidence, personas: Any) -> None:
    client = client_of(personas.bob)
    gate = client.get(_open(clip.pk))
    assert "说明调阅理由" in gate.content.decode() and "<video" not in gate.content.decode()
    refused = client.post(_open(clip.pk), {"reason": "", "action": "open"})
    assert refused.status_code == 400 and "请说明调阅理由" in refused.content.decode()
    assert events(EventType.EVIDENCE_VIEWED) == []

    opened = client.post(_open(clip.pk), {"reason": REASON, "action": "open"}, follow=True)
    assert "<video" in opened.content.decode()
    [event] = events(EventType.EVIDENCE_VIEWED)
    assert event["reason"] == REASON and event["basis"] == "reason" and event["actor"] == personas.bob.pk


def test_with_the_policy_the_officer_waits_and_the_leader_approves_from_the_queue(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    bob = client_of(personas.bob)
    bob.post(_open(clip.pk), {"reason": REASON, "action": "request"})
    waiting = bob.get(_open(clip.pk)).content.decode()
    assert "等待机关负责人批准" in waiting and "<video" not in waiting
    # Asking to open without approval opens nothing.
    assert "<video" not in bob.post(_open(clip.pk), {"action": "open"}, follow=True).content.decode()

    boss = client_of(leader)
    queue = boss.get(reverse("access:requests")).content.decode()
    assert REASON in queue and str(personas.bob) in queue
    request = AccessRequest.objects.get()
    boss.post(reverse("access:request_decide", args=[request.pk]), {"decision": "approve", "note": "同意"})
    assert AccessRequest.objects.get().state == RequestState.APPROVED

    assert "调阅申请已批准" in bob.get(_open(clip.pk)).content.decode()
    opened = bob.post(_open(clip.pk), {"action": "open"}, follow=True)
    assert "<video" in opened.content.decode()
    assert events(EventType.EVIDENCE_VIEWED)[0]["request"] == request.pk


def test_after_a_refusal_the_officer_still_cannot_open(clip: Evidence, personas: Any, leader: Any) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    bob = client_of(personas.bob)
    bob.post(_open(clip.pk), {"reason": REASON, "action": "request"})
    request = AccessRequest.objects.get()
    client_of(leader).post(
        reverse("access:request_decide", args=[request.pk]), {"decision": "refuse", "note": "无调阅必要"}
    )
    page = bob.get(_open(clip.pk)).content.decode()
    assert "无调阅必要" in page and "<video" not in page
    assert "<video" not in bob.post(_open(clip.pk), {"action": "open"}, follow=True).content.decode()
    assert events(EventType.EVIDENCE_VIEWED) == []


def test_a_supervisor_of_the_city_opens_with_a_reason(clip: Evidence, personas: Any) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    client = client_of(personas.supervisor)
    assert "上级监督人员可实时调阅" in client.get(_open(clip.pk)).content.decode()
    opened = client.post(_open(clip.pk), {"reason": REASON, "action": "open"}, follow=True)
    assert "<video" in opened.content.decode()
    assert events(EventType.EVIDENCE_VIEWED)[0]["basis"] == "supervisor"


def test_an_officer_of_another_county_gets_403_everywhere(clip: Evidence, personas: Any) -> None:
    client = client_of(personas.charlie)
    page = client.get(_open(clip.pk))
    assert page.status_code == 403 and "您无权调阅该证据" in page.content.decode()
    assert client.post(_open(clip.pk), {"reason": REASON}).status_code == 403
    assert client.get(reverse("access:evidence_custody", args=[clip.pk])).status_code == 403
    assert client.get(reverse("access:log")).status_code == 403


def test_range_requests_get_exactly_the_bytes_asked_for(clip: Evidence, personas: Any) -> None:
    client = client_of(personas.alice)
    url = _content_url(client.get(_open(clip.pk)))
    first = client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and _body(first) == CLIP[:100]
    assert first["Content-Range"] == f"bytes 0-99/{len(CLIP)}" and first["Content-Length"] == "100"
    assert first["Accept-Ranges"] == "bytes" and first["Content-Type"] == "video/mp4"
    rest = client.get(url, headers={"Range": "bytes=100-"})
    assert rest.status_code == 206 and _body(rest) == CLIP[100:]
    assert rest["Content-Range"] == f"bytes 100-{len(CLIP) - 1}/{len(CLIP)}"
    tail = client.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and _body(tail) == CLIP[-50:]
    beyond = client.get(url, headers={"Range": f"bytes={len(CLIP)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(CLIP)}"
    whole = client.get(url)
    assert whole.status_code == 200 and _body(whole) == CLIP and whole["Accept-Ranges"] == "bytes"
    head = client.head(url, headers={"Range": "bytes=0-9"})
    assert head.status_code == 206 and head["Content-Length"] == "10" and head.content == b""
    # Seeking asked for five ranges: the playback is still the one view logged when the page opened.
    assert len(events(EventType.EVIDENCE_VIEWED)) == 1


def test_the_bytes_need_the_token_of_the_users_own_logged_view(clip: Evidence, personas: Any) -> None:
    url = _content_url(client_of(personas.alice).get(_open(clip.pk)))
    assert client_of(personas.bob).get(url).status_code == 403
    bare = reverse("access:evidence_content", args=[clip.pk])
    assert client_of(personas.alice).get(bare).status_code == 403
    assert client_of(personas.alice).get(f"{bare}?t=forged").status_code == 403


def test_a_large_original_is_streamed_in_chunks_never_read_whole(
    store: LocalStore, clip: Evidence, personas: Any, case: Case
) -> None:
    # A sparse 3 GiB original placed straight in the store: no disk used, far more than memory allows.
    size = 3 << 30
    key = "sha256/ff/ff/" + "f" * 64
    path = store.path_of(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as sparse:
        sparse.truncate(size)
    blob = Blob.objects.create(sha256="f" * 64, size=size, storage_key=key, stored_at=clip.ingested_at)
    big = Evidence.objects.create(
        agency=case.agency,
        case=case,
        blob=blob,
        kind=Kind.VIDEO,
        original_name="整日录像.mp4",
        channel=Channel.IMPORT,
        ingested_at=clip.ingested_at,
        ingested_by=personas.alice,
    )
    client = client_of(personas.alice)
    response = client.get(_content_url(client.get(_open(big.pk))))
    assert isinstance(response, StreamingHttpResponse) and response["Content-Length"] == str(size)
    tracemalloc.start()
    try:
        chunks = iter(response.streaming_content)
        read = sum(len(next(chunks)) for _ in range(64))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()
    assert read == 64 * CHUNK and peak < 8 * CHUNK


def test_a_download_is_an_attachment_and_logged_with_the_views_reason(clip: Evidence, personas: Any) -> None:
    client = client_of(personas.bob)
    client.post(_open(clip.pk), {"reason": REASON, "action": "open"})
    view = services.evidence_view(evidence=clip, actor=personas.bob, reason=REASON)
    response = client.post(
        reverse("access:evidence_download", args=[clip.pk]), {"t": services.play_token(view)}
    )
    assert response.status_code == 200 and _body(response) == CLIP
    assert response["Content-Disposition"].startswith("attachment;")
    assert [e["reason"] for e in events(EventType.EVIDENCE_DOWNLOADED)] == [REASON]
    stale = client.post(reverse("access:evidence_download", args=[clip.pk]), {"t": "nonsense"})
    assert stale.status_code == 403 and len(events(EventType.EVIDENCE_DOWNLOADED)) == 1


def test_the_custody_page_lists_ingest_fixity_and_accesses_in_time_order(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    blob_check_fixity(blob=clip.blob)
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    request = services.access_request_create(evidence=clip, actor=personas.bob, reason=REASON)
    services.access_request_transition(
        access_request=request, target=RequestState.APPROVED, actor=leader, note="同意调阅"
    )
    services.evidence_view(evidence=clip, actor=personas.bob)
    services.evidence_view(evidence=clip, actor=personas.alice)
    page = client_of(personas.alice).get(reverse("access:evidence_custody", args=[clip.pk]))
    html = page.content.decode()
    table = html[html.index('id="custody"') :]
    order = ["入库", "完整性核验", "申请调阅", "批准调阅", "查看原件"]
    positions = [table.index(f"<td>{what}</td>") for what in order]
    assert positions == sorted(positions)
    assert table.count("<td>查看原件</td>") == 2
    assert clip.blob.sha256 in table and "完好" in table and REASON in table and "同意调阅" in table
    assert "23:59" in table  # the approval holds to the end of its day, Beijing time
    assert "网页上传" in table or "批量导入" in table


def test_the_access_log_shows_the_non_handlers_reason_to_the_supervisor(
    clip: Evidence, personas: Any, leader: Any
) -> None:
    services.evidence_view(evidence=clip, actor=personas.alice)
    services.evidence_view(evidence=clip, actor=personas.bob, reason=REASON)
    html = client_of(personas.supervisor).get(reverse("access:log")).content.decode()
    assert REASON in html and "甲县应急管理局" in html
    assert html.count('class="non-handler"') == 1
    only_alice = client_of(personas.supervisor).get(reverse("access:log"), {"user": personas.alice.pk})
    assert REASON not in only_alice.content.decode()
    assert REASON in client_of(leader).get(reverse("access:log")).content.decode()
    assert client_of(personas.alice).get(reverse("access:log")).status_code == 403


def test_the_access_log_filters_by_date(clip: Evidence, personas: Any) -> None:
    services.evidence_view(evidence=clip, actor=personas.bob, reason=REASON)
    client = client_of(personas.supervisor)
    assert REASON not in client.get(reverse("access:log"), {"until": "2020-01-01"}).content.decode()
    assert REASON in client.get(reverse("access:log"), {"since": "2020-01-01"}).content.decode()


def test_the_leader_sets_the_policy_on_the_settings_page(personas: Any, leader: Any) -> None:
    client = client_of(leader)
    assert client.get(reverse("access:policy")).status_code == 200
    client.post(reverse("access:policy"), {"approval_required": "on"})
    assert AccessPolicy.objects.get(agency=personas.agency_a).approval_required is True
    assert len(events(EventType.EVIDENCE_ACCESS_POLICY_CHANGED)) == 1
    assert client_of(personas.bob).get(reverse("access:policy")).status_code == 403


@pytest.mark.parametrize(
    ("name", "markup"),
    [
        ("录音.mp3", "<audio"),
        ("现场.jpg", "<img"),
        ("笔录扫描.pdf", "application/pdf"),
        ("数据.xlsx", "下载原件"),
    ],
)
def test_the_player_fits_the_kind_of_file(
    store: LocalStore, case: Case, personas: Any, tmp_path: Path, name: str, markup: str
) -> None:
    item = ingest(store, case, personas.alice, name, name.encode() * 10, tmp_path)
    assert markup in client_of(personas.alice).get(_open(item.pk)).content.decode()


def test_an_administrator_sets_the_policy_in_the_admin_through_the_same_service(personas: Any) -> None:
    admin = make_user("root", agency=personas.agency_a, roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    response = client_of(admin).post(
        reverse("admin:access_accesspolicy_add"), {"agency": personas.agency_a.pk, "approval_required": "on"}
    )
    assert response.status_code == 302
    policy = AccessPolicy.objects.get(agency=personas.agency_a)
    assert policy.approval_required is True and policy.changed_by == admin
    assert events(EventType.EVIDENCE_ACCESS_POLICY_CHANGED)[0]["actor"] == admin.pk
