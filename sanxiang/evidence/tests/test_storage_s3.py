"""The S3 evidence store against a real S3 server: Ceph's RADOS Gateway, started once per test run."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.demo.evidence import body_camera_video
from sanxiang.evidence import services, tasks
from sanxiang.evidence.models import (
    Blob,
    Derivative,
    Evidence,
    FixityCheck,
    FixityOutcome,
    MediaMetadata,
    MediaStatus,
    Upload,
)
from sanxiang.evidence.storage import (
    Digests,
    StoreError,
    StoreUnavailableError,
    content_key,
    get_store,
    open_seekable,
    read_chunks,
)
from sanxiang.evidence.storage_s3 import S3Store
from sanxiang.evidence.testing.ceph_rgw import CephRGW, CephUnavailableError
from sanxiang.evidence.tests.conftest import CASE_NUMBER

MiB = 1 << 20
# Ceph refuses multipart parts under 5 MiB but the last: 12 MiB in 5 MiB parts is three parts.
LARGE = (bytes(range(256)) * (12 * MiB // 256)) + b"tail"


def _store(store: S3Store, **changes: Any) -> S3Store:
    """The test's store (as the settings describe it) with some of its options changed."""
    options: dict[str, Any] = {
        "bucket": settings.EVIDENCE_S3_BUCKET,
        "staging": store.staging,
        "endpoint_url": settings.EVIDENCE_S3_ENDPOINT_URL,
        "region": settings.EVIDENCE_S3_REGION,
        "access_key": settings.EVIDENCE_S3_ACCESS_KEY,
        "secret_key": settings.EVIDENCE_S3_SECRET_KEY,
        "retention_years": settings.EVIDENCE_RETENTION_YEARS,
        "lock_mode": settings.EVIDENCE_S3_LOCK_MODE,
    }
    return S3Store(**{**options, **changes})


def _keep(store: S3Store, data: bytes) -> str:
    staged = store.stage()
    staged.append(read_chunks(io.BytesIO(data)))
    return store.keep(staged, staged.digests())


def _versions(store: S3Store) -> list[dict[str, Any]]:
    return list(store.client.list_object_versions(Bucket=store.bucket).get("Versions", []))


def _staged(store: S3Store) -> list[Path]:
    return sorted(store.staging.glob("*")) if store.staging.exists() else []


# --- the store -----------------------------------------------------------------------------------------


def test_a_large_original_goes_up_in_parts_and_reads_back_whole_and_by_range(s3_store: S3Store) -> None:
    store = _store(s3_store, part_size=5 * MiB)

    key = store.keep(*_staged_with(store, LARGE))

    digest = hashlib.sha256(LARGE).hexdigest()
    assert key == content_key(digest)
    assert store.exists(key)
    with store.open(key) as original:
        assert hashlib.sha256(original.read()).hexdigest() == digest
    assert b"".join(store.read_range(key, 1000, 7 * MiB)) == LARGE[1000 : 7 * MiB]
    assert b"".join(store.read_range(key, len(LARGE) - 3, len(LARGE) + 100)) == b"ail"
    assert b"".join(store.read_range(key, len(LARGE) + 10, len(LARGE) + 100)) == b""
    assert store.describe(key) == f"s3://{store.bucket}/{key}"
    head = store.client.head_object(Bucket=store.bucket, Key=key)
    assert head["ETag"].strip('"').endswith("-3")
    assert head["Metadata"]["sha256"] == digest
    assert _staged(store) == []


def _staged_with(store: S3Store, data: bytes) -> tuple[Any, Digests]:
    staged = store.stage()
    staged.append(read_chunks(io.BytesIO(data)))
    return staged, staged.digests()


def test_every_original_is_locked_in_compliance_mode_for_the_retention_years(s3_store: S3Store) -> None:
    key = _keep(s3_store, b"photo bytes")

    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key=key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    until = head["ObjectLockRetainUntilDate"]
    expected = timezone.now() + datetime.timedelta(days=365 * 30)
    assert abs((until - expected).days) <= 8


