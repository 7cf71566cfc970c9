from __future__ import annotations

import datetime
import errno
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import Blob, FixityOutcome
from sanxiang.evidence.storage import StoreError, get_store

FULL = (errno.ENOSPC, errno.EDQUOT)


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "核验证据原件的完整性：逐个重新计算哈希并记入审计日志，发现缺失或被改动的文件时逐一列出并以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help=_("只核验从未核验过或最近一次核验早于 N 天前的原件"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = get_store()
        try:
            if Blob.objects.exists():
                store.check_available()
        except StoreError as error:
            raise CommandError(str(error), returncode=2) from error
        days = options["older_than_days"]
        before = timezone.now() - datetime.timedelta(days=days) if days is not None else None
        counts = {outcome: 0 for outcome in FixityOutcome.values}
        failures: list[str] = []
        try:
            for blob in selectors.blobs_due_for_fixity(checked_before=before).iterator():
                check = services.blob_check_fixity(blob=blob, store=store)
                counts[check.outcome] += 1
                if check.outcome != FixityOutcome.INTACT:
                    failures.append(
                        _("%(outcome)s：%(key)s（SHA-256 %(sha256)s）")
                        % {
                            "outcome": FixityOutcome(check.outcome).label,
                            "key": store.describe(blob.storage_key),
                            "sha256": blob.sha256,
                        }
                    )
        except StoreError as error:
            raise CommandError(str(error), returncode=2) from error
        except OSError as error:
            if error.errno in FULL:
                message = _("磁盘已满，核验未完成：%(error)s")
            else:
                message = _("读取证据存储出错，核验未完成：%(error)s")
            raise CommandError(message % {"error": error}, returncode=2) from error
        except DatabaseError as error:
            if "full" not in str(error).lower():
                raise
            message = _("磁盘已满，核验结果无法记录：%(error)s")
            raise CommandError(message % {"error": error}, returncode=2) from error
        summary = _("已核验 %(total)s 个原件：完好 %(intact)s，已被改动 %(altered)s，缺失 %(missing)s。") % {
            "total": sum(counts.values()),
            "intact": counts[FixityOutcome.INTACT],
            "altered": counts[FixityOutcome.ALTERED],
            "missing": counts[FixityOutcome.MISSING],
        }
        if failures:
            for line in failures:
                self.stderr.write(line)
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
