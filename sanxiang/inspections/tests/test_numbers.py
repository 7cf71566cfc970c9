"""Document numbers under concurrency: PostgreSQL only, where writers really run side by side."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, transaction

from sanxiang.agencies.models import Agency
from sanxiang.inspections import numbers

WRITERS = 8
EACH = 25


class AbortError(Exception):
    pass


def writer(agency: Agency, found: list[str], errors: list[BaseException], barrier: threading.Barrier) -> None:
    try:
        barrier.wait()
        for i in range(EACH):
            try:
                with transaction.atomic():
                    number = numbers.allocate(agency=agency, code=numbers.ORDER, year=2026)
                    if i % 5 == 2:
                        raise AbortError  # the write fails after taking a number: the number must come back
                    found.append(number)
            except AbortError:
                pass
    except BaseException as exc:  # handed back to the test thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_get_unique_gapless_numbers_even_when_some_roll_back() -> None:
    agency = Agency.objects.create(name="丙县应急管理局", short_name="丙", region_code="341525")
    found: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=writer, args=(agency, found, errors, barrier)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    serials = sorted(int(re.search(r"〕(\d+)号", n).group(1)) for n in found)  # type: ignore[union-attr]
    kept = WRITERS * sum(1 for i in range(EACH) if i % 5 != 2)
    assert serials == list(range(1, kept + 1))


def test_a_number_outside_a_transaction_is_refused(transactional_db: None) -> None:
    agency = Agency.objects.create(name="丙县应急管理局", short_name="丙", region_code="341525")
    with pytest.raises(RuntimeError):
        numbers.allocate(agency=agency, code=numbers.ORDER, year=2026)
