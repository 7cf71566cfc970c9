"""``publish_due``: run the publication clocks (expire ended items, flag overdue drafts), print counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sanxiang.disclosure.services import publications_run_due


class Command(BaseCommand):
    help = "运行公示期限：公示期满的下线，逾期未公示的标记，并输出数量"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = publications_run_due()
        self.stdout.write(
            _(
                "公示期满下线 %(expired)s 条；"
                "新标记逾期未公示 %(flagged)s 条（逾期未公示共 %(overdue)s 条）；"
                "逾期未撤回 %(withdrawals)s 条；补算公示期限 %(filled)s 条。"
            )
            % {
                "expired": counts.expired,
                "flagged": counts.overdue_flagged,
                "overdue": counts.overdue,
                "withdrawals": counts.withdrawals_overdue,
                "filled": counts.due_filled,
            }
        )
