from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case
from sanxiang.evidence import media, services
from sanxiang.evidence.models import Derivative, DerivativeKind, Evidence, MediaMetadata, MediaStatus
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tasks import extract_media_metadata
from sanxiang.evidence.tests import media_files

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def ingest(case: Case, actor: Any, name: str, data: bytes, commit: Callable[..., Any]) -> Evidence:
    """Upload ``data`` through the service and run what waits for the commit (the queueing)."""
    with commit(execute=True):
        upload = services.upload_start(case=case, actor=actor, name=name, size=len(data))
        upload = services.upload_append(
            upload=upload, offset=0, source=io.BytesIO(data), length=len(data), actor=actor
        )
    assert upload.evidence is not None
    return upload.evidence


def test_a_video_gets_its_metadata_and_a_thumbnail_after_ingest(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = ingest(
        case, personas.alice, "执法记录仪.mp4", media_files.video(), django_capture_on_commit_callbacks
    )

    info = MediaMetadata.objects.get(evidence=evidence)
    assert info.status == MediaStatus.EXTRACTED
    assert (info.container, info.video_codec, info.width, info.height, info.frame_rate) == (
        "mp4",
        "mpeg4",
        64,
        48,
        10.0,
    )
    assert info.duration == pytest.approx(2.0, abs=0.1)
    assert info.created_in_file is not None
    thumbnail = Derivative.objects.get(evidence=evidence, kind=DerivativeKind.THUMBNAIL)
    assert Image.open(io.BytesIO(bytes(thumbnail.content))).format == "JPEG"
    # The original is untouched: the thumbnail is its own row.
    assert store.path_of(evidence.blob.storage_key).read_bytes() == media_files.video()
    types = list(Event.objects.filter(subject_id=str(evidence.pk)).values_list("event_type", flat=True))
    assert EventType.EVIDENCE_MEDIA_EXTRACTED in types


def test_an_audio_recording_gets_its_duration_and_codec(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = media_files.audio(format="mp3", codec="mp3")
    evidence = ingest(case, personas.alice, "询问录音.mp3", data, django_capture_on_commit_callbacks)

    info = MediaMetadata.objects.get(evidence=evidence)
    assert (info.status, info.container, info.audio_codec) == (MediaStatus.EXTRACTED, "mp3", "mp3")
    assert not Derivative.objects.filter(evidence=evidence).exists()


def test_a_photo_shows_its_exif_time_and_place_and_gets_a_thumbnail(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = ingest(
        case, personas.alice, "现场.jpg", media_files.photo(), django_capture_on_commit_callbacks
    )

    info = MediaMetadata.objects.get(evidence=evidence)
    assert info.status == MediaStatus.EXTRACTED
    assert info.taken_at is not None
    assert (float(info.latitude or 0), float(info.longitude or 0)) == (31.46, 116.94)
    assert Derivative.objects.get(evidence=evidence).width == 320


def test_a_corrupt_video_is_recorded_as_unreadable_and_stays_evidence(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = ingest(
        case, personas.alice, "坏文件.mp4", b"\x00\x01broken" * 500, django_capture_on_commit_callbacks
    )

    info = MediaMetadata.objects.get(evidence=evidence)
    assert info.status == MediaStatus.FAILED
    assert "无法识别为音视频文件" in info.message
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    event = Event.objects.get(event_type=EventType.EVIDENCE_MEDIA_FAILED)
    assert json.loads(event.data)["message"] == info.message


def test_a_missing_original_is_recorded_as_a_failure_not_an_exception(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        upload = services.upload_start(case=case, actor=personas.alice, name="a.mp4", size=10)
        upload = services.upload_append(
            upload=upload, offset=0, source=io.BytesIO(b"0123456789"), length=10, actor=personas.alice
        )
    assert upload.evidence is not None
    store.path_of(upload.evidence.blob.storage_key).unlink()

    assert extract_media_metadata.call(upload.evidence.pk) == MediaStatus.FAILED
    assert MediaMetadata.objects.get().message == "无法读取证据原件，请检查证据存储。"


def test_a_scan_or_other_file_is_not_queued(
    immediate: None, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ingest(case, personas.alice, "营业执照.pdf", b"%PDF-1.4 not much", django_capture_on_commit_callbacks)

    assert not MediaMetadata.objects.exists()


def test_ingest_queues_the_extraction_without_running_it(
    settings: Any, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DATABASE
    evidence = ingest(
        case, personas.alice, "执法记录仪.mp4", media_files.video(), django_capture_on_commit_callbacks
    )

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sanxiang.evidence.tasks.extract_media_metadata"
    assert queued.args_kwargs == {"args": [evidence.pk], "kwargs": {}}
    assert queued.status == "READY"
    assert MediaMetadata.objects.get(evidence=evidence).status == MediaStatus.PENDING
    assert not Derivative.objects.exists()


def test_an_unexpected_error_in_a_decoder_is_recorded_and_the_worker_goes_on(
    immediate: None,
    store: LocalStore,
    case: Case,
    personas: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(source: Any) -> Any:
        raise RuntimeError("decoder bug")

    monkeypatch.setattr(media, "read_av", broken)
    evidence = ingest(case, personas.alice, "a.mp4", media_files.video(), django_capture_on_commit_callbacks)

    info = MediaMetadata.objects.get(evidence=evidence)
    assert info.status == MediaStatus.FAILED
    assert info.message == "无法读取该文件的技术信息（文件可能已损坏或格式不受支持）。"


def test_extract_media_queues_items_without_metadata_and_on_request_the_failed(
    settings: Any, store: LocalStore, case: Case, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    good = ingest(case, personas.alice, "a.mp4", media_files.video(), django_capture_on_commit_callbacks)
    bad = ingest(case, personas.alice, "b.mp4", b"broken" * 100, django_capture_on_commit_callbacks)
    MediaMetadata.objects.filter(evidence=good).delete()
    Derivative.objects.filter(evidence=good).delete()
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("extract_media", stdout=out)
    assert "已排队提取 1 项。" in out.getvalue()
    assert MediaMetadata.objects.get(evidence=good).status == MediaStatus.EXTRACTED
    assert Derivative.objects.filter(evidence=good).exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("extract_media", "--failed", stdout=out)
    assert "已排队提取 1 项。" in out.getvalue().splitlines()[-1]
    assert MediaMetadata.objects.get(evidence=bad).status == MediaStatus.FAILED
