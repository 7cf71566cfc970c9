from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sanxiang.audit.services import checkpoint_sign


class Command(BaseCommand):
    help = "为审计日志的当前树头签名（日志未变时沿用最新的签名树头）。"

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = checkpoint_sign()
        self.stdout.write(f"签名树头：大小 {checkpoint.tree_size}，根哈希 {checkpoint.root_hex}")