def test_the_lock_mode_and_years_come_from_the_settings(s3_store: S3Store, settings: Any) -> None:
    settings.EVIDENCE_S3_LOCK_MODE = "GOVERNANCE"
    settings.EVIDENCE_RETENTION_YEARS = 2
    store = get_store()
    assert isinstance(store, S3Store)

    key = _keep(store, b"scan bytes")

    head = store.client.head_object(Bucket=store.bucket, Key=key)
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"].year == timezone.now().year + 2


def test_the_same_bytes_kept_twice_are_one_object(s3_store: S3Store) -> None:
    first = _keep(s3_store, b"x" * 4096)
    second = _keep(s3_store, b"x" * 4096)

    assert first == second
    assert [version["Key"] for version in _versions(s3_store)] == [first]
    assert _staged(s3_store) == []


def test_an_upload_broken_off_part_way_leaves_no_object_and_no_staged_file(
    s3_store: S3Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(s3_store, part_size=5 * MiB)
    sent = store.client.upload_part
    calls = []

    def breaks_on_the_second_part(**kwargs: Any) -> Any:
        calls.append(kwargs["PartNumber"])
        if len(calls) == 2:
            raise ConnectionClosedError(endpoint_url=store.endpoint_url)
        return sent(**kwargs)

    monkeypatch.setattr(store.client, "upload_part", breaks_on_the_second_part)
    staged, digests = _staged_with(store, LARGE)

    with pytest.raises(StoreUnavailableError, match="无法完成请求"):
        store.keep(staged, digests)

    assert 2 in calls
    assert _versions(store) == []
    assert store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []
    assert _staged(store) == []
    assert not store.exists(content_key(digests.sha256))


def test_the_server_refuses_bytes_that_do_not_match_their_md5(
    s3_store: S3Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sanxiang.evidence.storage_s3._md5", lambda data: hashlib.sha256(data).digest()[:16])
    staged, digests = _staged_with(s3_store, b"bytes damaged on the way")

    with pytest.raises(StoreError, match="BadDigest"):
        s3_store.keep(staged, digests)
    assert _versions(s3_store) == []
    assert _staged(s3_store) == []


def test_object_lock_refuses_to_delete_a_kept_original_even_to_its_owner(s3_store: S3Store) -> None:
    key = _keep(s3_store, b"the original")
    (version,) = _versions(s3_store)
    client = s3_store.client  # the bucket owner's own keys

    for bypass in (False, True):
        with pytest.raises(ClientError) as refused:
            client.delete_object(
                Bucket=s3_store.bucket,
                Key=key,
                VersionId=version["VersionId"],
                BypassGovernanceRetention=bypass,
            )
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError):
        client.put_object_retention(
            Bucket=s3_store.bucket,
            Key=key,
            VersionId=version["VersionId"],
            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": timezone.now() + datetime.timedelta(days=1)},
        )

    assert s3_store.exists(key)
    assert b"".join(s3_store.read_range(key, 0, 100)) == b"the original"


def test_bytes_put_over_a_kept_original_never_replace_it(s3_store: S3Store) -> None:
    # Under object lock S3 never replaces an object: a PUT on the same key adds a newer version, and a
    # DELETE without a version only adds a delete marker. The store reads the first version, the original.
    key = _keep(s3_store, b"the original")
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=key, Body=b"forged")
    s3_store.client.delete_object(Bucket=s3_store.bucket, Key=key)

    assert s3_store.exists(key)
    with s3_store.open(key) as original:
        assert original.read() == b"the original"
    assert b"".join(s3_store.read_range(key, 4, 8)) == b"orig"
    original_version = _versions(s3_store)[-1]
    assert original_version["Size"] == len(b"the original")
    # Keeping the same bytes again adds nothing on top of the forged version.
    _keep(s3_store, b"the original")
    assert len(_versions(s3_store)) == 2


