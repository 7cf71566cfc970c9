from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.deadlines import calendar
from sanxiang.deadlines.calendar import CalendarMissing

_USAGE = (
    "用法：workdays add 日期 天数（工作日）｜workdays calendar 日期 天数（自然日，末日遇休息日顺延）"
    "｜workdays check 日期"
)
# Exit status for a date in a year whose holiday table is not loaded, distinct from bad arguments (1).
EXIT_CALENDAR_MISSING = 2


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD 格式。{_USAGE}") from None


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(f"天数“{value}”无效，应为非负整数。{_USAGE}") from None
    if n < 0:
        raise CommandError(f"天数“{value}”无效，应为非负整数。{_USAGE}")
    return n


class Command(BaseCommand):
    help = "按节假日安排计算期限：add 加工作日，calendar 加自然日（遇休息日顺延），check 判断是否工作日。"

    def add_arguments(self, parser: CommandParser) -> None:
        # Arguments are checked here rather than by argparse so that every message is in Chinese.
        parser.add_argument("words", nargs="*", help="add 日期 天数 | calendar 日期 天数 | check 日期")

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        if not words:
            raise CommandError(f"缺少参数。{_USAGE}")
        action, rest = words[0], words[1:]
        expected = {"add": 2, "calendar": 2, "check": 1}
        if action not in expected:
            raise CommandError(f"未知的操作“{action}”。{_USAGE}")
        if len(rest) != expected[action]:
            raise CommandError(f"{action} 需要 {expected[action]} 个参数，收到 {len(rest)} 个。{_USAGE}")
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
            raise CommandError(f"结果超出可表示的日期范围。{_USAGE}") from None
