"""查封扣押决定书 numbers under concurrency on PostgreSQL: unique and gapless, even when some roll back."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, transaction

from sanxiang.coercion import services
from sanxiang.coercion.models import CoerciveMeasure, MeasureAction
from sanxiang.coercion.tests.factories import World, add_items, approved, at, decision, record_av

WRITERS = 8


class AbortError(Exception):
    pass


def implement(
    w: World,
    measure: CoerciveMeasure,
    *,
    abort: bool,
    errors: list[BaseException],
    barrier: threading.Barrier,
) -> None:
    try:
        barrier.wait()
        try:
            with transaction.atomic():
                services.measure_transition(
                    measure=measure,
                    action=MeasureAction.IMPLEMENT,
                    actor=w.p.alice,
                    acted_at=at("2026-03-02"),
                    **decision(w),
                )
                if abort:
                    raise AbortError  # the decision fails after numbering: its number must come back
        except AbortError:
            pass
    except BaseException as exc:  # handed back to the test thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_get_unique_gapless_numbers(world: World) -> None:
    measures = []
    for _ in range(WRITERS):
        measure = approved(world)
        add_items(world, measure)
        record_av(world, measure, at("2026-03-02"))
        measures.append(measure)
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(
            target=implement,
            args=(world, measure),
            kwargs={"abort": n % 3 == 1, "errors": errors, "barrier": barrier},
        )
        for n, measure in enumerate(measures)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = [m for m in CoerciveMeasure.objects.exclude(number="").values_list("number", flat=True)]
    serials = sorted(int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    committed = sum(1 for n in range(WRITERS) if n % 3 != 1)
    assert serials == list(range(1, committed + 1))
