"""A case of agency A with its penalty decision issued, for the signing and delivery tests.

The case is walked to 待作出决定 through the table with the other apps' guards set aside (their own tests
cover them), then the documents gate alone is registered: issuing the 行政处罚决定书, deciding and delivering
run through it as they do in the running system.
"""

from __future__ import annotations

import base64
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image, ImageDraw

from sanxiang.cases import workflow
from sanxiang.cases.models import Case
from sanxiang.cases.tests.factories import FINE, World, do, make_world, reach
from sanxiang.cases.workflow import Action, Stage
from sanxiang.deadlines import holiday_data
from sanxiang.deadlines import services as deadline_services
from sanxiang.documents import gate, services
from sanxiang.documents.models import Document

TODAY = datetime.date(2026, 3, 2)  # a Monday, a working day

DECISION_FIELDS: dict[str, Any] = {
    "evidence": ["现场检查记录", "询问笔录"],
    "violated": "《中华人民共和国安全生产法》第三十六条第二款",
    "basis": "《中华人民共和国安全生产法》第九十九条第二项",
    "payment_bank": "舒城县农村商业银行",
    "payment_account": "34152300000001",
}


class Today:
    """The app's today (cases.workflow.today, which the documents clock reads); ``set`` moves it."""

    def __init__(self, value: datetime.date) -> None:
        self.value = value

    def set(self, day: datetime.date) -> None:
        self.value = day


@dataclass
class Setting:
    w: World
    today: Today
    monkeypatch: pytest.MonkeyPatch

    def case_at(self, stage: str = Stage.DEFENCE_CONCLUDED, **fields: Any) -> Case:
        """A case walked to ``stage`` with no guard registered; then the documents gate alone is."""
        self.monkeypatch.setattr(workflow, "_REGISTERED", defaultdict(list))
        case = reach(self.w, stage, **fields)
        gate.register()
        return case

    def issue(self, case: Case, type_key: str, actor: Any = None, **fields: Any) -> Document:
        draft = services.document_draft(
            actor=actor or self.w.alice, type_key=type_key, case=case, fields=fields
        )
        return services.document_issue(actor=actor or self.w.alice, document=draft)

    def decided(self) -> tuple[Case, Document]:
        """A case decided on TODAY by the leader on its issued 行政处罚决定书 (fine of 10,000 元)."""
        case = self.case_at()
        decision = self.issue(case, "penalty_decision", **DECISION_FIELDS)
        do(case, Action.DECIDE, self.w.leader, penalties=[FINE])
        case.refresh_from_db()
        return case, decision

    def consent(self, case: Case, **fields: Any) -> Document:
        values = {"consents": True, "email": "anquan@example.cn", "phone": "13905641234"}
        values.update(fields)
        return self.issue(case, "electronic_delivery_consent", **values)


def setting(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    """Holidays loaded, today pinned, only the documents gate registered, the cases' world of agency A."""
    for path in holiday_data.shipped_files():
        deadline_services.holiday_year_load(data=holiday_data.read_file(path))
    today = Today(TODAY)
    monkeypatch.setattr(workflow, "today", lambda: today.value)
    return Setting(make_world(personas), today, monkeypatch)


def pad_png(width: int = 600, height: int = 200, *, stroke: bool = True, background: str = "white") -> bytes:
    """What the signature pad posts: a white (or transparent) canvas with a handwritten-like stroke."""
    colour = (255, 255, 255, 255) if background == "white" else (0, 0, 0, 0)
    image = Image.new("RGBA", (width, height), colour)
    if stroke:
        draw = ImageDraw.Draw(image)
        points = [(40 + i * 12, height // 2 + (25 if i % 2 else -25)) for i in range(30)]
        draw.line(points, fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(png).decode("ascii")
