"""The evidence store: originals written once under their content address, never modified.

Writing goes through a *staged* file in the store's own filesystem: bytes are streamed into it while being
hashed, then ``fsync``-ed, made read-only and hard-linked to the content address. ``link`` fails when the
address exists, so an original is never overwritten — the same bytes arriving twice are kept once — and a file
that was not fully written never appears under an address. A staged file that is abandoned is deleted.

``LocalStore`` keeps everything under one folder (``settings.EVIDENCE_ROOT``)::

    objects/sha256/ab/cd/abcd…   the originals, mode 0444
    staging/<name>.part          imports and browser uploads in progress

An S3 store (django-storages / boto3, bucket with object lock) implements the same :class:`Store` protocol:
staging stays a local file, ``keep`` becomes a ``PutObject`` with a retention date when the key is absent.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import secrets
import stat
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1 << 20  # 1 MiB: large enough for disk speed, small enough for constant memory
COPY_PIECE = 16 << 20  # copied in the kernel while the piece before it is hashed


class StoreError(Exception):
    """The store cannot do what was asked; the message says why, in Chinese."""


class StoreUnavailableError(StoreError):
    """The store's folder (or bucket) is missing or unreadable."""


class StoreFullError(StoreError):
    """No space left where the store writes."""


def _raise_for(error: OSError, path: Path) -> None:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        message = _("证据存储空间已满（%(path)s）：%(error)s")
        raise StoreFullError(message % {"path": path, "error": error}) from error
    raise StoreError(_("证据存储写入失败（%(path)s）：%(error)s") % {"path": path, "error": error}) from error


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


@dataclass
class Hasher:
    """SHA-256 always; SM3 as well when the deployment enables 国密 (``settings.EVIDENCE_SM3``)."""

    sm3_enabled: bool = field(default_factory=lambda: bool(settings.EVIDENCE_SM3))
    size: int = 0

    def __post_init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sm3 = hashlib.new("sm3") if self.sm3_enabled else None

    def update(self, data: bytes | memoryview) -> None:
        self._sha256.update(data)
        if self._sm3 is not None:
            self._sm3.update(data)
        self.size += len(data)

    def digests(self) -> Digests:
        return Digests(self._sha256.hexdigest(), self._sm3.hexdigest() if self._sm3 else "", self.size)


class Readable(Protocol):
    """A file, or a request's body read from the connection."""

    def read(self, size: int, /) -> bytes: ...


def read_chunks(stream: Readable, *, limit: int | None = None) -> Iterator[bytes]:
    """The stream in chunks of at most :data:`CHUNK` bytes, up to ``limit`` bytes when given."""
    left = limit
    while left is None or left > 0:
        data = stream.read(CHUNK if left is None else min(CHUNK, left))
        if not data:
            return
        if left is not None:
            left -= len(data)
        yield data


def hash_stream(stream: BinaryIO, *, sm3: bool | None = None) -> Digests:
    """The digests of a whole stream; SM3 as configured unless ``sm3`` says otherwise."""
    hasher = Hasher() if sm3 is None else Hasher(sm3_enabled=sm3)
    for data in read_chunks(stream):
        hasher.update(data)
    return hasher.digests()


