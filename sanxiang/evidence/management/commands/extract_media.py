from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.evidence import selectors, services


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "为尚无技术信息的照片、录音、录像排队提取技术信息和缩略图（由后台任务完成）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--failed", action="store_true", help=_("同时重新提取此前提取失败的项目"))

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for evidence in selectors.media_to_extract(failed=options["failed"]).iterator():
            with transaction.atomic():
                services.evidence_media_queue(evidence=evidence)
            queued += 1
        self.stdout.write(_("已排队提取 %(count)d 项。") % {"count": queued})
