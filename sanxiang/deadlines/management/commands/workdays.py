from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.deadlines import calendar
from sanxiang.deadlines.calendar import CalendarMissing

_USAGE = gettext_lazy(
    "用法：workdays add 日期 天数（工作日）｜workdays calendar 日期 天数（自然日，末日遇休息日顺延）"
    "｜workdays check 日期"
)
# Exit status for a date in a year whose holiday table is not loaded, distinct from bad arguments (1).
EXIT_CALENDAR_MISSING = 2


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("日期“%(value)s”无效，应为 YYYY-MM-DD 格式。%(usage)s") % {"value": value, "usage": _USAGE}
        ) from None


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(
            _("天数“%(value)s”无效，应为非负整数。%(usage)s") % {"value": value, "usage": _USAGE}
        ) from None
    if n < 0:
        raise CommandError(
            _("天数“%(value)s”无效，应为非负整数。%(usage)s") % {"value": value, "usage": _USAGE}
        )
    return n


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "按节假日安排计算期限：add 加工作日，calendar 加自然日（遇休息日顺延），check 判断是否工作日。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Arguments are checked here rather than by argparse so that every message is in Chinese.
        parser.add_argument("words", nargs="*", help=_("add 日期 天数 | calendar 日期 天数 | check 日期"))

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        if not words:
            raise CommandError(_("缺少参数。%(usage)s") % {"usage": _USAGE})
        action, rest = words[0], words[1:]
        expected = {"add": 2, "calendar": 2, "check": 1}
        if action not in expected:
            raise CommandError(_("未知的操作“%(action)s”。%(usage)s") % {"action": action, "usage": _USAGE})
        if len(rest) != expected[action]:
            raise CommandError(
                _("%(action)s 需要 %(expected)s 个参数，收到 %(count)s 个。%(usage)s")
                % {"action": action, "expected": expected[action], "count": len(rest), "usage": _USAGE}
            )
        start = _date(rest[0])
        try:
            if action == "add":
                self.stdout.write(calendar.add_working_days(start, _count(rest[1])).isoformat())
            elif action == "calendar":
                self.stdout.write(calendar.add_calendar_days(start, _count(rest[1])).isoformat())
            else:
                self.stdout.write("workday" if calendar.is_working_day(start) else "restday")
        except CalendarMissing as exc:
            raise CommandError(str(exc), returncode=EXIT_CALENDAR_MISSING) from None
        except OverflowError:
            raise CommandError(_("结果超出可表示的日期范围。%(usage)s") % {"usage": _USAGE}) from None
