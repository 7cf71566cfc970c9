from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.evidence import services
from sanxiang.evidence.storage import StoreError


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "清理暂存区：放弃长期未续传的上传，删除中断的导入留下的临时文件；它们都未成为证据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idle-days", type=int, default=7, help=_("上传超过 N 天未续传即放弃"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            abandoned, deleted = services.staging_sweep(
                idle_upload=datetime.timedelta(days=options["idle_days"])
            )
        except StoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("已放弃 %(abandoned)s 个未完成的上传，删除 %(deleted)s 个中断留下的临时文件。")
            % {"abandoned": abandoned, "deleted": deleted}
        )
