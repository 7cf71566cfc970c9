from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case
from sanxiang.evidence import services
from sanxiang.evidence.models import AVRecord, Evidence, MediaStatus, RecordedAct
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tests import media_files
from sanxiang.evidence.tests.conftest import CASE_NUMBER

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ingest(case: Case, actor: Any, name: str, data: bytes, commit: Any) -> Evidence:
    with commit(execute=True):
        upload = services.upload_start(case=case, actor=actor, name=name, size=len(data))
        upload = services.upload_append(
            upload=upload, offset=0, source=io.BytesIO(data), length=len(data), actor=actor
        )
    assert upload.evidence is not None
    return upload.evidence


@pytest.fixture
def video(
    settings: Any, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> Evidence:
    settings.TASKS = IMMEDIATE
    return _ingest(
        case, personas.alice, "执法记录仪.mp4", media_files.video(), django_capture_on_commit_callbacks
    )


def _form(personas: Any, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "act": RecordedAct.SEAL_SEIZE,
        "started_at": "2026-03-02T09:00:00",
        "ended_at": "2026-03-02T09:40:00",
        "place": "某化工厂原料仓库",
        "collectors": [personas.alice_officer.pk],
        "device": "DSJ-01",
        "proves": "查封现场",
        "retention": "with_case_file",
        "stop_rows": "2",
        "stop_0_at": "2026-03-02T09:10:00",
        "stop_0_until": "2026-03-02T09:12:00",
        "stop_0_reason": "更换电池",
    }
    data.update(changes)
    return data


def test_the_item_page_shows_hashes_ingest_and_the_extracted_metadata(video: Evidence, personas: Any) -> None:
    page = _client(personas.alice).get(reverse("evidence:item", args=[video.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert video.blob.sha256 in text
    assert "执法记录仪.mp4" in text
    assert "mpeg4" in text and "64×48" in text
    assert reverse("evidence:thumbnail", args=[video.pk]) in text
    assert "登记为音像记录" in text
    assert "hx-trigger" not in text  # extracted: nothing left to poll for


def test_a_pending_extraction_shows_extracting_and_polls(
    settings: Any, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evidence = _ingest(case, personas.alice, "a.mp4", media_files.video(), django_capture_on_commit_callbacks)

    page = _client(personas.alice).get(reverse("evidence:item", args=[evidence.pk]))
    panel = _client(personas.alice).get(reverse("evidence:item_media", args=[evidence.pk]))

    assert "提取中…" in page.content.decode()
    assert 'hx-trigger="every 3s"' in panel.content.decode()
    assert evidence.media.status == MediaStatus.PENDING


def test_the_thumbnail_is_served_as_jpeg(video: Evidence, personas: Any) -> None:
    response = _client(personas.alice).get(reverse("evidence:thumbnail", args=[video.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"


def test_another_agency_sees_neither_the_item_nor_its_thumbnail(video: Evidence, personas: Any) -> None:
    client = _client(personas.charlie)

    assert client.get(reverse("evidence:item", args=[video.pk])).status_code == 404
    assert client.get(reverse("evidence:thumbnail", args=[video.pk])).status_code == 404


def test_a_reviewer_who_is_no_handler_sees_the_thumbnail_but_not_the_item_page(
    video: Evidence, personas: Any
) -> None:
    client = _client(personas.bob)

    assert client.get(reverse("evidence:item", args=[video.pk])).status_code == 404
    assert client.get(reverse("evidence:thumbnail", args=[video.pk])).status_code == 200
    listing = client.get(reverse("evidence:case", args=[video.case_id])).content.decode()
    assert f'href="{reverse("evidence:item", args=[video.pk])}"' not in listing


def test_a_handler_describes_the_video_from_its_page(video: Evidence, personas: Any) -> None:
    response = _client(personas.alice).post(reverse("evidence:item", args=[video.pk]), _form(personas))

    assert response.status_code == 302
    record = AVRecord.objects.get()
    assert record.number == f"{CASE_NUMBER}-音像1"
    assert [i.reason for i in record.interruptions.all()] == ["更换电池"]
    page = _client(personas.alice).get(reverse("evidence:item", args=[video.pk])).content.decode()
    assert record.number in page and "更正音像记录" in page
    listing = _client(personas.alice).get(reverse("evidence:case", args=[video.case_id])).content.decode()
    assert record.number in listing and "查封扣押" in listing
    assert f'href="{reverse("evidence:item", args=[video.pk])}"' in listing


def test_a_wrong_description_is_refused_in_chinese_and_nothing_is_saved(
    video: Evidence, personas: Any
) -> None:
    response = _client(personas.alice).post(
        reverse("evidence:item", args=[video.pk]), _form(personas, ended_at="2026-03-02T08:00:00")
    )

    assert response.status_code == 400
    assert "摄录结束时间须晚于开始时间。" in response.content.decode()
    assert not AVRecord.objects.exists()


def test_an_interruption_without_a_reason_is_refused(video: Evidence, personas: Any) -> None:
    response = _client(personas.alice).post(
        reverse("evidence:item", args=[video.pk]), _form(personas, stop_0_reason="")
    )

    assert response.status_code == 400
    assert "请填写中断原因。" in response.content.decode()
    assert not AVRecord.objects.exists()


def test_a_correction_from_the_page_needs_a_reason(video: Evidence, personas: Any) -> None:
    client = _client(personas.alice)
    client.post(reverse("evidence:item", args=[video.pk]), _form(personas))

    refused = client.post(reverse("evidence:item", args=[video.pk]), _form(personas, place="二号仓库"))
    corrected = client.post(
        reverse("evidence:item", args=[video.pk]), _form(personas, place="二号仓库", reason="地点记错")
    )

    assert "音像记录已登记，更正须写明理由。" in refused.content.decode()
    assert corrected.status_code == 302
    assert AVRecord.objects.get().version == 2
    assert Event.objects.filter(event_type=EventType.AV_RECORD_CORRECTED).count() == 1


def test_a_photo_page_shows_exif_time_and_place_and_no_av_form(
    settings: Any, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    photo = _ingest(case, personas.alice, "现场.jpg", media_files.photo(), django_capture_on_commit_callbacks)

    text = _client(personas.alice).get(reverse("evidence:item", args=[photo.pk])).content.decode()

    assert "2026-03-02 09:15:00" in text
    assert "31.460000" in text and "116.940000" in text
    assert "登记为音像记录" not in text


def test_the_item_page_links_to_playback_and_custody(video: Evidence, personas: Any) -> None:
    text = _client(personas.alice).get(reverse("evidence:item", args=[video.pk])).content.decode()

    assert f'href="{reverse("access:evidence_open", args=[video.pk])}"' in text
    assert f'href="{reverse("access:evidence_custody", args=[video.pk])}"' in text
    assert "播放/查看原件" in text and "保管与调阅记录" in text


def test_the_admin_lists_av_records_metadata_and_thumbnails_read_only(video: Evidence, personas: Any) -> None:
    from sanxiang.accounts.models import User

    _client(personas.alice).post(reverse("evidence:item", args=[video.pk]), _form(personas))
    client = _client(User.objects.create_superuser("root", password="x", agency=personas.agency_a))

    assert (
        f"{CASE_NUMBER}-音像1" in client.get(reverse("admin:evidence_avrecord_changelist")).content.decode()
    )
    assert client.get(reverse("admin:evidence_mediametadata_changelist")).status_code == 200
    derivative = video.derivatives.get()
    page = client.get(reverse("admin:evidence_derivative_change", args=[derivative.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:evidence_avrecord_add")).status_code == 403
