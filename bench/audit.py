"""Audit log benchmark: both write paths, checkpoint signing, verify, and verify against the floor.

    .venv/bin/python bench/audit.py [--events N] [--real-events M] [--database-url URL]

Creates a throwaway database (a SQLite file under var/, or the PostgreSQL database named in the URL,
default ``sanxiang_bench``); appends M events through the real writer (``audit.record``), one transaction
per event, then M more inside caller transactions of 100 events, then N events through the bulk path
(``record_many``); signs a checkpoint; and times ``verify_log`` against the floor: a bare loop that reads
the same rows with a raw cursor and hashes each event's leaf bytes once with SHA-256. M defaults to N.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import secrets
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench-audit.sqlite3"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events through the bulk path")
    parser.add_argument("--real-events", type=int, default=None, help="events through the real writer (N)")
    parser.add_argument("--database-url", default=f"sqlite:///{SQLITE_FILE}", help="throwaway database")
    return parser.parse_args()


def admin_dsn(url: str) -> tuple[str, str]:
    """The maintenance database's URL and the bench database's name."""
    head, _, name = url.rpartition("/")
    return f"{head}/postgres", name or "sanxiang_bench"


def create_database(url: str) -> str:
    if url.startswith("sqlite"):
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return url
    import psycopg

    if url.rstrip("/").count("/") < 3:
        url = url.rstrip("/") + "/sanxiang_bench"
    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    args = parse()
    real_events = args.events if args.real_events is None else args.real_events
    url = create_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ["SANXIANG_SIGNING_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SANXIANG_DEBUG", "0")  # as in production: no query log kept in memory
    sys.path.insert(0, str(ROOT))
    try:
        return run(events=args.events, real_events=real_events)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)


def fake_events(count: int, start: int) -> list[dict[str, Any]]:
    """Events shaped like the application's: an actor, a subject, an agency, a few metadata fields."""
    out = []
    for i in range(start, start + count):
        actor = SimpleNamespace(
            pk=1000 + i % 97, agency_id=1 + i % 13, get_username=lambda i=i: f"officer{i % 97}"
        )
        subject = SimpleNamespace(
            _meta=SimpleNamespace(label_lower="cases.case"), pk=i // 7, agency_id=1 + i % 13
        )
        data = {
            "from": "investigation",
            "to": "review",
            "document": hashlib.sha256(str(i).encode()).hexdigest(),
        }
        out.append({"actor": actor, "subject": cast(Any, subject), "data": data})
    return out


def run(*, events: int, real_events: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sanxiang import audit
    from sanxiang.audit import services
    from sanxiang.audit.events import EventType

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"数据库：{vendor}；真实写入 2 × {real_events:,} 个事件，批量写入 {events:,} 个事件")

    def commit_floor(n: int) -> None:
        """What the database itself allows: one bare single-row INSERT per committed transaction.

        The real writer, one event per transaction, cannot beat the storage's commit rate, so print it beside.
        """
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_commit_floor (id integer PRIMARY KEY, v text)")
        started = time.perf_counter()
        for i in range(n):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_commit_floor (id, v) VALUES (%s, %s)", [i, "x"])
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_commit_floor")
        print(f"commit floor (one bare INSERT per transaction): {n / seconds:,.0f} transactions/s")

    def real_writer(per_transaction: int, start: int) -> None:
        """``audit.record`` as the apps call it: each call its own transaction, or inside the caller's."""
        started = time.perf_counter()
        chunk = 10_000
        for offset in range(0, real_events, chunk):
            specs = fake_events(min(chunk, real_events - offset), start + offset)
            if per_transaction == 1:
                for spec in specs:
                    audit.record(EventType.OFFICER_CHANGED, **spec)
                continue
            for i in range(0, len(specs), per_transaction):
                with transaction.atomic():
                    for spec in specs[i : i + per_transaction]:
                        audit.record(EventType.OFFICER_CHANGED, **spec)
        seconds = time.perf_counter() - started
        where = "one transaction per event" if per_transaction == 1 else f"{per_transaction} per transaction"
        print(f"real writer (audit.record, {where}): {real_events / seconds:,.0f} events/s ({seconds:.1f} s)")

    if real_events:
        commit_floor(min(real_events, 3_000))
        real_writer(1, 0)
        real_writer(100, real_events)

    started = time.perf_counter()
    bulk_chunk = 20_000
    for offset in range(0, events, bulk_chunk):
        batch = fake_events(min(bulk_chunk, events - offset), 2 * real_events + offset)
        services.record_many(services.NewEvent(EventType.OFFICER_CHANGED, **spec) for spec in batch)
    bulk_seconds = time.perf_counter() - started
    if events:
        print(f"bulk path (record_many): {events / bulk_seconds:,.0f} events/s ({bulk_seconds:.1f} s)")

    started = time.perf_counter()
    checkpoint = services.checkpoint_sign()
    print(f"checkpoint_sign: size {checkpoint.tree_size:,}, {time.perf_counter() - started:.3f} s")

    total = checkpoint.tree_size
    sql = f"SELECT {services.leaf_sql()} FROM {services.EVENT_TABLE} ORDER BY seq"
    sha256 = hashlib.sha256

    def floor() -> float:
        started = time.perf_counter()
        hashed = 0
        for rows in services._stream(sql):
            hashed += len([sha256(b"\x00" + leaf).digest() for (leaf,) in rows])
        seconds = time.perf_counter() - started
        assert hashed == total
        return seconds

    def verify() -> float:
        result = services.verify_log()
        assert result.ok, result.problems
        return result.seconds

    floor_times, verify_times = [], []
    for _ in range(2):
        floor_times.append(floor())
        verify_times.append(verify())
    floor_s, verify_s = min(floor_times), min(verify_times)
    per_million = verify_s * 1_000_000 / total
    print(f"floor (raw cursor + one SHA-256 per event): {floor_s:.2f} s, {total / floor_s:,.0f} events/s")
    print(
        f"verify_log: {verify_s:.2f} s for {total:,} events ({per_million:.2f} s per million), "
        f"{total / verify_s:,.0f} events/s"
    )
    print(f"verify / floor throughput: {floor_s / verify_s:.2f} ×")
    floors, verifies = (", ".join(f"{t:.2f}" for t in times) for times in (floor_times, verify_times))
    print(f"runs (s): floor {floors}; verify {verifies}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