def test_a_bucket_without_object_lock_is_refused(s3_store: S3Store) -> None:
    plain = _store(s3_store, bucket=f"plain-{secrets.token_hex(6)}")
    plain.client.create_bucket(Bucket=plain.bucket)

    with pytest.raises(StoreUnavailableError, match="未启用对象锁定"):
        plain.check_available()
    s3_store.check_available()


def test_a_missing_bucket_is_reported_as_such(s3_store: S3Store) -> None:
    with pytest.raises(StoreUnavailableError, match="证据存储桶“nowhere-bucket”不存在"):
        _store(s3_store, bucket="nowhere-bucket").check_available()


def test_an_unreachable_endpoint_is_a_clear_error(s3_store: S3Store) -> None:
    from sanxiang.evidence.testing.ceph_rgw import _free_port

    store = _store(s3_store, endpoint_url=f"http://127.0.0.1:{_free_port()}")

    with pytest.raises(StoreUnavailableError, match=r"无法连接证据对象存储 http://127\.0\.0\.1:"):
        store.check_available()
    with pytest.raises(StoreUnavailableError, match="无法连接证据对象存储"):
        store.exists(content_key("0" * 64))


def test_wrong_keys_are_refused_by_the_server(s3_store: S3Store) -> None:
    store = _store(s3_store, secret_key="not-the-secret")

    with pytest.raises(StoreUnavailableError, match="拒绝访问（SignatureDoesNotMatch）"):
        store.exists(content_key("0" * 64))


