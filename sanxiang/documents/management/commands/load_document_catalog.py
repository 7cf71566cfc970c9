from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.management.commands.import_list import _agency
from sanxiang.documents import doctypes, services


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "导入文书目录（JSON）：不带文件时重新导入随附的安全生产执法文书目录；已被签发文书使用的种类另立新版本。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="", help=_("文书目录 JSON 文件；省略时为随附目录"))
        parser.add_argument("--agency", default="", help=_("机关简称或编号：导入为该机关自己的文书种类"))
        parser.add_argument("--actor", default="", help=_("记入审计日志的操作人用户名"))

    def handle(self, *args: Any, **options: Any) -> None:
        agency = _agency(options["agency"]) if options["agency"] else None
        actor = None
        if options["actor"]:
            try:
                actor = get_user_model().objects.get(username=options["actor"])
            except get_user_model().DoesNotExist:
                raise CommandError(_("找不到用户“%(username)s”") % {"username": options["actor"]}) from None
        path = options["file"] or doctypes.shipped_catalog()
        try:
            data = doctypes.read_catalog(path)
            result = services.document_catalog_load(actor=actor, data=data, agency=agency)
        except doctypes.CatalogError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("文书目录有 %(count)s 处问题，未导入任何内容") % {"count": len(exc.problems)}
            ) from None
        self.stdout.write(
            _("%(scope)s：新增 %(created)s，更新 %(updated)s，另立新版本 %(versioned)s，未变 %(unchanged)s")
            % {"scope": agency.name if agency else _("全国通用文书"), **result.as_dict()}
        )
