"""The guard payments add to the case workflow: no 执行完毕 while a fine is not paid in full."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.payments.balance import yuan


def fine_paid_in_full(case: Any, actor: Any, data: dict[str, Any]) -> None:
    """Refuse 执行完毕 while fine + late fee − paid > 0 (行政处罚法 Art.67, 72); cases without a fine pass."""
    from sanxiang.cases.workflow import GuardFailed
    from sanxiang.payments.selectors import balance_for

    if case.fine_fen <= 0:
        return
    balance = balance_for(case, today=timezone.localdate())
    if balance.due_fen > 0:
        raise GuardFailed(
            _(
                "罚款尚未缴清，不能执行完毕：还应缴纳 %(due)s 元"
                "（罚款 %(fine)s 元，加处罚款 %(fee)s 元，已缴 %(paid)s 元）。"
            )
            % {
                "due": yuan(balance.due_fen),
                "fine": yuan(balance.fine_fen),
                "fee": yuan(balance.late_fee_fen),
                "paid": yuan(balance.paid_fen),
            }
        )