def test_no_credentials_at_all_is_a_clear_error(
    s3_store: S3Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    store = _store(s3_store, access_key=None, secret_key=None)

    with pytest.raises(StoreUnavailableError, match="未配置访问密钥"):
        store.check_available()


def test_a_lock_mode_other_than_compliance_or_governance_is_refused(s3_store: S3Store) -> None:
    with pytest.raises(StoreUnavailableError, match="对象锁定模式“LEGAL”无效"):
        _store(s3_store, lock_mode="LEGAL")


# --- the evidence services and commands on the S3 store --------------------------------------------------

DATA = bytes(range(256)) * 5000


@pytest.fixture
def card(tmp_path: Path) -> Path:
    root = tmp_path / "card" / "DCIM"
    root.mkdir(parents=True)
    (root / "CLIP0001.MP4").write_bytes(b"\x00clip one" * 300_000)
    (root / "IMG0001.JPG").write_bytes(b"\xff\xd8photo")
    (root / "COPY0001.MP4").write_bytes(b"\x00clip one" * 300_000)
    return tmp_path / "card"


def _import(folder: Path) -> None:
    call_command("import_media", str(folder), case=CASE_NUMBER, collector="alice")


@pytest.mark.django_db
def test_a_resumed_browser_upload_becomes_a_locked_original_in_the_bucket(
    s3_store: S3Store, case: Case, personas: Any
) -> None:
    alice = personas.alice
    upload = services.upload_start(case=case, actor=alice, name="现场.mp4", size=len(DATA))
    upload = services.upload_append(
        upload=upload, offset=0, source=io.BytesIO(DATA[:300_000]), length=300_000, actor=alice
    )
    services._HASHERS.clear()  # resumed by another process
    upload = services.upload_append(
        upload=Upload.objects.get(pk=upload.pk),
        offset=300_000,
        source=io.BytesIO(DATA[300_000:]),
        length=len(DATA) - 300_000,
        actor=alice,
    )

    blob = Evidence.objects.get().blob
    assert blob.sha256 == hashlib.sha256(DATA).hexdigest()
    assert b"".join(s3_store.read_range(blob.storage_key, 0, len(DATA))) == DATA
    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key=blob.storage_key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert _staged(s3_store) == []


@pytest.mark.django_db
def test_the_same_upload_twice_is_one_object_in_the_bucket(
    s3_store: S3Store, case: Case, personas: Any
) -> None:
    for name in ("a.jpg", "b.jpg"):
        upload = services.upload_start(case=case, actor=personas.alice, name=name, size=len(DATA))
        services.upload_append(
            upload=upload, offset=0, source=io.BytesIO(DATA), length=len(DATA), actor=personas.alice
        )

    assert Evidence.objects.count() == 2 and Blob.objects.count() == 1
    assert len(_versions(s3_store)) == 1


@pytest.mark.django_db
def test_a_refused_upload_to_the_bucket_leaves_no_row_no_object_and_no_staged_file(
    s3_store: S3Store, case: Case, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: S3Store, *args: Any, **kwargs: Any) -> None:
        raise StoreUnavailableError("证据对象存储拒绝访问（AccessDenied）")

    monkeypatch.setattr(S3Store, "_upload", refused)
    upload = services.upload_start(case=case, actor=personas.alice, name="现场.mp4", size=len(DATA))

    with pytest.raises(StoreError, match="拒绝访问"):
        services.upload_append(
            upload=upload, offset=0, source=io.BytesIO(DATA), length=len(DATA), actor=personas.alice
        )
    assert not Evidence.objects.exists() and not Blob.objects.exists()
    assert _versions(s3_store) == [] and _staged(s3_store) == []


@pytest.mark.django_db
def test_an_import_interrupted_while_copying_leaves_no_row_no_object_and_no_staged_file(
    s3_store: S3Store, case: Case, personas: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = tmp_path / "CLIP0001.MP4"
    clip.write_bytes(DATA)

    real_copy = os.copy_file_range
    calls = []

    def card_pulled_out(source: int, target: int, size: int) -> int:
        calls.append(size)
        if len(calls) == 1:
            return real_copy(source, target, 1000)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "copy_file_range", card_pulled_out)
    with pytest.raises(StoreError, match="Input/output error"):
        services.evidence_import_file(path=clip, case=case, collector=personas.alice, store=s3_store)

    assert not Evidence.objects.exists() and not Blob.objects.exists()
    assert _versions(s3_store) == [] and _staged(s3_store) == []


@pytest.mark.django_db
def test_import_media_stores_a_card_in_the_bucket_and_verify_fixity_finds_it_intact(
    s3_store: S3Store, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(card)
    _import(card)  # run again: everything is skipped

    assert Evidence.objects.count() == 2
    assert len(_versions(s3_store)) == 2
    call_command("verify_fixity")
    assert "已核验 2 个原件：完好 2" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_fixity_names_an_object_whose_bytes_differ_from_the_recorded_hash(
    s3_store: S3Store, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(card)
    # An object that came into the bucket some other way than through the store: its key names one hash,
    # its bytes have another. (A kept original cannot be changed: see the object lock tests above.)
    recorded = hashlib.sha256(b"what the record says").hexdigest()
    altered = Blob.objects.create(
        sha256=recorded, size=20, storage_key=content_key(recorded), stored_at=timezone.now()
    )
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=altered.storage_key, Body=b"other bytes entirely")
    lost = hashlib.sha256(b"never arrived").hexdigest()
    Blob.objects.create(sha256=lost, size=13, storage_key=content_key(lost), stored_at=timezone.now())

    with pytest.raises(CommandError, match="已被改动 1，缺失 1") as failed:
        call_command("verify_fixity")

    assert failed.value.returncode == 1
    errors = capsys.readouterr().err
    assert f"s3://{s3_store.bucket}/{altered.storage_key}" in errors
    assert f"s3://{s3_store.bucket}/{content_key(lost)}" in errors
    assert FixityCheck.objects.filter(outcome=FixityOutcome.INTACT).count() == 2


@pytest.mark.django_db
def test_commands_report_an_unreachable_store_in_chinese(
    s3_store: S3Store, case: Case, card: Path, settings: Any
) -> None:
    _import(card)
    from sanxiang.evidence.testing.ceph_rgw import _free_port

    settings.EVIDENCE_S3_ENDPOINT_URL = f"http://127.0.0.1:{_free_port()}"

    with pytest.raises(CommandError, match="无法连接证据对象存储") as failed:
        call_command("verify_fixity")
    assert failed.value.returncode == 2
    (card / "DCIM" / "NEW0001.MP4").write_bytes(b"new clip")
    with pytest.raises(CommandError, match="无法连接证据对象存储"):
        _import(card)
    assert Evidence.objects.count() == 2


@pytest.mark.django_db
def test_evidence_bucket_setup_creates_a_locked_bucket_once_and_then_checks_it(
    ceph_rgw: CephRGW, s3_store: S3Store, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.EVIDENCE_S3_BUCKET = f"setup-{secrets.token_hex(6)}"

    call_command("evidence_bucket_setup")
    assert "已创建证据存储桶" in capsys.readouterr().out
    call_command("evidence_bucket_setup")
    assert "已存在且可用" in capsys.readouterr().out

    lock = s3_store.client.get_object_lock_configuration(Bucket=settings.EVIDENCE_S3_BUCKET)
    assert lock["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"


@pytest.mark.django_db
def test_evidence_bucket_setup_refuses_an_existing_bucket_without_object_lock(
    s3_store: S3Store, settings: Any
) -> None:
    settings.EVIDENCE_S3_BUCKET = f"plain-{secrets.token_hex(6)}"
    s3_store.client.create_bucket(Bucket=settings.EVIDENCE_S3_BUCKET)

    with pytest.raises(CommandError, match="未启用对象锁定"):
        call_command("evidence_bucket_setup")


def test_evidence_bucket_setup_says_when_the_store_is_not_s3(settings: Any) -> None:
    settings.EVIDENCE_STORAGE = "local"

    with pytest.raises(CommandError, match="证据存储未配置为 S3"):
        call_command("evidence_bucket_setup")


def test_without_ceph_the_test_server_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sanxiang.evidence.testing.ceph_rgw.shutil.which", lambda name: None)

    with pytest.raises(
        CephUnavailableError, match="apt-get install --no-install-recommends ceph-mon ceph-osd"
    ):
        CephRGW().start()


@pytest.mark.django_db
def test_the_metadata_of_a_video_whose_index_is_at_its_end_is_read_from_the_bucket(
    s3_store: S3Store, case: Case, personas: Any, tmp_path: Path
) -> None:
    started = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    clip = body_camera_video(
        tmp_path / "DSJ0035.MP4", started_at=started, seconds=3, device="执法记录仪 DSJ-0035", caption="查封"
    )
    assert b"moov" in clip.read_bytes()[-200_000:]  # as cameras write them: the index after the frames
    _outcome, evidence = services.evidence_import_file(path=clip, case=case, collector=personas.alice)
    assert evidence is not None

    assert tasks.extract_media_metadata.call(evidence.pk) == MediaStatus.EXTRACTED

    metadata = MediaMetadata.objects.get(evidence=evidence)
    assert metadata.duration is not None and 2.5 < float(metadata.duration) < 3.5
    assert Derivative.objects.filter(evidence=evidence).exists()


def test_an_original_in_the_bucket_opens_for_reading_anywhere_as_a_demuxer_needs(s3_store: S3Store) -> None:
    data = os.urandom(3 << 20)
    staged = s3_store.stage()
    staged.append(iter([data]))
    key = s3_store.keep(staged, staged.digests())

    with open_seekable(s3_store, key, len(data)) as original:
        assert original.seekable()
        original.seek(-100, os.SEEK_END)
        assert original.read() == data[-100:]
        original.seek(1_500_000)
        assert original.read(10) == data[1_500_000:1_500_010]
        assert original.tell() == 1_500_010
