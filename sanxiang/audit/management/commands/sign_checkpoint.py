from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.audit.services import checkpoint_sign


class Command(BaseCommand):
    help = gettext_lazy("为审计日志的当前树头签名（日志未变时沿用最新的签名树头）。")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = checkpoint_sign()
        self.stdout.write(
            _("签名树头：大小 %(tree_size)s，根哈希 %(root_hex)s")
            % {"tree_size": checkpoint.tree_size, "root_hex": checkpoint.root_hex}
        )
