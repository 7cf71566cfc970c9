"""The one writer of the audit log, its checkpoints, its proofs and its verification.

Design, in short:

* **Leaf.** Each event's leaf bytes are its stored columns as text joined by U+001F, then its MAC in hex
  (:func:`sanxiang.audit.verifier.event_content`, :func:`~sanxiang.audit.verifier.event_leaf`); ``data`` is
  stored as canonical JSON text. Verification asks the database for that very string (:func:`leaf_sql`), so
  no row is re-serialised in Python: one SHA-256 per row, as RFC 6962 hashes a leaf. Only hashes and
  metadata enter the log, never content.
* **MAC.** Anyone who knows the public algorithm can recompute a leaf hash, so a forged row with a correct
  ``leaf_hash`` would pass a row-by-row hash check. Each row therefore carries ``mac`` = keyed BLAKE2s-256
  (RFC 7693 keyed mode, a MAC by design) of its content, under a key derived from the Ed25519 signing key,
  and the log head carries a MAC over its size and frontier. The MAC is part of the leaf, so the tree
  covers it too. Verification then needs no MAC per row on an intact log: a changed row fails its stored
  leaf hash; a changed row with a recomputed leaf hash changes the tree, which no longer matches the
  authenticated head (nor the signed checkpoints); an appended or removed row changes the head's size. Only
  when something fails does a second pass check every row's MAC, to name the first row forged without the
  key. So ``verify`` costs the floor's one SHA-256 per row plus one per tree node, and appending at the end
  "by someone who knows the public algorithm" is still caught, at once, without waiting for a checkpoint.
* **Checkpoints.** A signed tree head (Ed25519 over a C2SP-style note: origin, size, root, timestamp) is a
  row; the root comes from the head's frontier, O(log n), so signing is cheap and can run often.
* **Writers.** The head row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE``
  serialises writers anyway) for the rest of the caller's transaction, so numbers are gapless and unique:
  a rolled-back transaction takes its number back with it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.audit import verifier
from sanxiang.audit.events import EventType
from sanxiang.audit.keys import SigningKey, signing_key
from sanxiang.audit.models import Checkpoint, Event, LogHead

EVENT_TABLE = Event._meta.db_table
HEAD_TABLE = LogHead._meta.db_table
BATCH = 1 << 16  # leaves per verification batch: a power of two, see verifier.roots_at
_CONTROL = dict.fromkeys(range(32))


class AuditIntegrityError(Exception):
    """The log does not match itself; the message says where, in Chinese."""


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is; control characters are always escaped by ``json``."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def format_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_mac(key: SigningKey, content: bytes) -> bytes:
    return hashlib.blake2s(content, key=key.mac_key, person=b"sxevent").digest()


def head_mac(key: SigningKey, size: int, frontier: bytes) -> bytes:
    return hashlib.blake2s(size.to_bytes(8, "big") + frontier, key=key.mac_key, person=b"sxhead").digest()


def leaf_bytes(event: Event) -> bytes:
    """The leaf bytes of a saved or unsaved event, as the writer hashes them."""
    return verifier.event_leaf(content_bytes(event), bytes(event.mac))


def content_bytes(event: Event) -> bytes:
    return verifier.event_content(
        seq=event.seq,
        event_type=event.event_type,
        occurred_at=format_time(event.occurred_at),
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        agency_id=event.agency_id,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        data=event.data,
    )


def leaf_sql() -> str:
    """A SQL expression for each row's leaf bytes, equal to :func:`leaf_bytes` for rows the writer wrote."""
    if connection.vendor == "postgresql":
        sep = " || chr(31) || "
        parts = [
            "seq::text",
            "event_type::text",
            """to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
            "coalesce(actor_id::text, '')",
            "actor_name",
            "coalesce(agency_id::text, '')",
            "subject_type",
            "subject_id",
            "data",
            "encode(mac, 'hex')",
        ]
        return f"convert_to({sep.join(parts)}, 'UTF8')"
    # SQLite keeps Django's text form of a UTC time, 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    sep = " || char(31) || "
    time_text = (
        "CASE length(occurred_at) WHEN 26 THEN replace(occurred_at, ' ', 'T') || 'Z' "
        "WHEN 19 THEN replace(occurred_at, ' ', 'T') || '.000000Z' ELSE occurred_at END"
    )
    parts = [
        "CAST(seq AS TEXT)",
        "CAST(event_type AS TEXT)",
        time_text,
        "ifnull(CAST(actor_id AS TEXT), '')",
        "actor_name",
        "ifnull(CAST(agency_id AS TEXT), '')",
        "subject_type",
        "subject_id",
        "data",
        "lower(hex(mac))",
    ]
    return f"CAST({sep.join(parts)} AS BLOB)"


# --- writing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEvent:
    """One event for :func:`record_many`; the arguments of :func:`record`."""

    event_type: EventType | int
    actor: Any = None
    subject: models.Model | None = None
    agency: Any = None
    data: dict[str, Any] | None = None


_KNOWN_TYPES = frozenset(EventType.values)


def _check_type(event_type: EventType | int) -> int:
    if isinstance(event_type, bool) or event_type not in _KNOWN_TYPES:
        raise ValueError(_("未知的审计事件类型：%(event_type)s") % {"event_type": repr(event_type)})
    return int(event_type)


def _agency_id(*, agency: Any, subject: models.Model | None, actor: Any) -> int | None:
    if agency is not None:
        return int(getattr(agency, "pk", agency))
    if subject is not None:
        if subject._meta.label_lower == "agencies.agency":
            return int(subject.pk)
        subject_agency = getattr(subject, "agency_id", None)
        if subject_agency is not None:
            return int(subject_agency)
    actor_agency = getattr(actor, "agency_id", None)
    return int(actor_agency) if actor_agency is not None else None


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def _new_row(spec: NewEvent, *, seq: int, now: datetime.datetime, key: SigningKey) -> tuple[Any, ...]:
    """The column values of a new event, in ``_COLUMNS`` order, with its leaf hash and MAC."""
    actor = spec.actor
    subject = spec.subject
    event_type = _check_type(spec.event_type)
    actor_id = getattr(actor, "pk", None)
    actor_name = _clean(actor.get_username()) if hasattr(actor, "get_username") else ""
    agency_id = _agency_id(agency=spec.agency, subject=subject, actor=actor)
    subject_type = _clean(subject._meta.label_lower) if subject is not None else ""
    subject_id = _clean(str(subject.pk)) if subject is not None else ""
    data = canonical_json(spec.data or {})
    content = verifier.event_content(
        seq=seq,
        event_type=event_type,
        occurred_at=format_time(now),
        actor_id=actor_id,
        actor_name=actor_name,
        agency_id=agency_id,
        subject_type=subject_type,
        subject_id=subject_id,
        data=data,
    )
    mac = event_mac(key, content)
    return (
        seq,
        event_type,
        now,
        actor_id,
        actor_name,
        agency_id,
        subject_type,
        subject_id,
        data,
        verifier.leaf_hash(verifier.event_leaf(content, mac)),
        mac,
    )


def _lock_head(cursor: Any, key: SigningKey, *, trusted: bool = False) -> tuple[int, list[bytes]]:
    """Lock the head row for the rest of the transaction and return (size, frontier).

    With ``trusted``, refuse a head whose MAC does not hold (the writer does not check: refusing would stop
    every write in every app; ``verify`` reports it instead).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT size, frontier, mac FROM {HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        # First event ever (or a flushed test database): create the head; ON CONFLICT lets racers through.
        cursor.execute(
            f"INSERT INTO {HEAD_TABLE} (id, size, frontier, mac) VALUES (1, 0, %s, %s) "  # noqa: S608
            "ON CONFLICT DO NOTHING",
            [b"", head_mac(key, 0, b"")],
        )
        cursor.execute(f"SELECT size, frontier, mac FROM {HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    size, packed = int(row[0]), bytes(row[1])
    if trusted and (bytes(row[2]) != head_mac(key, size, packed) or len(packed) != 32 * size.bit_count()):
        raise AuditIntegrityError(_("日志头校验失败，拒绝签名；请先运行 verify_audit 查明原因"))
    return size, [packed[i : i + 32] for i in range(0, len(packed), 32)]


_COLUMNS = (
    "seq",
    "event_type",
    "occurred_at",
    "actor_id",
    "actor_name",
    "agency_id",
    "subject_type",
    "subject_id",
    "data",
    "leaf_hash",
    "mac",
)
_INSERT = (
    f"INSERT INTO {EVENT_TABLE} ({', '.join(_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)
_UPDATE_HEAD = f"UPDATE {HEAD_TABLE} SET size = %s, frontier = %s, mac = %s WHERE id = 1"  # noqa: S608


# PostgreSQL statements run prepared (server-side binding, typed parameters): parsing and planning them on
# every event would cost more than the append itself while the head is locked.
_PG_VALUES = (
    "%s::bigint, %s::integer, %s::timestamptz, %s::bigint, %s::varchar, %s::bigint, "
    "%s::varchar, %s::varchar, %s::text, %s::bytea, %s::bytea"
)
_PG_SET_HEAD = f"UPDATE {HEAD_TABLE} SET size = %s::bigint, frontier = %s::bytea, mac = %s::bytea"  # noqa: S608
_PG_APPEND_LOCKED = (
    f"WITH appended AS (INSERT INTO {EVENT_TABLE} ({', '.join(_COLUMNS)}) VALUES ({_PG_VALUES})) "  # noqa: S608
    f"{_PG_SET_HEAD} WHERE id = 1"
)
# The fast path: append on top of the head this connection wrote last, in one statement that only inserts if
# the head is still exactly that one (its MAC covers size and frontier). The UPDATE takes the row lock and
# re-checks its condition after any wait, so a concurrent writer, a rolled-back transaction or a rolled-back
# savepoint makes it insert nothing, and the writer falls back to SELECT … FOR UPDATE.
_PG_APPEND_IF_HEAD_UNCHANGED = (
    f"WITH head AS ({_PG_SET_HEAD} WHERE id = 1 AND mac = %s::bytea RETURNING id) "  # noqa: S608
    f"INSERT INTO {EVENT_TABLE} ({', '.join(_COLUMNS)}) SELECT {_PG_VALUES} FROM head"
)
_REMEMBERED = "_sanxiang_audit_head"


def _params(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:2], connection.ops.adapt_datetimefield_value(row[2]), *row[3:])


def record(
    event_type: EventType,
    *,
    actor: Any = None,
    subject: models.Model | None = None,
    agency: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event in the caller's transaction (or its own); the head lock keeps numbers gapless.

    ``data`` holds hashes and metadata only, never content that may have to be withdrawn later.
    """
    _check_type(event_type)  # before the atomic block, so a refusal leaves the caller's transaction usable
    spec = NewEvent(event_type, actor, subject, agency, data)
    key = signing_key()
    # savepoint=False: join the caller's transaction without the cost of a savepoint; if it rolls back,
    # the event and its number go with it.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            row = _append_postgres(spec, key)
        else:
            with connection.cursor() as cursor:
                size, frontier = _lock_head(cursor, key)
                row, frontier, head = _append(spec, size, frontier, key)
                cursor.execute(_INSERT, _params(row))
                cursor.execute(_UPDATE_HEAD, head)
    event = Event(**dict(zip(_COLUMNS, row, strict=True)))
    event._state.adding = False
    event._state.db = connection.alias
    return event


def _append_postgres(spec: NewEvent, key: SigningKey) -> tuple[Any, ...]:
    """Append on PostgreSQL: one prepared statement when this connection wrote the head last, else lock first.

    The insert and the head update always travel together: the head lock bounds the log's throughput, so
    every round trip saved while it is held counts.
    """
    import psycopg

    cursor = psycopg.Cursor(connection.connection)
    remembered: tuple[int, list[bytes], bytes] | None = getattr(connection, _REMEMBERED, None)
    appended = False
    if remembered is not None:
        size, frontier, expected_mac = remembered
        row, frontier, head = _append(spec, size, frontier, key)
        cursor.execute(_PG_APPEND_IF_HEAD_UNCHANGED, (*head, expected_mac, *row), prepare=True)
        appended = cursor.rowcount == 1
    if not appended:
        with connection.cursor() as django_cursor:
            size, frontier = _lock_head(django_cursor, key)
        row, frontier, head = _append(spec, size, frontier, key)
        cursor.execute(_PG_APPEND_LOCKED, (*row, *head), prepare=True)
    setattr(connection, _REMEMBERED, (head[0], frontier, head[2]))
    return row


def _append(
    spec: NewEvent, size: int, frontier: list[bytes], key: SigningKey
) -> tuple[tuple[Any, ...], list[bytes], tuple[int, bytes, bytes]]:
    """The new row, the new frontier and the new head (size, packed frontier, MAC) after one append."""
    row = _new_row(spec, seq=size + 1, now=timezone.now(), key=key)
    frontier = verifier.frontier_append(frontier, size, row[-2])
    packed = b"".join(frontier)
    return row, frontier, (size + 1, packed, head_mac(key, size + 1, packed))


def _insert_rows(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        import psycopg

        # COPY: a tenth of the per-row cost of INSERT, in the same transaction.
        columns = ", ".join(_COLUMNS)
        with psycopg.Cursor(connection.connection).copy(f"COPY {EVENT_TABLE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(_INSERT, [_params(row) for row in rows])


def record_many(events: Iterable[NewEvent]) -> int:
    """Append many events under one lock and one head update; leaves exactly as :func:`record` makes them."""
    key = signing_key()
    written = 0
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, frontier = _lock_head(cursor, key)
        now = timezone.now()
        rows: list[tuple[Any, ...]] = []
        for spec in events:
            row = _new_row(spec, seq=size + 1, now=now, key=key)
            frontier = verifier.frontier_append(frontier, size, row[-2])
            size += 1
            written += 1
            rows.append(row)
            if len(rows) >= 5000:
                _insert_rows(cursor, rows)
                rows = []
        if rows:
            _insert_rows(cursor, rows)
        packed = b"".join(frontier)
        cursor.execute(_UPDATE_HEAD, [size, packed, head_mac(key, size, packed)])
    return written


# --- checkpoints -----------------------------------------------------------------------------------------


def _signed(checkpoint: Checkpoint) -> verifier.SignedCheckpoint:
    return verifier.SignedCheckpoint(
        tree_size=checkpoint.tree_size,
        root_hash=bytes(checkpoint.root_hash),
        timestamp_ms=checkpoint.timestamp_ms,
        signature=bytes(checkpoint.signature),
    )


def checkpoint_sign() -> Checkpoint:
    """Sign the current tree head; safe to run twice (an unchanged log keeps its latest checkpoint).

    The signing is itself an event (``CHECKPOINT_SIGNED``) and the checkpoint covers it.
    """
    key = signing_key()
    with transaction.atomic():
        with connection.cursor() as cursor:
            size, _frontier = _lock_head(cursor, key, trusted=True)
        latest = Checkpoint.objects.order_by("-tree_size", "-id").first()
        if latest is not None and latest.tree_size == size and bytes(latest.public_key) == key.public_key:
            return latest
        record(EventType.CHECKPOINT_SIGNED, data={"tree_size": size + 1})
        with connection.cursor() as cursor:
            size, frontier = _lock_head(cursor, key, trusted=True)
        root = verifier.fold(frontier)
        now = timezone.now()
        signed_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        checkpoint = Checkpoint(
            tree_size=size,
            root_hash=root,
            signed_at=signed_at,
            key_id=key.key_id,
            public_key=key.public_key,
        )
        checkpoint.signature = key.sign(verifier.checkpoint_body(size, root, checkpoint.timestamp_ms))
        checkpoint.save(force_insert=True)
    return checkpoint


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


# --- proofs ----------------------------------------------------------------------------------------------


def _leaf_hashes(tree_size: int) -> list[bytes]:
    rows = Event.objects.filter(seq__lte=tree_size).order_by("seq").values_list("leaf_hash", flat=True)
    leaves = [bytes(h) for h in rows.iterator(chunk_size=BATCH)]
    if len(leaves) != tree_size:
        raise AuditIntegrityError(
            _("日志中只有 %(count)s 个事件，不足 %(tree_size)s 个")
            % {"count": len(leaves), "tree_size": tree_size}
        )
    return leaves


def inclusion_proof(*, seq: int, tree_size: int) -> list[bytes]:
    """The audit path showing event ``seq`` is in the log of ``tree_size`` events (leaf index seq − 1)."""
    from sanxiang.audit import merkle

    return merkle.inclusion_proof(_leaf_hashes(tree_size), seq - 1, tree_size)


def consistency_proof(*, first_size: int, second_size: int) -> list[bytes]:
    """The proof that the log of ``second_size`` events extends the one of ``first_size``."""
    from sanxiang.audit import merkle

    return merkle.consistency_proof(_leaf_hashes(second_size), first_size, second_size)


# --- verification ----------------------------------------------------------------------------------------


@dataclass
class Verification:
    """The outcome of :func:`verify_log`: counts, the first bad event's number, what is wrong (Chinese)."""

    events: int = 0
    checkpoints: int = 0
    first_bad_seq: int | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return _(
                "已核验 %(events)s 个事件、%(checkpoints)s 个签名树头，全部相符（用时 %(seconds)s 秒）。"
            ) % {
                "events": self.events,
                "checkpoints": self.checkpoints,
                "seconds": format(self.seconds, ".2f"),
            }
        return self.problems[0]


def _stream(sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of ``sql`` in batches of exactly BATCH (the last may be short); server-side on PostgreSQL."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        # A named cursor streams from the server instead of loading a million rows at once.
        # Binary results: a bytea arrives as its bytes, not as hex text to be decoded.
        with transaction.atomic(), connection.connection.cursor(name="audit_verify", binary=True) as cursor:
            cursor.itersize = BATCH
            cursor.execute(sql)
            while rows := cursor.fetchmany(BATCH):
                yield rows
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            yield rows


def _head_row() -> tuple[int, bytes, bytes] | None:
    head = LogHead.objects.filter(id=1).values_list("size", "frontier", "mac").first()
    if head is None:
        return None
    return int(head[0]), bytes(head[1]), bytes(head[2])


def verify_log() -> Verification:
    """Recompute every leaf, the tree at each checkpoint and at the head, each signature; name the first bad.

    The fast pass needs one SHA-256 per row and one per tree node (see the module docstring for why no MAC
    per row is needed when all holds). Only when something fails does a second, row-by-row pass check every
    MAC to find the first event that is missing, changed, forged or beyond the authenticated head.
    """
    started = time.perf_counter()
    key = signing_key()
    result = Verification()
    head = _head_row()
    checkpoints = list(Checkpoint.objects.order_by("tree_size", "id"))
    result.checkpoints = len(checkpoints)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(seq), max(seq) FROM {EVENT_TABLE}")  # noqa: S608
        count, low, high = cursor.fetchone()
    result.events = count
    problems: list[str] = []

    head_size = 0
    head_trusted = False
    if head is None:
        if count:
            problems.append(_("日志头缺失（日志头被删除）"))
    elif head[2] != head_mac(key, head[0], head[1]) or len(head[1]) != 32 * head[0].bit_count():
        problems.append(_("日志头校验码无效（日志头被改动）"))
    else:
        head_size, head_trusted = head[0], True
    if count and (low != 1 or high != count):
        problems.append(_("事件序号不连续"))
    if head_trusted and count != head_size:
        problems.append(
            _("日志头记录了 %(head_size)s 个事件，实有 %(count)s 个")
            % {"head_size": head_size, "count": count}
        )

    faults: list[bool] = []
    sha256 = hashlib.sha256

    def leaves() -> Iterator[list[bytes]]:
        for rows in _stream(f"SELECT {leaf_sql()}, leaf_hash FROM {EVENT_TABLE} ORDER BY seq"):  # noqa: S608
            # Comprehensions, not zip(*rows): transposing a batch costs more than hashing it.
            try:
                hashes = [sha256(b"\x00" + t).digest() for t, _ in rows]
            except TypeError:  # a NULL where the writer never leaves one
                faults.append(True)
                hashes = [sha256(b"\x00" + (t or b"")).digest() for t, _ in rows]
            if hashes != [s for _, s in rows]:
                faults.append(True)
            yield hashes

    sizes = [c.tree_size for c in checkpoints] + [head_size]
    total, roots, frontier = verifier.roots_at(leaves(), sizes, BATCH)
    if faults:
        problems.append(_("存在与叶哈希不符的事件"))
    if head_trusted and total == head_size and b"".join(frontier) != head[1]:  # type: ignore[index]
        problems.append(_("日志的默克尔树与日志头不符"))
    for checkpoint in checkpoints:
        label = _("第 %(pk)s 号签名树头（大小 %(tree_size)s）") % {
            "pk": checkpoint.pk,
            "tree_size": checkpoint.tree_size,
        }
        if bytes(checkpoint.public_key) != key.public_key:
            problems.append(_("%(label)s不是用本系统当前的签名密钥签署的") % {"label": label})
        elif not verifier.verify_checkpoint(_signed(checkpoint), key.public_key):
            problems.append(_("%(label)s的签名无效") % {"label": label})
        elif checkpoint.tree_size not in roots:
            problems.append(_("%(label)s超出日志现有的 %(total)s 个事件") % {"label": label, "total": total})
        elif roots[checkpoint.tree_size] != bytes(checkpoint.root_hash):
            problems.append(_("%(label)s的根哈希与日志不符") % {"label": label})

    if problems:
        first = _first_bad_event(key, head_size if head_trusted else None)
        if first is not None:
            result.first_bad_seq, message = first
            problems.insert(0, message)
    result.problems = problems
    result.seconds = time.perf_counter() - started
    return result


def _first_bad_event(key: SigningKey, head_size: int | None) -> tuple[int, str] | None:
    """Walk the rows in order and describe the first one that is missing, changed, forged or extra."""
    expected = 1
    sql = f"SELECT seq, {leaf_sql()}, leaf_hash, mac FROM {EVENT_TABLE} ORDER BY seq"  # noqa: S608
    for rows in _stream(sql):
        for seq, text, stored, mac in rows:
            if seq != expected:
                return expected, _("第 %(expected)s 号事件缺失：序号不连续（记录被删除或改号）") % {
                    "expected": expected
                }
            leaf = bytes(text or b"")
            if text is None or verifier.leaf_hash(leaf) != bytes(stored):
                return seq, _("第 %(seq)s 号事件不符：内容与叶哈希不一致（记录被改动）") % {"seq": seq}
            content, mac = leaf[:-65], bytes(mac)
            if leaf[-65:] != b"\x1f" + mac.hex().encode() or mac != event_mac(key, content):
                return seq, _("第 %(seq)s 号事件不符：校验码无效（不是由本系统写入的记录）") % {"seq": seq}
            if head_size is not None and seq > head_size:
                return seq, _("第 %(seq)s 号事件不符：位于经认证的日志头（%(head_size)s 个事件）之后") % {
                    "seq": seq,
                    "head_size": head_size,
                }
            expected += 1
    if head_size is not None and expected <= head_size:
        return expected, _(
            "第 %(expected)s 号事件缺失：日志头记录了 %(head_size)s 个事件（末尾记录被删除）"
        ) % {"expected": expected, "head_size": head_size}
    return None
