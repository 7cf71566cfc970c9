from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case
from sanxiang.evidence import services
from sanxiang.evidence.models import Blob, Evidence, Kind, Upload
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tests.conftest import objects_in, staged_in

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 5000  # 1.28 MB: more than one read chunk


def _upload(case: Case, actor: Any, data: bytes = DATA, name: str = "现场.mp4") -> Upload:
    return services.upload_start(
        case=case, actor=actor, name=name, size=len(data), proves="现场未设置安全警示标志"
    )


def _send(upload: Upload, actor: Any, data: bytes, offset: int, length: int | None = None) -> Upload:
    piece = data[offset : offset + (len(data) - offset if length is None else length)]
    return services.upload_append(
        upload=upload, offset=offset, source=io.BytesIO(piece), length=len(piece), actor=actor
    )


def test_a_single_upload_becomes_evidence_with_its_hash(store: LocalStore, case: Case, personas: Any) -> None:
    upload = _send(_upload(case, personas.alice), personas.alice, DATA, 0)

    assert upload.evidence is not None
    evidence = Evidence.objects.get()
    assert evidence.blob.sha256 == hashlib.sha256(DATA).hexdigest()
    assert evidence.kind == Kind.VIDEO
    assert evidence.proves == "现场未设置安全警示标志"
    assert list(evidence.collectors.all()) == [personas.alice]
    assert store.path_of(evidence.blob.storage_key).read_bytes() == DATA


def test_a_resumed_upload_yields_the_same_hash_as_a_single_upload(
    store: LocalStore, case: Case, personas: Any
) -> None:
    upload = _upload(case, personas.alice)
    upload = _send(upload, personas.alice, DATA, 0, 300_000)
    # The connection drops part-way through the second chunk: what arrived is kept.
    broken = io.BytesIO(DATA[300_000:500_000])
    upload = services.upload_append(
        upload=upload, offset=300_000, source=broken, length=400_000, actor=personas.alice
    )
    assert upload.received == 500_000
    assert not upload.complete
    with pytest.raises(services.UploadOffsetError) as conflict:
        _send(upload, personas.alice, DATA, 700_000)
    assert conflict.value.received == 500_000
    services._HASHERS.clear()  # another process (or a restart) continues: the hash state is rebuilt
    upload = _send(Upload.objects.get(pk=upload.pk), personas.alice, DATA, 500_000)

    assert Evidence.objects.get().blob.sha256 == hashlib.sha256(DATA).hexdigest()
    assert staged_in(store) == []


def test_an_interrupted_upload_leaves_no_evidence_row_and_no_stray_object(
    store: LocalStore, case: Case, personas: Any
) -> None:
    upload = _send(_upload(case, personas.alice), personas.alice, DATA, 0, 100_000)

    assert not Evidence.objects.exists() and not Blob.objects.exists()
    assert objects_in(store) == []

    services.upload_abandon(upload=upload, actor=personas.alice)
    assert staged_in(store) == [] and not Upload.objects.exists()
    assert list(Event.objects.order_by("seq").values_list("event_type", flat=True)) == [
        EventType.EVIDENCE_UPLOAD_STARTED,
        EventType.EVIDENCE_UPLOAD_ABANDONED,
    ]


def test_bytes_past_the_recorded_offset_from_a_dead_request_are_dropped(
    store: LocalStore, case: Case, personas: Any
) -> None:
    upload = _send(_upload(case, personas.alice), personas.alice, DATA, 0, 1000)
    with (store.staging / f"{upload.pk}.part").open("ab") as part:
        part.write(b"garbage written by a request that died before recording it")
    _send(upload, personas.alice, DATA, 1000)
    assert Evidence.objects.get().blob.sha256 == hashlib.sha256(DATA).hexdigest()


