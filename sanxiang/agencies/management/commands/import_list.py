from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.agencies import imports
from sanxiang.agencies.models import Agency


class Command(BaseCommand):
    help = "导入机关的权责清单（power）或随机抽查事项清单（random）：文件即现行清单，任何一行有误则不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "list_type", choices=sorted(imports.LISTS), help="power：权责清单；random：随机抽查事项清单"
        )
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        parser.add_argument("--agency", required=True, help="机关简称（如“舒”）或编号")
        parser.add_argument("--actor", default="", help="记入审计日志的操作人用户名")
        parser.add_argument("--dry-run", action="store_true", help="只检查文件，不导入")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = _agency(options["agency"])
        actor = None
        if options["actor"]:
            try:
                actor = get_user_model().objects.get(username=options["actor"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"找不到用户“{options['actor']}”") from None
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror}") from None
        _, parse, service = imports.LISTS[options["list_type"]]
        if options["dry_run"]:
            parsed = parse(path.name, content)
            self._fail_on(parsed.errors)
            self.stdout.write(f"{agency.name}：文件“{path.name}”检查通过，共 {len(parsed.rows)} 项（未导入）")
            return
        try:
            result = service(actor=actor, agency=agency, file_name=path.name, content=content)
        except imports.ListImportError as exc:
            self._fail_on(exc.errors)
            raise
        self.stdout.write(
            f"{agency.name}：已导入“{path.name}”：新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}，标记为不再有效 {result.deactivated}"
        )

    def _fail_on(self, errors: list[str]) -> None:
        if not errors:
            return
        for error in errors:
            self.stderr.write(error)
        raise CommandError(f"文件有 {len(errors)} 处问题，未导入任何内容")


def _agency(value: str) -> Agency:
    agencies = Agency.objects.filter(short_name=value)
    if value.isdigit():
        agencies = agencies | Agency.objects.filter(pk=int(value))
    found = list(agencies[:2])
    if not found:
        raise CommandError(f"找不到简称或编号为“{value}”的机关")
    if len(found) > 1:
        raise CommandError(f"简称“{value}”对应多个机关，请改用机关编号")
    return found[0]
