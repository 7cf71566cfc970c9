"""Writes of the evidence app: ingest (import and browser upload) and fixity checks.

Every original is hashed while it streams into the store's staging area and becomes evidence in one
transaction — the ``Blob`` (when the content is new), the ``Evidence`` row and its audit event — with the
staged file moved to its content address as the transaction's last step. Anything that fails before leaves no
row and no object; the staged file is deleted.
"""

from __future__ import annotations

import datetime
import fcntl
import mimetypes
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.audit import services as audit
from sanxiang.audit.events import EventType
from sanxiang.cases.models import Case
from sanxiang.evidence import permissions
from sanxiang.evidence.models import Blob, Channel, Evidence, FixityCheck, FixityOutcome, Kind, Upload
from sanxiang.evidence.storage import (
    Digests,
    Hasher,
    Readable,
    Staged,
    Store,
    StoreError,
    content_key,
    get_store,
    hash_stream,
    read_chunks,
)

SCAN_TYPES = {"application/pdf", "image/tiff"}


def kind_of(name: str) -> Kind:
    """The kind of evidence a file name suggests (its extension); scans are PDF and TIFF files."""
    mime, _encoding = mimetypes.guess_type(name)
    if mime is None:
        return Kind.OTHER
    if mime in SCAN_TYPES:
        return Kind.SCAN
    family = mime.split("/", 1)[0]
    return {"image": Kind.PHOTO, "video": Kind.VIDEO, "audio": Kind.AUDIO}.get(family, Kind.OTHER)


@dataclass(frozen=True)
class Item:
    """What is known about an original besides its bytes."""

    case: Case
    original_name: str
    collectors: tuple[Any, ...]
    collected_at: datetime.datetime | None
    proves: str
    channel: Channel


def evidence_ingest(
    *, staged: Staged, digests: Digests, item: Item, actor: Any, store: Store | None = None
) -> Evidence:
    """Make a fully staged original evidence: its blob (once per content), the item and the audit event."""
    store = store or get_store()
    for _attempt in range(2):
        existing = Blob.objects.filter(sha256=digests.sha256).first()
        try:
            return _ingest_once(staged, digests, item, actor, store, existing)
        except IntegrityError:
            # Another ingest stored the same bytes between our look-up and our insert: use its blob.
            if not Blob.objects.filter(sha256=digests.sha256).exists():
                store.discard(staged)
                raise
    store.discard(staged)
    raise StoreError(_("证据入库失败：同一内容正被并发写入，请重试。"))


def _ingest_once(
    staged: Staged, digests: Digests, item: Item, actor: Any, store: Store, existing: Blob | None
) -> Evidence:
    now = timezone.now()
    placed = False
    # An original lost from the store is put back by the same bytes arriving again (their hash proves them).
    restores = existing is not None and not store.exists(existing.storage_key)
    try:
        with transaction.atomic():
            blob = existing or Blob.objects.create(
                sha256=digests.sha256,
                sm3=digests.sm3,
                size=digests.size,
                storage_key=content_key(digests.sha256),
                stored_at=now,
            )
            evidence = Evidence.objects.create(
                agency_id=item.case.agency_id,
                case=item.case,
                blob=blob,
                kind=kind_of(item.original_name),
                original_name=item.original_name[:255],
                proves=item.proves,
                collected_at=item.collected_at,
                channel=item.channel,
                ingested_at=now,
                ingested_by=actor,
            )
            evidence.collectors.set(item.collectors)
            audit.record(
                EventType.EVIDENCE_INGESTED,
                actor=actor,
                subject=evidence,
                data={
                    "case": item.case.pk,
                    "sha256": digests.sha256,
                    "sm3": digests.sm3,
                    "size": digests.size,
                    "already_stored": existing is not None,
                    "restored": restores,
                    "channel": item.channel,
                },
            )
            if existing is None or restores:
                # The last step: a failure here rolls the rows back, a failure before it never placed bytes.
                store.keep(staged, digests)
                placed = True
            else:
                store.discard(staged)
    except BaseException:
        if not placed:
            store.discard(staged)
        raise
    return evidence


# --- import from a folder (body-worn camera card) ---------------------------------------------------------


class ImportOutcome:
    STORED = "stored"
    SKIPPED = "skipped"


