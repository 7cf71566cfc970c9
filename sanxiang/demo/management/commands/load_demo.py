from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.audit.services import checkpoint_sign
from sanxiang.demo.loader import demo_exists, load_demo


class Command(BaseCommand):
    help = gettext_lazy("载入演示数据（舒城县应急管理局）；已载入时不重复创建。")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write(_("演示数据已存在，未作改动。"))
            return
        counts = load_demo(today=timezone.localdate())
        summary = _("，").join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(_("演示数据已载入：%(summary)s") % {"summary": summary}))
        # The demo's log starts with a signed tree head, as a running system's would after its first day.
        checkpoint = checkpoint_sign()
        self.stdout.write(_("已签署审计日志树头：%(size)s 个事件") % {"size": checkpoint.tree_size})
