from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.deadlines import holiday_data, services
from sanxiang.deadlines.holiday_data import HolidayDataError
from sanxiang.deadlines.services import LoadOutcome

_OUTCOME_TEXT = {
    LoadOutcome.CREATED: gettext_lazy("已导入"),
    LoadOutcome.UNCHANGED: gettext_lazy("已是最新，未改动"),
    LoadOutcome.REPLACED: gettext_lazy("已按文件替换"),
}


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "导入节假日安排：不带参数时导入随附的各年度，带文件（.json 或 .csv）时导入该文件的年度。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help=_("节假日安排文件（.json，或每行 date,kind,name 的 .csv）")
        )
        parser.add_argument(
            "--replace", action="store_true", help=_("年度已导入且内容不同时，以文件内容替换")
        )
        parser.add_argument("--title", default="", help=_("CSV 文件对应的通知标题"))
        parser.add_argument("--number", default="", help=_("CSV 文件对应的发文字号"))
        parser.add_argument("--url", default="", help=_("CSV 文件对应的通知网址"))

    def handle(self, *args: Any, **options: Any) -> None:
        notice = {
            "notice_title": options["title"],
            "notice_number": options["number"],
            "notice_url": options["url"],
        }
        paths = [Path(options["file"])] if options["file"] else holiday_data.shipped_files()
        counts = dict.fromkeys(LoadOutcome, 0)
        skipped = 0
        for path in paths:
            try:
                data = holiday_data.read_file(path, **notice)
                _year, outcome = services.holiday_year_load(data=data, actor=None, replace=options["replace"])
            except HolidayDataError as exc:
                if options["file"]:
                    raise CommandError(
                        _("%(name)s：%(exc)s；未做任何改动") % {"name": path.name, "exc": exc}
                    ) from None
                self.stderr.write(_("%(name)s：%(exc)s；未做任何改动") % {"name": path.name, "exc": exc})
                skipped += 1
                continue
            counts[outcome] += 1
            self.stdout.write(
                _(
                    "%(year)s年：%(outcome)s（休息日 %(holiday_count)s 天，"
                    "调休上班日 %(adjusted_workday_count)s 天）"
                )
                % {
                    "year": data.year,
                    "outcome": _OUTCOME_TEXT[outcome],
                    "holiday_count": data.holiday_count,
                    "adjusted_workday_count": data.adjusted_workday_count,
                }
            )
        summary = _("共 %(count)s 个年度：新导入 %(created)s，替换 %(replaced)s，未改动 %(unchanged)s") % {
            "count": len(paths),
            "created": counts[LoadOutcome.CREATED],
            "replaced": counts[LoadOutcome.REPLACED],
            "unchanged": counts[LoadOutcome.UNCHANGED],
        }
        if skipped:
            summary += _("，跳过 %(skipped)s") % {"skipped": skipped}
        self.stdout.write(summary)