def evidence_import_file(
    *, path: Path, case: Case, collector: Any, store: Store | None = None
) -> tuple[str, Evidence | None]:
    """Import one file of a card or folder into ``case``; skip it when the case already holds its bytes.

    A file the size of a stored original is hashed first (a read, no write), so a resumed import costs one
    read per file already done; any other file is copied and hashed in one pass.
    """
    store = store or get_store()
    size = path.stat().st_size
    if Blob.objects.filter(size=size).exists():
        with path.open("rb") as source:
            digests = hash_stream(source)
        if Evidence.objects.filter(case=case, blob__sha256=digests.sha256).exists():
            return ImportOutcome.SKIPPED, None
    staged = store.stage()
    try:
        with path.open("rb") as source:
            staged.append(read_chunks(source))
    except BaseException:
        store.discard(staged)
        raise
    modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    item = Item(case, path.name, (collector,), modified, "", Channel.IMPORT)
    digests = staged.digests()
    evidence = evidence_ingest(staged=staged, digests=digests, item=item, actor=collector, store=store)
    return ImportOutcome.STORED, evidence


# --- browser uploads, chunked and resumable --------------------------------------------------------------


class UploadOffsetError(Exception):
    """The client's offset is not the server's; ``received`` is where to continue."""

    def __init__(self, received: int) -> None:
        super().__init__(_("上传位置不一致，请从第 %(offset)s 字节继续。") % {"offset": received})
        self.received = received


# Hash state of uploads in progress, per process, keyed by upload id; valid only when its size is the
# upload's received offset. Without it (another process, a restart) the file is hashed once when complete.
_HASHERS: dict[str, Hasher] = {}
_HASHERS_LOCK = threading.Lock()


def upload_start(
    *,
    case: Case,
    actor: Any,
    name: str,
    size: int,
    last_modified: datetime.datetime | None = None,
    proves: str = "",
) -> Upload:
    """Open a browser upload of one file into ``case``; its bytes follow with :func:`upload_append`."""
    permissions.require_ingest(actor, case)
    name = Path(name.replace("\\", "/")).name.strip()
    if not name:
        raise ValidationError(_("文件名不能为空。"))
    if size <= 0:
        raise ValidationError(_("文件“%(name)s”是空文件，不能作为证据。") % {"name": name})
    with transaction.atomic():
        upload = Upload.objects.create(
            case=case,
            uploaded_by=actor,
            name=name[:255],
            size=size,
            last_modified=last_modified,
            proves=proves,
            started_at=timezone.now(),
        )
        audit.record(
            EventType.EVIDENCE_UPLOAD_STARTED,
            actor=actor,
            agency=case.agency_id,
            subject=case,
            data={"upload": str(upload.pk), "size": size},
        )
    return upload


@contextmanager
def _exclusive_file(staged: Staged) -> Iterator[None]:
    """Hold the staged file's lock, or raise ``BlockingIOError`` at once when someone is writing it."""
    with staged.path.open("ab") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def _exclusive(staged: Staged) -> Iterator[None]:
    # One writer per upload across every process: the part file's own lock. A second request for the same
    # upload (a retry racing a slow original) is told to ask for the offset again.
    try:
        with _exclusive_file(staged):
            yield
    except BlockingIOError:
        raise UploadOffsetError(Upload.objects.get(pk=staged.path.stem).received) from None


