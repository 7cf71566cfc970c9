"""What a party owes on a fine: fine, late fee (加处罚款) to a given day, what was paid, what is still due.

Pure arithmetic over plain values, so it can be tested as a table; the selectors feed it from the database.

- The fine is due 15 days after the decision was delivered (行政处罚法 Art.67, ``clocks.payment_due``).
- An approved deferral or instalment plan moves that day to the end of the approved period (Art.66); the late
  fee does not accrue within it, and the period for applying to the court starts when it ends (Art.72 para 2).
- From the day after the due day, the late fee is 3% of the fine per day, never more than the fine
  (Art.72, ``clocks.late_fee``). It is computed, never typed. It stops on the day the payments reach the fine.
- Days spent in 行政复议 or 行政诉讼 are not counted (Art.73).

Amount due = fine + late fee − paid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from sanxiang.deadlines import clocks

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    """A period of 复议 or 诉讼, both days included; ``end`` None while it lasts (Art.73)."""

    start: datetime.date
    end: datetime.date | None = None


@dataclass(frozen=True)
class Balance:
    fine_fen: int
    late_fee_fen: int
    paid_fen: int
    overdue_days: int
    due_on: (
        datetime.date | None
    )  # the last day to pay without a late fee; None until the decision is delivered
    fine_paid_on: datetime.date | None  # the day the payments reached the fine, which stops the late fee

    @property
    def total_fen(self) -> int:
        return self.fine_fen + self.late_fee_fen

    @property
    def due_fen(self) -> int:
        """Still to pay: fine + late fee − paid, never negative."""
        return max(self.total_fen - self.paid_fen, 0)

    @property
    def overpaid_fen(self) -> int:
        return max(self.paid_fen - self.total_fen, 0)

    @property
    def is_settled(self) -> bool:
        return self.fine_fen > 0 and self.due_fen == 0


def overdue_days(
    *, due_on: datetime.date, until: datetime.date, pauses: Iterable[Pause] = (), as_of: datetime.date
) -> int:
    """Days from the day after ``due_on`` to ``until`` (both counted), less the days inside ``pauses``."""
    if until <= due_on:
        return 0
    first = due_on + ONE_DAY
    days = (until - first).days + 1
    counted: set[datetime.date] = set()  # overlapping 复议 and 诉讼 periods exclude a day once
    for pause in pauses:
        start = max(pause.start, first)
        end = min(pause.end or as_of, until)
        day = start
        while day <= end:
            counted.add(day)
            day += ONE_DAY
    return days - len(counted)


def compute_balance(
    *,
    fine_fen: int,
    delivered_on: datetime.date | None,
    payments: Iterable[tuple[datetime.date, int]],
    as_of: datetime.date,
    deferred_until: datetime.date | None = None,
    pauses: Iterable[Pause] = (),
) -> Balance:
    """The balance of one fine on ``as_of``; payments are ``(paid_on, amount_fen)``, later ones ignored."""
    counted = sorted((day, amount) for day, amount in payments if day <= as_of)
    paid = sum(amount for _, amount in counted)
    if fine_fen <= 0:
        return Balance(0, 0, paid, 0, None, None)
    fine_paid_on = None
    running = 0
    for day, amount in counted:
        running += amount
        if running >= fine_fen:
            fine_paid_on = day
            break
    if delivered_on is None:
        return Balance(fine_fen, 0, paid, 0, None, fine_paid_on)
    due_on = clocks.payment_due(delivered_on)
    if deferred_until is not None and deferred_until > due_on:
        due_on = deferred_until  # Art.66: no late fee within an approved deferral or instalment plan
    days = overdue_days(due_on=due_on, until=fine_paid_on or as_of, pauses=list(pauses), as_of=as_of)
    return Balance(fine_fen, clocks.late_fee(fine_fen, days), paid, days, due_on, fine_paid_on)


def yuan(fen: int) -> str:
    """Fen as 元 with two decimals and thousands separators: 123456 → “1,234.56”."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
