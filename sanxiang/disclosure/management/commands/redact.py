"""``redact FILE``: print the text of FILE redacted; ``--json`` prints the spans found instead."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sanxiang.disclosure.redaction import Context, NameStyle, Policy, redact


class Command(BaseCommand):
    help = "脱敏：输出文本文件脱敏后的内容（--json 输出识别到的各项及其位置）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("UTF-8 文本文件；“-”为标准输入"))
        parser.add_argument("--json", action="store_true", help=_("输出识别到的各项及其位置"))
        parser.add_argument("--person", action="append", default=[], help=_("已知的自然人姓名，可重复"))
        parser.add_argument("--punished", action="append", default=[], help=_("被处罚的自然人姓名，可重复"))
        parser.add_argument("--keep", action="append", default=[], help=_("照常公开的文字"))
        parser.add_argument(
            "--punished-name",
            choices=[s.value for s in NameStyle],
            default=NameStyle.SURNAME_MOUMOU.value,
            help=_("被处罚人姓名的公开方式"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("无法读取文件“%(name)s”：%(error)s") % {"name": name, "error": exc}) from exc
        context = Context(
            persons=tuple(options["person"]), punished=tuple(options["punished"]), keep=tuple(options["keep"])
        )
        result = redact(text, context, Policy(punished_name=NameStyle(options["punished_name"])))
        if options["json"]:
            payload = {"spans": [s.as_dict() for s in result.spans], "count": len(result.spans)}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result.text, ending="")
