from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.evidence.models import Evidence, Upload
from sanxiang.evidence.storage import LocalStore

pytestmark = pytest.mark.django_db

DATA = b"\x00\x01video frame" * 100_000


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, case: Case, name: str = "执法记录仪.mp4", size: int = len(DATA)) -> Any:
    url = reverse("evidence:upload_start", args=[case.pk])
    fields = {"name": name, "size": size, "last_modified": "1767225600000", "proves": "现场情况"}
    return client.post(url, fields)


def _patch(client: Client, url: str, offset: int, data: bytes) -> Any:
    return client.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        headers={"Upload-Offset": str(offset)},
    )


def test_the_case_evidence_page_offers_the_upload_to_a_handler(
    store: LocalStore, case: Case, personas: Any
) -> None:
    page = _client(personas.alice).get(reverse("evidence:case", args=[case.pk]))
    assert page.status_code == 200
    assert "上传证据" in page.content.decode()
    assert "evidence/upload.js" in page.content.decode()


def test_the_reviewer_sees_the_list_without_the_upload(store: LocalStore, case: Case, personas: Any) -> None:
    page = _client(personas.bob).get(reverse("evidence:case", args=[case.pk]))
    assert page.status_code == 200
    assert "证据清单" in page.content.decode() and "上传证据" not in page.content.decode()


def test_a_colleague_who_is_not_a_handler_is_led_to_the_logged_access_page(
    store: LocalStore, case: Case, personas: Any
) -> None:
    alice = _client(personas.alice)
    url = _start(alice, case).json()["url"]
    item = _patch(alice, url, 0, DATA).json()
    evidence = Evidence.objects.get(case=case)
    assert item["complete"]

    page = _client(personas.bob).get(reverse("evidence:case", args=[case.pk])).content.decode()

    assert reverse("access:evidence_open", args=[evidence.pk]) in page
    assert reverse("evidence:item", args=[evidence.pk]) not in page
    handler_page = alice.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert reverse("evidence:item", args=[evidence.pk]) in handler_page


def test_another_agencys_officer_finds_no_such_case(store: LocalStore, case: Case, personas: Any) -> None:
    client = _client(personas.charlie)
    assert client.get(reverse("evidence:case", args=[case.pk])).status_code == 404
    assert _start(client, case).status_code == 404


def test_an_upload_resumed_over_http_yields_the_same_hash_as_a_single_upload(
    store: LocalStore, case: Case, personas: Any
) -> None:
    client = _client(personas.alice)
    opened = _start(client, case)
    assert opened.status_code == 201
    url = opened.json()["url"]

    assert _patch(client, url, 0, DATA[:500_000]).json()["offset"] == 500_000
    wrong = _patch(client, url, 0, DATA[:1000])
    assert wrong.status_code == 409 and wrong.json()["offset"] == 500_000
    assert client.get(url).json() == {
        "id": opened.json()["id"],
        "offset": 500_000,
        "size": len(DATA),
        "complete": False,
        "url": url,
    }
    done = _patch(client, url, 500_000, DATA[500_000:])

    assert done.status_code == 200 and done.json()["complete"]
    assert done.json()["evidence"]["sha256"] == hashlib.sha256(DATA).hexdigest()
    evidence = Evidence.objects.get()
    assert evidence.proves == "现场情况" and evidence.collected_at is not None
    page = client.get(reverse("evidence:case", args=[case.pk])).content.decode()
    assert "执法记录仪.mp4" in page


def test_an_abandoned_upload_leaves_nothing(store: LocalStore, case: Case, personas: Any) -> None:
    client = _client(personas.alice)
    url = _start(client, case).json()["url"]
    _patch(client, url, 0, DATA[:1000])

    assert client.delete(url).status_code == 204
    assert not Upload.objects.exists() and not Evidence.objects.exists()


def test_only_its_uploader_sees_an_upload(store: LocalStore, case: Case, personas: Any) -> None:
    url = _start(_client(personas.alice), case).json()["url"]
    assert _client(personas.bob).get(url).status_code == 404


def test_an_empty_file_is_refused_in_chinese(store: LocalStore, case: Case, personas: Any) -> None:
    answer = _start(_client(personas.alice), case, size=0)
    assert answer.status_code == 400 and "空文件" in answer.json()["error"]


def test_the_case_page_links_to_its_evidence(store: LocalStore, case: Case, personas: Any) -> None:
    page = _client(personas.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("evidence:case", args=[case.pk]) in page


def test_the_admin_shows_evidence_but_offers_no_change(store: LocalStore, case: Case, personas: Any) -> None:
    from sanxiang.accounts.models import User

    alice = _client(personas.alice)
    _patch(alice, _start(alice, case).json()["url"], 0, DATA)
    evidence = Evidence.objects.get()
    client = _client(User.objects.create_superuser("root", password="x", agency=personas.agency_a))

    assert "执法记录仪.mp4" in client.get(reverse("admin:evidence_evidence_changelist")).content.decode()
    assert client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    assert client.post(reverse("admin:evidence_evidence_delete", args=[evidence.pk])).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
