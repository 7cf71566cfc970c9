from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy

from sanxiang.audit.services import verify_log


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "核验审计日志：重算每个事件的叶哈希、校验码和每个签名树头，发现不符时指出第一个出错的事件。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_log()
        if not result.ok:
            for problem in result.problems[1:]:
                self.stderr.write(problem)
            raise CommandError(result.problems[0], returncode=1)
        self.stdout.write(result.summary())
