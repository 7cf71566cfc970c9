"""Concurrent writers on PostgreSQL never share a number and never leave a gap, even when some roll back."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from sanxiang import audit
from sanxiang.audit import services
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event, LogHead

WRITERS = 8
EACH = 60


class AbortError(Exception):
    pass


def writer(number: int, errors: list[BaseException], barrier: threading.Barrier) -> None:
    try:
        barrier.wait()
        for i in range(EACH):
            try:
                with transaction.atomic():
                    audit.record(EventType.USER_LOGGED_IN, data={"writer": number, "i": i})
                    if i % 7 == 3:
                        raise AbortError  # the caller fails after writing: its event and number must vanish
            except AbortError:
                pass
            if i % 20 == 0:
                services.record_many([services.NewEvent(EventType.USER_LOGGED_OUT, data={"w": number})] * 3)
    except BaseException as exc:  # handed back to the test thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_unique_gapless_numbers_and_a_log_that_verifies() -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=writer, args=(n, errors, barrier)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    rolled_back = sum(1 for i in range(EACH) if i % 7 == 3)
    expected = WRITERS * (EACH - rolled_back + 3 * len(range(0, EACH, 20)))
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, expected + 1))
    assert LogHead.objects.get().size == expected
    services.checkpoint_sign()
    assert services.verify_log().ok
