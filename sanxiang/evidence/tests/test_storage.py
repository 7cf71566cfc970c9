from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

import pytest

from sanxiang.evidence.storage import LocalStore, content_key, hash_stream, read_chunks
from sanxiang.evidence.tests.conftest import objects_in, staged_in


def test_a_kept_original_sits_read_only_at_its_content_address(store: LocalStore) -> None:
    data = b"photo bytes" * 1000
    staged = store.stage()
    staged.append(read_chunks(io.BytesIO(data)))
    assert staged.hasher is not None
    digests = staged.digests()

    key = store.keep(staged, digests)

    digest = hashlib.sha256(data).hexdigest()
    assert key == content_key(digest) == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    path = store.path_of(key)
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0
    assert staged_in(store) == []


def test_the_same_bytes_kept_twice_are_one_file_and_never_overwritten(store: LocalStore) -> None:
    data = b"x" * 4096
    for _ in range(2):
        staged = store.stage()
        staged.append(iter([data]))
        assert staged.hasher is not None
        store.keep(staged, staged.digests())
    assert len(objects_in(store)) == 1
    assert staged_in(store) == []


def test_sm3_is_computed_beside_sha256_when_the_deployment_enables_it(settings: object) -> None:
    settings.EVIDENCE_SM3 = True  # type: ignore[attr-defined]
    digests = hash_stream(io.BytesIO(b"abc"))
    # GB/T 32905-2016, example A.1
    assert digests.sm3 == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert digests.sha256 == hashlib.sha256(b"abc").hexdigest()


def test_a_missing_store_folder_is_reported_as_unavailable(store: LocalStore) -> None:
    from sanxiang.evidence.storage import StoreUnavailableError

    with pytest.raises(StoreUnavailableError, match="证据存储目录不存在"):
        store.check_available()


def test_a_range_of_an_original_is_read_without_the_rest(store: LocalStore) -> None:
    data = bytes(range(256)) * 10_000
    staged = store.stage()
    staged.append(iter([data]))
    key = store.keep(staged, staged.digests())

    assert b"".join(store.read_range(key, 1000, 2_000_500)) == data[1000:2_000_500]
    assert b"".join(store.read_range(key, len(data) - 3, len(data) + 100)) == data[-3:]
    assert store.describe(key).endswith(key)


def test_an_upload_with_no_bytes_yet_hashes_its_first_piece_as_it_arrives(store: LocalStore) -> None:
    fresh = store.stage()
    resumed = store.stage(fresh.path.stem)
    assert resumed.hasher is None

    resumed.append(iter([b"first piece"]), sync=False)

    assert resumed.hasher is not None
    assert resumed.digests().sha256 == hashlib.sha256(b"first piece").hexdigest()


def test_a_file_copied_in_the_kernel_is_hashed_as_stored(store: LocalStore, tmp_path: Path) -> None:
    data = os.urandom(40 << 20)  # more than two pieces of the kernel copy
    source = tmp_path / "CLIP0001.MP4"
    source.write_bytes(data)
    staged = store.stage()

    with source.open("rb") as card:
        copied = staged.copy_from(card)

    assert copied == len(data) == staged.size
    assert staged.digests().sha256 == hashlib.sha256(data).hexdigest()
    assert staged.path.read_bytes() == data


def test_where_the_kernel_cannot_copy_the_bytes_go_through_the_ordinary_path(
    store: LocalStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cross_device(*args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", cross_device)
    data = b"camera card on another file system" * 10_000
    source = tmp_path / "CLIP0002.MP4"
    source.write_bytes(data)
    staged = store.stage()

    with source.open("rb") as card:
        assert staged.copy_from(card) == len(data)

    assert staged.digests().sha256 == hashlib.sha256(data).hexdigest()
    assert staged.path.read_bytes() == data
