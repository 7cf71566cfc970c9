"""Numbers such as （舒）应急责改〔2026〕3号: gapless per (agency, code, year), allocated in the database.

The counter row is locked (``select_for_update``) inside the caller's transaction, so two officers issuing at
the same moment wait for each other instead of taking the same number, and a rolled-back write gives its
number back: no gap, no duplicate.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from sanxiang.agencies.models import Agency
from sanxiang.inspections.models import NumberCounter

# Codes of the 安全生产监管执法文书 after the 2018 reform (domain.md §3.3). 应急检查 (现场检查方案) is the
# 2016 code 安监检查 renamed by the common pattern (unverified).
PLAN = "应急检查"
ORDER = "应急责改"
MEASURE = "应急现决"
RECHECK = "应急复查"


def _locked_counter(agency: Agency, code: str, year: int) -> NumberCounter:
    counters = NumberCounter.objects.select_for_update()
    try:
        return counters.get(agency=agency, code=code, year=year)
    except NumberCounter.DoesNotExist:
        pass
    try:
        # A savepoint: when another transaction creates the row first, only this insert is undone.
        with transaction.atomic():
            NumberCounter.objects.create(agency=agency, code=code, year=year, last=0)
    except IntegrityError:
        pass
    return counters.get(agency=agency, code=code, year=year)


def allocate(*, agency: Agency, code: str, year: int) -> str:
    """The next number of ``code`` in ``year`` for ``agency``; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("文书编号须在使用它的事务中分配。")
    counter = _locked_counter(agency, code, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"（{agency.short_name}）{code}〔{year}〕{counter.last}号"
