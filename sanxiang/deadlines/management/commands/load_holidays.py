from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.deadlines import holiday_data, services
from sanxiang.deadlines.holiday_data import HolidayDataError
from sanxiang.deadlines.services import LoadOutcome

_OUTCOME_TEXT = {
    LoadOutcome.CREATED: "已导入",
    LoadOutcome.UNCHANGED: "已是最新，未改动",
    LoadOutcome.REPLACED: "已按文件替换",
}


class Command(BaseCommand):
    help = "导入节假日安排：不带参数时导入随附的各年度，带文件（.json 或 .csv）时导入该文件的年度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="节假日安排文件（.json，或每行 date,kind,name 的 .csv）")
        parser.add_argument("--replace", action="store_true", help="年度已导入且内容不同时，以文件内容替换")
        parser.add_argument("--title", default="", help="CSV 文件对应的通知标题")
        parser.add_argument("--number", default="", help="CSV 文件对应的发文字号")
        parser.add_argument("--url", default="", help="CSV 文件对应的通知网址")

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
                _, outcome = services.holiday_year_load(data=data, actor=None, replace=options["replace"])
            except HolidayDataError as exc:
                if options["file"]:
                    raise CommandError(f"{path.name}：{exc}；未做任何改动") from None
                self.stderr.write(f"{path.name}：{exc}；未做任何改动")
                skipped += 1
                continue
            counts[outcome] += 1
            self.stdout.write(
                f"{data.year}年：{_OUTCOME_TEXT[outcome]}（休息日 {data.holiday_count} 天，"
                f"调休上班日 {data.adjusted_workday_count} 天）"
            )
        summary = (
            f"共 {len(paths)} 个年度：新导入 {counts[LoadOutcome.CREATED]}，"
            f"替换 {counts[LoadOutcome.REPLACED]}，未改动 {counts[LoadOutcome.UNCHANGED]}"
        )
        if skipped:
            summary += f"，跳过 {skipped}"
        self.stdout.write(summary)
