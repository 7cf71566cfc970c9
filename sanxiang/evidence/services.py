"""Writes of the evidence app: ingest (import and browser upload) and fixity checks.

Every original is hashed while it streams into the store's staging area and becomes evidence in one
transaction — the ``Blob`` (when the content is new), the ``Evidence`` row and its audit event — with the
staged file moved to its content address as the transaction's last step. Anything that fails before leaves no
row and no object; the staged file is deleted.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import mimetypes
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.audit import services as audit
from sanxiang.audit.events import EventType
from sanxiang.cases.models import Case
from sanxiang.cases.workflow import Stage
from sanxiang.evidence import media, permissions
from sanxiang.evidence.models import (
    AVInterruption,
    AVRecord,
    Blob,
    Channel,
    Derivative,
    DerivativeKind,
    Evidence,
    FixityCheck,
    FixityOutcome,
    Kind,
    MediaMetadata,
    MediaStatus,
    RecordedAct,
    RetentionClass,
    Upload,
)
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
# Items whose technical metadata and thumbnail are read in the background after ingest.
MEDIA_KINDS = (Kind.VIDEO, Kind.AUDIO, Kind.PHOTO)


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
            if evidence.kind in MEDIA_KINDS:
                evidence_media_queue(evidence=evidence)
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
            staged.copy_from(source)
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
        on_disk = staged.size
        if on_disk < upload.received:
            # Pieces are not synced one by one (the original is, when kept): after a crash of the machine the
            # file may hold less than was counted. Continue from what is on disk, never from a hole.
            Upload.objects.filter(pk=upload.pk).update(received=on_disk)
            raise UploadOffsetError(on_disk)
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
        written = staged.append(_until_broken(read_chunks(source, limit=length)), sync=False)
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


# --- audio/video records (音像记录) -------------------------------------------------------------------------

AV_KINDS = (Kind.VIDEO, Kind.AUDIO)
# The serial is written after the case's number: （甲县）应急立〔2026〕1号-音像3.
AV_NUMBER_FORMAT = "{case}-音像{serial}"


@dataclass(frozen=True)
class Interruption:
    """A stop in the recording: when it stopped, when it resumed (if it did) and why."""

    started_at: datetime.datetime
    reason: str
    ended_at: datetime.datetime | None = None


def _av_problems(
    *,
    evidence: Evidence,
    act: str,
    started_at: datetime.datetime | None,
    ended_at: datetime.datetime | None,
    collectors: list[Any],
    documents: list[Any],
    interruptions: list[Interruption],
    retention: str,
    coercive_measure: Any,
) -> list[str]:
    case: Any = evidence.case
    problems: list[str] = []
    if act not in RecordedAct.values:
        problems.append(_("请选择记录事项。"))
    if started_at is None or ended_at is None:
        problems.append(_("请填写摄录开始和结束时间。"))
    elif ended_at <= started_at:
        problems.append(_("摄录结束时间须晚于开始时间。"))
    if not collectors:
        problems.append(_("请选择记录人。"))
    strangers = [str(o) for o in collectors if getattr(o, "agency_id", None) != case.agency_id]
    if strangers:
        problems.append(_("记录人须为本机关执法人员：%(names)s。") % {"names": "、".join(strangers)})
    foreign = [d.number or str(d.pk) for d in documents if d.case_id != case.pk]
    if foreign:
        problems.append(_("关联文书须属于本案：%(numbers)s。") % {"numbers": "、".join(foreign)})
    if retention not in RetentionClass.values:
        problems.append(_("请选择保存期限。"))
    if coercive_measure is not None:
        if coercive_measure.case_id != case.pk:
            problems.append(_("所选查封扣押不属于本案。"))
        elif act != RecordedAct.SEAL_SEIZE:
            problems.append(_("只有记录事项为“查封扣押”的音像记录可以对应查封扣押措施。"))
    for stop in interruptions:
        if not stop.reason.strip():
            problems.append(_("请填写每次中断的原因。"))
            break
    for stop in interruptions:
        if started_at is None or ended_at is None:
            break
        resumed = stop.ended_at or stop.started_at
        if stop.started_at < started_at or resumed > ended_at or resumed < stop.started_at:
            problems.append(_("中断时间须在摄录开始与结束时间之间，且恢复时间不早于中断时间。"))
            break
    return problems


def _av_snapshot(record: AVRecord) -> dict[str, Any]:
    """The described values, for the audit event: what a correction changed (metadata, never content)."""
    return {
        "act": record.act,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat(),
        "place": record.place,
        "device": record.device,
        "proves_sha256": hashlib.sha256(record.proves.encode()).hexdigest(),
        "retention": record.retention,
        "coercive_measure": record.coercive_measure_id,
        "collectors": sorted(record.collectors.values_list("pk", flat=True)),
        "documents": sorted(record.documents.values_list("pk", flat=True)),
        "interruptions": [
            [i.started_at.isoformat(), i.ended_at.isoformat() if i.ended_at else None, i.reason]
            for i in record.interruptions.order_by("started_at", "pk")
        ],
    }


def _next_av_serial(case: Case) -> int:
    # The case row's lock queues concurrent describers of one case, so serials are gapless and unique; a
    # rolled-back description gives its serial back.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    last = AVRecord.objects.filter(case=case).aggregate(last=models.Max("serial"))["last"]
    return (last or 0) + 1


@transaction.atomic
def av_record_describe(
    *,
    actor: Any,
    evidence: Evidence,
    act: str,
    started_at: datetime.datetime | None,
    ended_at: datetime.datetime | None,
    collectors: Iterable[Any],
    place: str = "",
    device: str = "",
    proves: str = "",
    documents: Iterable[Any] = (),
    interruptions: Iterable[Interruption] = (),
    retention: str = RetentionClass.WITH_CASE_FILE,
    coercive_measure: Any = None,
    reason: str = "",
) -> AVRecord:
    """Describe an audio/video item as the record of an act of its case (音像记录), or correct it.

    The first description numbers the record (the case's number and a serial gapless in the case). A later
    call is a correction: it needs ``reason``, makes a new version (every earlier one stays in the history)
    and is refused once the case is archived. ``collectors`` are ``agencies.Officer`` rows of the case's
    agency; ``documents`` are ``documents.Document`` rows of the same case. Raises ``ValidationError`` with
    every problem, in Chinese, and changes nothing then.
    """
    evidence = Evidence.objects.select_related("case").get(pk=evidence.pk)
    case = evidence.case
    if case is None:
        raise ValidationError(_("只有案件的录音录像可以登记为音像记录。"))
    permissions.require_ingest(actor, case)
    if evidence.kind not in AV_KINDS:
        raise ValidationError(_("只有录音、录像可以登记为音像记录。"))
    if case.stage == Stage.ARCHIVED:
        raise ValidationError(_("案件已归档，音像记录不能再登记或更正。"))
    collector_list, document_list = list(collectors), list(documents)
    stops = list(interruptions)
    problems = _av_problems(
        evidence=evidence,
        act=act,
        started_at=started_at,
        ended_at=ended_at,
        collectors=collector_list,
        documents=document_list,
        interruptions=stops,
        retention=retention,
        coercive_measure=coercive_measure,
    )
    existing = AVRecord.objects.select_for_update().filter(evidence=evidence).first()
    reason = reason.strip()
    if existing is not None and not reason:
        problems.append(_("音像记录已登记，更正须写明理由。"))
    if problems or started_at is None or ended_at is None:
        raise ValidationError(problems)
    values = {
        "act": act,
        "started_at": started_at,
        "ended_at": ended_at,
        "place": place.strip()[:200],
        "device": device.strip()[:100],
        "proves": proves.strip(),
        "retention": retention,
        "coercive_measure": coercive_measure,
        "described_at": timezone.now(),
        "described_by": actor,
    }
    if existing is None:
        if not case.number:
            raise ValidationError(_("本案尚未取得立案编号，音像记录编号取自案件编号，请先立案。"))
        serial = _next_av_serial(case)
        record = AVRecord.objects.create(
            evidence=evidence,
            case=case,
            serial=serial,
            number=AV_NUMBER_FORMAT.format(case=case.number, serial=serial),
            **values,
        )
        before = None
    else:
        record = existing
        before = _av_snapshot(record)
        for name, value in values.items():
            setattr(record, name, value)
        record.version += 1
        record.correction_reason = reason
        record.save()
        # Replaced stops stay in the interruptions' history (django-simple-history) with who and when.
        for old in record.interruptions.all():
            old.delete()
    record.collectors.set(collector_list)
    record.documents.set(document_list)
    for stop in stops:
        AVInterruption.objects.create(
            record=record,
            started_at=stop.started_at,
            ended_at=stop.ended_at,
            reason=stop.reason.strip()[:200],
        )
    after = _av_snapshot(record)
    if before is None:
        audit.record(
            EventType.AV_RECORD_DESCRIBED,
            actor=actor,
            subject=record,
            agency=case.agency_id,
            data={"case": case.pk, "evidence": evidence.pk, "number": record.number, **after},
        )
    else:
        audit.record(
            EventType.AV_RECORD_CORRECTED,
            actor=actor,
            subject=record,
            agency=case.agency_id,
            data={
                "case": case.pk,
                "evidence": evidence.pk,
                "number": record.number,
                "version": record.version,
                "reason": reason,
                "changed": sorted(k for k in after if after[k] != before[k]),
                "before": before,
            },
        )
    return record


# --- technical metadata and thumbnails --------------------------------------------------------------------


def evidence_media_queue(*, evidence: Evidence) -> MediaMetadata:
    """Mark the item pending and queue its extraction once the caller's transaction commits.

    The queueing happens after the commit and a failure of it is only logged, so it never blocks an ingest.
    """
    from sanxiang.evidence.tasks import enqueue_extraction  # the tasks module imports this one

    now = timezone.now()
    row, created = MediaMetadata.objects.get_or_create(evidence=evidence, defaults={"queued_at": now})
    if not created:
        row.status, row.message, row.queued_at = MediaStatus.PENDING, "", now
        row.save(update_fields=["status", "message", "queued_at"])
    pk = evidence.pk
    transaction.on_commit(lambda: enqueue_extraction(pk), robust=True)
    return row


def _media_row(evidence: Evidence) -> MediaMetadata:
    row, _created = MediaMetadata.objects.select_for_update().get_or_create(
        evidence=evidence, defaults={"queued_at": timezone.now()}
    )
    return row


@transaction.atomic
def evidence_media_extracted(*, evidence: Evidence, facts: media.MediaFacts) -> MediaMetadata:
    """Record what was read from an original and keep its thumbnail as a derivative row (system event)."""
    row = _media_row(evidence)
    row.status = MediaStatus.EXTRACTED
    row.message = ""
    row.container = facts.container[:40]
    row.duration = facts.duration
    row.video_codec = facts.video_codec[:40]
    row.audio_codec = facts.audio_codec[:40]
    row.width, row.height = facts.width, facts.height
    row.frame_rate = facts.frame_rate
    row.created_in_file = facts.created_in_file
    row.taken_at = facts.taken_at
    row.latitude, row.longitude = facts.latitude, facts.longitude
    row.extracted_at = timezone.now()
    row.save()
    thumbnail_sha256 = ""
    if facts.thumbnail is not None:
        thumbnail_sha256 = hashlib.sha256(facts.thumbnail.jpeg).hexdigest()
        Derivative.objects.update_or_create(
            evidence=evidence,
            kind=DerivativeKind.THUMBNAIL,
            defaults={
                "content": facts.thumbnail.jpeg,
                "content_type": "image/jpeg",
                "width": facts.thumbnail.width,
                "height": facts.thumbnail.height,
                "sha256": thumbnail_sha256,
                "made_at": row.extracted_at,
            },
        )
    audit.record(
        EventType.EVIDENCE_MEDIA_EXTRACTED,
        subject=evidence,
        agency=evidence.agency_id,
        data={
            "container": row.container,
            "duration": row.duration,
            "video_codec": row.video_codec,
            "audio_codec": row.audio_codec,
            "width": row.width,
            "height": row.height,
            "created_in_file": row.created_in_file.isoformat() if row.created_in_file else None,
            "taken_at": row.taken_at.isoformat() if row.taken_at else None,
            "thumbnail_sha256": thumbnail_sha256,
        },
    )
    return row


@transaction.atomic
def evidence_media_failed(*, evidence: Evidence, message: str) -> MediaMetadata:
    """Record that an original's metadata could not be read, and why (in Chinese); the evidence stands."""
    row = _media_row(evidence)
    row.status = MediaStatus.FAILED
    row.message = message[:200]
    row.extracted_at = timezone.now()
    row.save(update_fields=["status", "message", "extracted_at"])
    audit.record(
        EventType.EVIDENCE_MEDIA_FAILED,
        subject=evidence,
        agency=evidence.agency_id,
        data={"message": row.message},
    )
    return row