def _until_broken(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks until the client's connection breaks; what arrived before the break is kept."""
    iterator = iter(chunks)
    while True:
        try:
            data = next(iterator)
        except StopIteration:
            return
        except OSError:  # UnreadablePostError and friends: the connection dropped mid-chunk
            return
        yield data


def upload_append(
    *, upload: Upload, offset: int, source: Readable, length: int, actor: Any, store: Store | None = None
) -> Upload:
    """Append up to ``length`` bytes read from ``source`` at ``offset``; complete the upload at its size.

    The bytes that arrived before a dropped connection are kept and counted; the client asks for the offset
    (``upload.received``) and continues from there.
    """
    store = store or get_store()
    if upload.uploaded_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只能续传本人开始的上传。"))
    if upload.complete:
        raise UploadOffsetError(upload.received)
    staged = store.stage(str(upload.pk))
    with _exclusive(staged):
        upload.refresh_from_db()
        if upload.complete:  # completed by a request that held the lock before this one
            store.discard(staged)
            raise UploadOffsetError(upload.received)
        if offset != upload.received:
            raise UploadOffsetError(upload.received)
        if length < 0 or offset + length > upload.size:
            raise ValidationError(_("上传的数据超出了文件的大小。"))
        key = str(upload.pk)
        with _HASHERS_LOCK:
            hasher = _HASHERS.pop(key, None)
        # Bytes past the recorded offset were written by a request that died before recording them.
        with staged.path.open("r+b") as part:
            part.truncate(upload.received)
        # Without this process's hash state (another worker took the previous piece, or a restart), the
        # bytes are appended unhashed and the whole file is hashed once when complete: at most one more read,
        # never one per piece.
        staged.hasher = hasher if hasher is not None and hasher.size == upload.received else None
        written = staged.append(_until_broken(read_chunks(source, limit=length)))
        received = upload.received + written
        Upload.objects.filter(pk=upload.pk, received=upload.received).update(received=received)
        upload.received = received
        if received < upload.size:
            if staged.hasher is not None:
                with _HASHERS_LOCK:
                    _HASHERS[key] = staged.hasher
            return upload
        item = Item(
            upload.case,
            upload.name,
            (actor,),
            upload.last_modified,
            upload.proves,
            Channel.UPLOAD,
        )
        with transaction.atomic():
            digests = staged.digests()
            evidence = evidence_ingest(staged=staged, digests=digests, item=item, actor=actor, store=store)
            Upload.objects.filter(pk=upload.pk).update(evidence=evidence)
        upload.evidence = evidence
        return upload


def upload_abandon(*, upload: Upload, actor: Any, store: Store | None = None) -> None:
    """Give up an unfinished upload: its part file is deleted and nothing becomes evidence."""
    store = store or get_store()
    if upload.uploaded_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只能放弃本人开始的上传。"))
    if upload.complete:
        raise ValidationError(_("上传已完成并已入库，不能放弃；证据只能更正，不能删除。"))
    _abandon(upload, actor, store)


def _abandon(upload: Upload, actor: Any, store: Store) -> None:
    staged = store.stage(str(upload.pk))
    with _exclusive(staged), transaction.atomic():
        audit.record(
            EventType.EVIDENCE_UPLOAD_ABANDONED,
            actor=actor,
            agency=upload.case.agency_id,
            subject=upload.case,
            data={"upload": str(upload.pk), "received": upload.received, "size": upload.size},
        )
        store.discard(staged)
        upload.delete()
    with _HASHERS_LOCK:
        _HASHERS.pop(str(upload.pk), None)


def staging_sweep(
    *,
    idle_upload: datetime.timedelta = datetime.timedelta(days=7),
    orphan: datetime.timedelta = datetime.timedelta(days=1),
    store: Store | None = None,
) -> tuple[int, int]:
    """Abandon uploads idle for ``idle_upload`` and delete staged files of no upload left for ``orphan``.

    An orphan is what a killed import left behind; it never became evidence. A file being written is locked
    by its writer and left alone. Returns (uploads abandoned, orphans deleted).
    """
    store = store or get_store()
    now = timezone.now()
    unfinished = Upload.objects.filter(evidence__isnull=True).values_list("pk", flat=True)
    open_uploads = {str(pk): pk for pk in unfinished}
    abandoned = deleted = 0
    for staged, written in store.staged_files():
        age = now - datetime.datetime.fromtimestamp(written, tz=datetime.UTC)
        name = staged.path.stem
        if name in open_uploads:
            if age >= idle_upload:
                upload = Upload.objects.select_related("case").get(pk=open_uploads.pop(name))
                try:
                    _abandon(upload, None, store)
                except UploadOffsetError:
                    continue
                abandoned += 1
            continue
        if age >= orphan:
            try:
                with _exclusive_file(staged):
                    store.discard(staged)
            except BlockingIOError:
                continue
            deleted += 1
    return abandoned, deleted


# --- fixity ----------------------------------------------------------------------------------------------


def blob_check_fixity(*, blob: Blob, store: Store | None = None) -> FixityCheck:
    """Re-hash one stored original, streaming, and record the outcome as a row and an audit event."""
    store = store or get_store()
    if not store.exists(blob.storage_key):
        outcome, found = FixityOutcome.MISSING, ""
    else:
        with store.open(blob.storage_key) as stored:
            digests = hash_stream(stored, sm3=bool(blob.sm3))
        intact = (digests.sha256, digests.sm3, digests.size) == (blob.sha256, blob.sm3, blob.size)
        outcome = FixityOutcome.INTACT if intact else FixityOutcome.ALTERED
        found = digests.sha256
    with transaction.atomic():
        check = FixityCheck.objects.create(
            blob=blob, checked_at=timezone.now(), outcome=outcome, found_sha256=found
        )
        audit.record(
            EventType.EVIDENCE_FIXITY_INTACT
            if outcome == FixityOutcome.INTACT
            else EventType.EVIDENCE_FIXITY_FAILED,
            subject=blob,
            data={"sha256": blob.sha256, "outcome": outcome, "found": found, "key": blob.storage_key},
        )
    return check
