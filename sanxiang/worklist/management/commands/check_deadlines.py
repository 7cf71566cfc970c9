"""Rebuild the stored clocks, then turn them into notifications, once per clock and user; safe to rerun."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from sanxiang.worklist import services


class Command(BaseCommand):
    help = (
        "重新计算各项法定期限（遗漏的更新在下次运行时即被修复，建议每几分钟运行一次），"
        "为逾期或即将到期的事项生成提醒（可重复运行）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按该日期检查（YYYY-MM-DD），默认为当天")
        parser.add_argument("--days-before", type=int, default=None, help="提前提醒的天数")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        if today is None:
            raise ValueError(gettext("日期格式应为 YYYY-MM-DD。"))
        days_before = options["days_before"]
        if days_before is None:
            days_before = settings.SANXIANG_NOTIFY_DAYS_BEFORE
        # The safety net: a write that missed its refresh, or data changed behind the services, heals here.
        services.clocks_rebuild()
        result = services.notifications_create_due(today=today, days_before=days_before)
        for year in result.missing_years:
            self.stderr.write(gettext("%(year)d年的节假日安排尚未导入，部分期限未能计算。") % {"year": year})
        self.stdout.write(
            gettext("已检查 %(checked)d 项期限，新建提醒 %(created)d 条，逾期 %(overdue)d 项")
            % {"checked": result.checked, "created": result.created, "overdue": result.overdue}
        )
