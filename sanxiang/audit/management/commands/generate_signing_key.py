from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.audit.keys import generate_key_file


class Command(BaseCommand):
    help = gettext_lazy("生成审计日志签名密钥文件（已存在则不覆盖），并显示公钥。")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.SIGNING_KEY_FILE)
        created, key = generate_key_file(path)
        self.stdout.write(
            (_("已生成签名密钥文件：%(path)s") if created else _("已存在签名密钥文件：%(path)s"))
            % {"path": path}
        )
        self.stdout.write(_("公钥（base64）：%(key)s") % {"key": base64.b64encode(key.public_key).decode()})
        self.stdout.write(_("密钥标识：%(key_id)s") % {"key_id": key.key_id})
