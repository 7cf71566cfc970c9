from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sanxiang.audit.keys import generate_key_file


class Command(BaseCommand):
    help = "生成审计日志签名密钥文件（已存在则不覆盖），并显示公钥。"

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.SIGNING_KEY_FILE)
        created, key = generate_key_file(path)
        self.stdout.write(f"{'已生成' if created else '已存在'}签名密钥文件：{path}")
        self.stdout.write(f"公钥（base64）：{base64.b64encode(key.public_key).decode()}")
        self.stdout.write(f"密钥标识：{key.key_id}")