def content_key(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


@dataclass
class Staged:
    """A file being written in the store's staging area, hashed as it is written (when ``hasher`` is set)."""

    path: Path
    hasher: Hasher | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def append(self, chunks: Iterator[bytes], *, sync: bool = True) -> int:
        """Append ``chunks`` to the file and the hash; return the bytes written (on disk on return if sync).

        A chunk is written by a second thread while the next one is read and this one hashed (both let go of
        the GIL): the time is that of the slower of the two, not their sum; at most two chunks are held. An
        empty file starts its hash here when none was given, so that a first piece is never read twice.
        """
        if self.hasher is None and self.size == 0:
            self.hasher = Hasher()
        written = 0
        try:
            with self.path.open("ab", buffering=0) as out, ThreadPoolExecutor(1) as writer:
                pending: Future[None] | None = None
                try:
                    for data in chunks:
                        if pending is not None:
                            pending.result()
                        pending = writer.submit(_write_all, out, data)
                        if self.hasher is not None:
                            self.hasher.update(data)
                        written += len(data)
                finally:
                    if pending is not None:
                        pending.result()
                if sync:
                    os.fsync(out.fileno())
        except OSError as error:
            _raise_for(error, self.path)
        return written

    def copy_from(self, source: BinaryIO, *, sync: bool = True) -> int:
        """Append the rest of the file ``source`` copied in the kernel (``copy_file_range``); return the size.

        The staged bytes are read back as they land (from the page cache) and hashed while the next piece is
        being copied, so the hash is of what is stored, not of what was meant to be. Where the kernel cannot
        copy between the two files (another file system, an old kernel), the bytes go through ``append``.
        """
        if self.hasher is None and self.size == 0:
            self.hasher = Hasher()
        hasher = self.hasher
        written = 0
        try:
            with self.path.open("r+b", buffering=0) as out, self.path.open("rb", buffering=0) as back:
                out.seek(0, os.SEEK_END)
                back.seek(out.tell())
                with ThreadPoolExecutor(1) as copier:
                    pending = copier.submit(_copy_in_kernel, source.fileno(), out.fileno(), COPY_PIECE)
                    while copied := pending.result():
                        pending = copier.submit(_copy_in_kernel, source.fileno(), out.fileno(), COPY_PIECE)
                        for data in read_chunks(back, limit=copied):
                            if hasher is not None:
                                hasher.update(data)
                            written += len(data)
                if sync:
                    os.fsync(out.fileno())
        except _KernelCopyUnavailableError:
            return written + self.append(read_chunks(source), sync=sync)
        except OSError as error:
            _raise_for(error, self.path)
        return written

    def digests(self) -> Digests:
        """The digests of everything staged so far."""
        return (self.hasher or self.rehash()).digests()

    def rehash(self) -> Hasher:
        """The hash state of the bytes already staged, read again (after a restart, or in another process)."""
        hasher = Hasher()
        with self.path.open("rb") as staged:
            for data in read_chunks(staged):
                hasher.update(data)
        self.hasher = hasher
        return hasher


class _KernelCopyUnavailableError(Exception):
    """``copy_file_range`` cannot copy between these two files; nothing was copied by it."""


def _copy_in_kernel(source: int, target: int, size: int) -> int:
    """Up to ``size`` bytes from ``source`` to ``target`` at their offsets; 0 at the end of ``source``."""
    if not hasattr(os, "copy_file_range"):
        raise _KernelCopyUnavailableError
    try:
        return os.copy_file_range(source, target, size)
    except OSError as error:
        if error.errno in (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF):
            raise _KernelCopyUnavailableError from error
        raise


def _write_all(out: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[out.write(view) :]


class Store(Protocol):
    def check_available(self) -> None: ...
    def stage(self, name: str | None = None) -> Staged: ...
    def keep(self, staged: Staged, digests: Digests) -> str: ...
    def discard(self, staged: Staged) -> None: ...
    def exists(self, key: str) -> bool: ...
    def open(self, key: str) -> BinaryIO: ...
    def read_range(self, key: str, start: int, stop: int) -> Iterator[bytes]: ...
    def describe(self, key: str) -> str: ...
    def staged_files(self) -> list[tuple[Staged, float]]: ...


class LocalStaging:
    """Staging in a local folder, whatever the store: bytes are hashed and synced there before being kept."""

    staging: Path

    def _prepare_staging(self) -> None:
        try:
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _raise_for(error, self.staging)

    def stage(self, name: str | None = None) -> Staged:
        """A new staged file, or the one named ``name`` (an upload resumed) with no hash state yet."""
        self._prepare_staging()
        part = self.staging / f"{name or secrets.token_hex(16)}.part"
        if name is None:
            part.touch(exist_ok=False)
        return Staged(part, Hasher() if name is None else None)

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def staged_files(self) -> list[tuple[Staged, float]]:
        """Every staged file with its last write time (seconds since the epoch)."""
        if not self.staging.is_dir():
            return []
        found = []
        for part in self.staging.glob("*.part"):
            try:
                found.append((Staged(part), part.stat().st_mtime))
            except FileNotFoundError:  # kept or discarded meanwhile
                continue
        return found


class LocalStore(LocalStaging):
    """The store in a local folder; see the module docstring."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.staging = self.root / "staging"

    def check_available(self) -> None:
        if not self.objects.is_dir():
            raise StoreUnavailableError(_("证据存储目录不存在或无法访问：%(path)s") % {"path": self.objects})

    def _prepare_staging(self) -> None:
        try:
            self.objects.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _raise_for(error, self.root)

    def path_of(self, key: str) -> Path:
        return self.objects / key

    def keep(self, staged: Staged, digests: Digests) -> str:
        """Put the staged bytes at their content address, unless that address already holds them."""
        key = content_key(digests.sha256)
        target = self.path_of(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _fsync_file(staged.path)  # pieces may have been appended without a sync: the original is durable
            os.chmod(staged.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            try:
                os.link(staged.path, target)  # atomic, and never replaces an existing original
            except FileExistsError:
                pass
            else:
                _fsync_dir(target.parent)
            staged.path.unlink()
        except OSError as error:
            self.discard(staged)
            _raise_for(error, target)
        return key

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def open(self, key: str) -> BinaryIO:
        return self.path_of(key).open("rb")

    def read_range(self, key: str, start: int, stop: int) -> Iterator[bytes]:
        """The bytes ``start`` to ``stop`` (exclusive) of an original, in chunks: playback seeks with this."""
        with self.open(key) as original:
            original.seek(start)
            yield from read_chunks(original, limit=max(stop - start, 0))

    def describe(self, key: str) -> str:
        """Where the original lives, for messages and reports."""
        return str(self.path_of(key))


class _RangeReader(io.RawIOBase):
    """An original read anywhere by ranged reads of the store (an S3 GET per buffer filled)."""

    def __init__(self, store: Store, key: str, size: int) -> None:
        self.store, self.key, self.length, self.position = store, key, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def readinto(self, buffer: Any) -> int:
        stop = min(self.position + len(buffer), self.length)
        if stop <= self.position:
            return 0
        data = b"".join(self.store.read_range(self.key, self.position, stop))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def open_seekable(store: Store, key: str, size: int) -> BinaryIO:
    """An original that can be read anywhere (PyAV seeks to an MP4's index at its end): the file itself in a
    local store, else ranged reads through a buffer of :data:`CHUNK` bytes."""
    if isinstance(store, LocalStore):
        return store.open(key)
    return cast(BinaryIO, io.BufferedReader(_RangeReader(store, key, size), buffer_size=CHUNK))


def _fsync_file(path: Path) -> None:
    with path.open("rb") as staged:
        os.fsync(staged.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_store() -> Store:
    """The configured store: ``EVIDENCE_STORAGE`` "local" (a folder) or "s3" (a bucket with object lock)."""
    if settings.EVIDENCE_STORAGE == "s3":
        from sanxiang.evidence.storage_s3 import S3Store

        return S3Store.from_settings()
    if settings.EVIDENCE_STORAGE != "local":
        raise StoreUnavailableError(_("不支持的证据存储类型：%(kind)s") % {"kind": settings.EVIDENCE_STORAGE})
    return LocalStore(Path(settings.EVIDENCE_ROOT))
