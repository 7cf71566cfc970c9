from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies import imports
from sanxiang.agencies.models import Agency


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "导入机关的权责清单（power）或随机抽查事项清单（random）：文件即现行清单，任何一行有误则不导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "list_type", choices=sorted(imports.LISTS), help=_("power：权责清单；random：随机抽查事项清单")
        )
        parser.add_argument("file", help=_(".xlsx 或 .csv 文件"))
        parser.add_argument("--agency", required=True, help=_("机关简称（如“舒”）或编号"))
        parser.add_argument("--actor", default="", help=_("记入审计日志的操作人用户名"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查文件，不导入"))

    def handle(self, *args: Any, **options: Any) -> None:
        agency = _agency(options["agency"])
        actor = None
        if options["actor"]:
            try:
                actor = get_user_model().objects.get(username=options["actor"])
            except get_user_model().DoesNotExist:
                raise CommandError(_("找不到用户“%(username)s”") % {"username": options["actor"]}) from None
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件“%(path)s”：%(strerror)s") % {"path": path, "strerror": exc.strerror}
            ) from None
        _spec, parse, service = imports.LISTS[options["list_type"]]
        if options["dry_run"]:
            parsed = parse(path.name, content)
            self._fail_on(parsed.errors)
            self.stdout.write(
                _("%(agency)s：文件“%(file)s”检查通过，共 %(count)s 项（未导入）")
                % {"agency": agency.name, "file": path.name, "count": len(parsed.rows)}
            )
            return
        try:
            result = service(actor=actor, agency=agency, file_name=path.name, content=content)
        except imports.ListImportError as exc:
            self._fail_on(exc.errors)
            raise
        self.stdout.write(
            _(
                "%(agency)s：已导入“%(file)s”：新增 %(created)s，更新 %(updated)s，"
                "未变 %(unchanged)s，标记为不再有效 %(deactivated)s"
            )
            % {
                "agency": agency.name,
                "file": path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            }
        )

    def _fail_on(self, errors: list[str]) -> None:
        if not errors:
            return
        for error in errors:
            self.stderr.write(error)
        raise CommandError(_("文件有 %(count)s 处问题，未导入任何内容") % {"count": len(errors)})


def _agency(value: str) -> Agency:
    agencies = Agency.objects.filter(short_name=value)
    if value.isdigit():
        agencies = agencies | Agency.objects.filter(pk=int(value))
    found = list(agencies[:2])
    if not found:
        raise CommandError(_("找不到简称或编号为“%(value)s”的机关") % {"value": value})
    if len(found) > 1:
        raise CommandError(_("简称“%(value)s”对应多个机关，请改用机关编号") % {"value": value})
    return found[0]
