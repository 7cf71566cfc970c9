from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.evidence import permissions, services
from sanxiang.evidence.storage import StoreError, get_store


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "把执法记录仪存储卡或文件夹中的文件导入案件证据：边读边计算哈希，已入库的相同文件自动跳过，可中断后重新运行。"
    )
    # Checks of the whole project (URLs, templates, models) belong to deployment, not to each card imported.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help=_("存储卡或文件夹路径"))
        parser.add_argument("--case", required=True, help=_("案件编号（立案编号）"))
        parser.add_argument("--collector", required=True, help=_("采集人的用户名"))

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        case = Case.objects.filter(number=options["case"]).first()
        if case is None:
            raise CommandError(_("未找到编号为“%(number)s”的案件。") % {"number": options["case"]})
        collector = User.objects.filter(username=options["collector"], is_active=True).first()
        if collector is None:
            raise CommandError(_("未找到用户“%(name)s”。") % {"name": options["collector"]})
        if not permissions.can_ingest(collector, case):
            raise CommandError(
                _("用户“%(name)s”不是该案件的承办人员，也不是本机关的承办股室负责人或机关负责人。")
                % {"name": collector.get_username()}
            )
        files = self._files(folder)
        total = sum(size for _path, size in files)
        store = get_store()
        done_bytes = stored = skipped = 0
        started = time.monotonic()
        for index, (path, size) in enumerate(files, start=1):
            try:
                outcome, _evidence = services.evidence_import_file(
                    path=path, case=case, collector=collector, store=store
                )
            except StoreError as error:
                raise CommandError(str(error)) from error
            except OSError as error:
                raise CommandError(
                    _("无法读取文件“%(path)s”：%(error)s") % {"path": path, "error": error.strerror}
                ) from error
            if outcome == services.ImportOutcome.STORED:
                stored += 1
            else:
                skipped += 1
            done_bytes += size
            self._progress(index, len(files), done_bytes, total, started)
        if files:
            self.stderr.write("")
        self.stdout.write(
            _("导入完成：新入库 %(stored)s 个文件，已入库而跳过 %(skipped)s 个，共 %(bytes)s 字节。")
            % {"stored": stored, "skipped": skipped, "bytes": done_bytes}
        )

    def _files(self, folder: Path) -> list[tuple[Path, int]]:
        """Every regular file under ``folder`` (hidden ones excepted), in a stable order, with its size."""
        if not folder.is_dir() or not os.access(folder, os.R_OK | os.X_OK):
            message = _("无法读取文件夹“%(path)s”：不存在、不是文件夹或没有读取权限。")
            raise CommandError(message % {"path": folder})
        found: list[tuple[Path, int]] = []

        def refuse(error: OSError) -> None:
            raise CommandError(
                _("无法读取文件夹“%(path)s”：%(error)s") % {"path": error.filename, "error": error.strerror}
            )

        for root, dirs, names in os.walk(folder, onerror=refuse):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(root) / name
                if name.startswith(".") or not path.is_file():
                    continue
                found.append((path, path.stat().st_size))
        return found

    def _progress(self, index: int, count: int, done: int, total: int, started: float) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        speed = done / elapsed / 1e6
        percent = 100 * done / total if total else 100
        line = _("%(index)s/%(count)s 个文件，%(percent).1f%%，%(speed).1f MB/s") % {
            "index": index,
            "count": count,
            "percent": percent,
            "speed": speed,
        }
        end = "\r" if sys.stderr.isatty() and index < count else "\n"
        self.stderr.write(line, ending=end)
