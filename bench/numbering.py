"""Documents benchmark: gapless number allocation under concurrency, against a bare-UPDATE baseline.

    .venv/bin/python bench/numbering.py [--workers W] [--each N] [--rounds R] [--database-url URL]

Needs PostgreSQL (SQLite serialises every writer, so it measures nothing about concurrency). Creates a
throwaway database (default ``sanxiang_bench_numbering``), migrates it and creates one agency. Per round:

- allocation: W processes (each its own connection) each allocate N numbers of one series (舒 · 应急罚 · year)
  through ``numbering.allocate_number``, each number in its own transaction, all starting together; every
  number is read back with ``numbering.parse``, and the run fails unless the serials are exactly 1..W×N (0
  duplicates, 0 gaps) and the series row says W×N;
- baseline: the same W processes, each doing N transactions of one bare ``UPDATE … SET v = v + 1 … RETURNING
  v`` on one row through Django's cursor: the cheapest gapless counter the database allows.

It prints allocations/s, the baseline's transactions/s, their ratio and per-transaction latencies; each round
runs the baseline and then the allocation, and the best round of each counts.
Other timings of the documents app are sections of ``main`` (see ``SECTIONS``). The database is dropped at
the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sanxiang_bench_numbering"
CODE = "应急罚"
FIRST_YEAR = 2026
FLOOR_TABLE = "bench_numbering_floor"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=16, help="concurrent processes")
    parser.add_argument("--each", type=int, default=1_000, help="numbers allocated by each process")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of baseline + allocation")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="throwaway PostgreSQL database")
    return parser.parse_args()


def admin_dsn(url: str) -> tuple[str, str]:
    head, _, name = url.rpartition("/")
    return f"{head}/postgres", name or "sanxiang_bench_numbering"


def create_database(url: str) -> str:
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SANXIANG_DEBUG", "0")  # as in production: no query log kept in memory
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ----------------------------------------------------------------------------------------------------
# Sections. Each takes the arguments and returns True when its checks passed. Timings of other parts of the
# documents app (rendering one decision as PDF and DOCX …) are added to SECTIONS below.


def main() -> int:
    args = parse()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("bench/numbering.py needs PostgreSQL: pass --database-url postgres://…", file=sys.stderr)
        return 2
    url = create_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from rendering import rendering_section  # bench/rendering.py, beside this file

    SECTIONS: list[Callable[[argparse.Namespace], bool]] = [  # noqa: N806 - the list a reader looks for
        allocation,
        rendering_section,
        # further sections of the documents benchmark go here
    ]
    try:
        results = [section(args) for section in SECTIONS]
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    return 0 if all(results) else 1


# ----------------------------------------------------------------------------------------------------
# Allocation


@dataclass(frozen=True)
class WorkerResult:
    started: float  # time.monotonic(): one clock for every process on the machine
    ended: float
    values: list[Any]
    latencies: list[float]


def allocate_worker(agency_id: int, year: int, each: int, barrier: Barrier, out: Queue[WorkerResult]) -> None:
    """One officer's terminal: ``each`` numbers, each issued in its own transaction."""
    setup_django()
    from django.db import connection, transaction

    from sanxiang.agencies.models import Agency
    from sanxiang.documents import numbering

    agency = Agency.objects.get(pk=agency_id)
    connection.ensure_connection()
    numbers: list[str] = []
    latencies: list[float] = []
    barrier.wait()
    started = time.monotonic()
    for _ in range(each):
        begun = time.perf_counter()
        with transaction.atomic():
            numbers.append(numbering.allocate_number(agency=agency, code=CODE, year=year))
        latencies.append(time.perf_counter() - begun)
    ended = time.monotonic()
    connection.close()
    out.put(WorkerResult(started, ended, numbers, latencies))


def floor_worker(each: int, barrier: Barrier, out: Queue[WorkerResult]) -> None:
    """The same transactions with nothing but one bare UPDATE … RETURNING on one row."""
    setup_django()
    from django.db import connection, transaction

    connection.ensure_connection()
    values: list[int] = []
    latencies: list[float] = []
    sql = f"UPDATE {FLOOR_TABLE} SET v = v + 1 WHERE id = 1 RETURNING v"
    barrier.wait()
    started = time.monotonic()
    for _ in range(each):
        begun = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            values.append(cursor.fetchone()[0])
        latencies.append(time.perf_counter() - begun)
    ended = time.monotonic()
    connection.close()
    out.put(WorkerResult(started, ended, values, latencies))


