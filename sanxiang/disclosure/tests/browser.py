"""Helpers of the portal's browser tests: where Chromium and axe-core are, and what axe reports."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings

CHROMIUM = os.environ.get("SANXIANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.BASE_DIR) / "sanxiang" / "core" / "static" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """The serious and critical axe-core violations of the page ``tab`` shows, as axe reports them."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations in a form a failed assertion can print: rule, impact and the offending elements."""
    return json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in violations
        ],
        ensure_ascii=False,
        indent=1,
    )