def test_pieces_lost_in_a_crash_of_the_machine_are_sent_again_from_what_is_on_disk(
    store: LocalStore, case: Case, personas: Any
) -> None:
    upload = _send(_upload(case, personas.alice), personas.alice, DATA, 0, 600_000)
    # The machine stopped before its page cache reached the disk: the file holds less than was counted.
    with (store.staging / f"{upload.pk}.part").open("r+b") as part:
        part.truncate(250_000)
    services._HASHERS.clear()

    with pytest.raises(services.UploadOffsetError) as conflict:
        _send(upload, personas.alice, DATA, 600_000)

    assert conflict.value.received == 250_000
    assert Upload.objects.get(pk=upload.pk).received == 250_000
    _send(Upload.objects.get(pk=upload.pk), personas.alice, DATA, 250_000)
    assert Evidence.objects.get().blob.sha256 == hashlib.sha256(DATA).hexdigest()
    assert store.path_of(Evidence.objects.get().blob.storage_key).read_bytes() == DATA


def test_a_failure_while_placing_the_original_leaves_no_row_and_no_object(
    store: LocalStore, case: Case, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.link", full_disk)
    upload = _upload(case, personas.alice)
    with pytest.raises(services.StoreError, match="证据存储空间已满"):
        _send(upload, personas.alice, DATA, 0)
    assert not Evidence.objects.exists() and not Blob.objects.exists()
    assert objects_in(store) == [] and staged_in(store) == []


def test_the_same_bytes_uploaded_twice_are_stored_once(store: LocalStore, case: Case, personas: Any) -> None:
    _send(_upload(case, personas.alice, name="a.jpg"), personas.alice, DATA, 0)
    _send(_upload(case, personas.alice, name="b.jpg"), personas.alice, DATA, 0)

    assert Evidence.objects.count() == 2
    assert Blob.objects.count() == 1
    assert len(objects_in(store)) == 1
    ingested = Event.objects.filter(event_type=EventType.EVIDENCE_INGESTED).order_by("seq")
    assert [json.loads(event.data)["already_stored"] for event in ingested] == [False, True]


def test_only_the_cases_handlers_and_its_agencys_heads_may_add_evidence(
    store: LocalStore, case: Case, personas: Any
) -> None:
    for outsider in (personas.bob, personas.charlie, personas.supervisor):
        with pytest.raises(PermissionDenied):
            _upload(case, outsider)
    assert not Upload.objects.exists()


def test_an_empty_file_is_refused(store: LocalStore, case: Case, personas: Any) -> None:
    with pytest.raises(ValidationError, match="空文件"):
        services.upload_start(case=case, actor=personas.alice, name="空.jpg", size=0)


def test_another_user_cannot_continue_someones_upload(store: LocalStore, case: Case, personas: Any) -> None:
    upload = _upload(case, personas.alice)
    with pytest.raises(PermissionDenied):
        _send(upload, personas.bob, DATA, 0)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("IMG_0001.JPG", Kind.PHOTO),
        ("a.mp4", Kind.VIDEO),
        ("b.wav", Kind.AUDIO),
        ("c.pdf", Kind.SCAN),
        ("d.bin", Kind.OTHER),
        ("noext", Kind.OTHER),
    ],
)
def test_the_kind_follows_the_file_name(name: str, kind: Kind) -> None:
    assert services.kind_of(name) == kind


def test_an_original_lost_from_the_store_is_put_back_when_its_bytes_arrive_again(
    store: LocalStore, case: Case, personas: Any
) -> None:
    _send(_upload(case, personas.alice, name="a.jpg"), personas.alice, DATA, 0)
    blob = Blob.objects.get()
    path = store.path_of(blob.storage_key)
    path.unlink()

    _send(_upload(case, personas.alice, name="a-again.jpg"), personas.alice, DATA, 0)

    assert path.read_bytes() == DATA
    assert Blob.objects.count() == 1
    last = Event.objects.filter(event_type=EventType.EVIDENCE_INGESTED).order_by("-seq").first()
    assert last is not None and json.loads(last.data)["restored"] is True


def test_a_late_piece_of_a_completed_upload_leaves_no_stray_file(
    store: LocalStore, case: Case, personas: Any
) -> None:
    upload = _send(_upload(case, personas.alice), personas.alice, DATA, 0)
    stale = Upload.objects.get(pk=upload.pk)
    stale.evidence = None  # the late request read the row before the upload completed
    with pytest.raises(services.UploadOffsetError):
        _send(stale, personas.alice, DATA, 0, 10)
    assert staged_in(store) == []
    assert Evidence.objects.count() == 1
