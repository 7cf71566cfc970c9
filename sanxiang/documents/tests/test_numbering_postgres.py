"""Allocation under concurrency: PostgreSQL only, where writers really run side by side."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from sanxiang.agencies.models import Agency
from sanxiang.documents import numbering
from sanxiang.documents.models import NumberSeries

WRITERS = 8
EACH = 30


class IssueFailedError(Exception):
    pass


def writer(
    agency: Agency,
    year: int,
    kept: list[int],
    lock: threading.Lock,
    errors: list[BaseException],
    barrier: threading.Barrier,
) -> None:
    try:
        barrier.wait()
        for i in range(EACH):
            try:
                with transaction.atomic():
                    serial = numbering.allocate(agency=agency, code="应急罚", year=year)
                    if i % 5 == 2:
                        raise IssueFailedError  # the issue fails after taking a serial: it must come back
            except IssueFailedError:
                continue
            with lock:
                kept.append(serial)
    except BaseException as exc:  # handed back to the test thread
        errors.append(exc)
    finally:
        connection.close()


def run_writers(agency: Agency, year: int) -> list[int]:
    kept: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=writer, args=(agency, year, kept, lock, errors, barrier))
        for _ in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return kept


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_get_distinct_gapless_serials_even_when_some_roll_back() -> None:
    agency = Agency.objects.create(name="舒城县应急管理局", short_name="舒", region_code="341523")
    kept = run_writers(agency, 2026)  # the series does not exist yet: the writers race to create it
    expected = WRITERS * sum(1 for i in range(EACH) if i % 5 != 2)
    assert sorted(kept) == list(range(1, expected + 1))
    assert NumberSeries.objects.get(agency=agency, code="应急罚", year=2026).last == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_continue_an_existing_series() -> None:
    agency = Agency.objects.create(name="霍山县应急管理局", short_name="霍", region_code="341525")
    NumberSeries.objects.create(agency=agency, code="应急罚", year=2027, last=7)
    kept = run_writers(agency, 2027)
    expected = WRITERS * sum(1 for i in range(EACH) if i % 5 != 2)
    assert sorted(kept) == list(range(8, 8 + expected))
