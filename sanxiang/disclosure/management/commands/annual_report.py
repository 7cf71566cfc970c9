"""``annual_report``: draft the annual report (年度报告) of a past year for the discloser's agency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sanxiang.accounts.models import User
from sanxiang.disclosure import annual


class Command(BaseCommand):
    help = "生成上年度行政执法数据（年度报告）的待公示稿，每年1月31日前公开"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度")
        parser.add_argument("--user", required=True, help="公示审核员的用户名（报告属于其所在机关）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.select_related("agency").filter(username=options["user"]).first()
        if user is None or user.agency is None:
            raise CommandError(_("没有找到该用户或其所在机关。"))
        try:
            report = annual.annual_report_draft(agency=user.agency, actor=user, year=options["year"])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(
            _("已生成 %(title)s 的待公示稿（第 %(version)s 版），公示期限 %(due)s。")
            % {
                "title": report.title,
                "version": report.versions.count(),
                "due": report.due_on.isoformat() if report.due_on else "—",
            }
        )