@dataclass(frozen=True)
class Run:
    per_second: float
    seconds: float
    values: list[Any]
    latencies: list[float]


def run_workers(target: Callable[..., None], workers: int, *args: Any) -> Run:
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no connection shared by fork
    barrier = context.Barrier(workers)
    out: Queue[WorkerResult] = context.Queue()
    processes = [context.Process(target=target, args=(*args, barrier, out)) for _ in range(workers)]
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]  # drained before join, so no worker blocks on a full pipe
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a worker exited with {process.exitcode}")
    seconds = max(r.ended for r in results) - min(r.started for r in results)
    values = [value for r in results for value in r.values]
    latencies = [latency for r in results for latency in r.latencies]
    return Run(len(values) / seconds, seconds, values, latencies)


def gaps_and_duplicates(serials: list[int], expected: int) -> tuple[int, int]:
    duplicates = len(serials) - len(set(serials))
    gaps = len(set(range(1, expected + 1)) - set(serials))
    return gaps, duplicates


def latency_text(latencies: list[float]) -> str:
    ms = sorted(latency * 1000 for latency in latencies)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"p50 {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms, max {ms[-1]:.1f} ms"


def allocation(args: argparse.Namespace) -> bool:
    """16 × 1,000 numbers of one series: 0 duplicates, 0 gaps (DESIGN.md, performance targets)."""
    from django.db import connection

    from sanxiang.agencies.models import Agency
    from sanxiang.documents import numbering
    from sanxiang.documents.models import NumberSeries

    workers, each = args.workers, args.each
    total = workers * each
    agency = Agency.objects.create(name="舒城县应急管理局", short_name="舒", region_code="341523")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (id integer PRIMARY KEY, v integer NOT NULL)")
    connection.close()  # the workers connect on their own
    print(f"数据库：{connection.vendor}；{workers} 个进程 × 每进程 {each:,} 个编号，每个编号一个事务")

    ok = True
    allocations: list[Run] = []
    floors: list[Run] = []
    for round_ in range(args.rounds):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FLOOR_TABLE}")
            cursor.execute(f"INSERT INTO {FLOOR_TABLE} (id, v) VALUES (1, 0)")
        connection.close()
        floor = run_workers(floor_worker, workers, each)
        floor_gaps, floor_duplicates = gaps_and_duplicates(floor.values, total)
        floors.append(floor)

        year = FIRST_YEAR + round_  # a new series each round: the first allocations race to create it
        run = run_workers(allocate_worker, workers, agency.pk, year, each)
        parsed = [numbering.parse(number) for number in run.values]
        serials = [number.serial_int for number in parsed]
        wrong = sum(
            1 for n in parsed if (n.agency, n.code, n.year) != ("舒", CODE, year) or n.serial_int is None
        )
        gaps, duplicates = gaps_and_duplicates([s for s in serials if s is not None], total)
        last = NumberSeries.objects.get(agency=agency, code=CODE, year=year).last
        connection.close()
        allocations.append(run)

        passed = gaps == 0 and duplicates == 0 and wrong == 0 and last == total and len(serials) == total
        ok = ok and passed and floor_gaps == 0 and floor_duplicates == 0
        print(
            f"round {round_ + 1}: baseline (bare UPDATE … RETURNING) {floor.per_second:,.0f} transactions/s "
            f"({floor.seconds:.2f} s); {floor_duplicates} duplicates, {floor_gaps} gaps"
        )
        print(
            f"round {round_ + 1}: allocation {run.per_second:,.0f} numbers/s ({run.seconds:.2f} s); "
            f"{len(serials):,} numbers, {duplicates} duplicates, {gaps} gaps, {wrong} malformed, "
            f"series last = {last:,} → {'OK' if passed else 'FAILED'}"
        )

    best, best_floor = max(allocations, key=lambda r: r.per_second), max(floors, key=lambda r: r.per_second)
    print(
        f"allocation (numbering.allocate_number): {best.per_second:,.0f} numbers/s; "
        f"{latency_text(best.latencies)}"
    )
    print(
        f"baseline (bare UPDATE … RETURNING): {best_floor.per_second:,.0f} transactions/s; "
        f"{latency_text(best_floor.latencies)}"
    )
    print(f"allocation / baseline throughput: {best.per_second / best_floor.per_second:.2f} ×")
    print(f"target: 0 duplicates, 0 gaps over 1..{total:,} → {'met' if ok else 'NOT MET'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
