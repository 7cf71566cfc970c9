from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
