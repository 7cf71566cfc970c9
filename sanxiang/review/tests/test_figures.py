"""The figures page and its spreadsheet, after a correction, an approval, a transfer and an open review."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from sanxiang.cases.tests.factories import World
from sanxiang.review import figures, services
from sanxiang.review.tests.factories import SOUND, WAN, approve, at_review_point, correct, fine, publish


def _history(world: World, today: Any) -> None:
    publish(world)
    corrected = at_review_point(world, penalties=[fine(6 * WAN)])
    correct(world, services.review_submit(actor=world.alice, case=corrected))
    today.set(datetime.date(2026, 3, 4))
    approve(world, services.review_submit(actor=world.alice, case=corrected))
    transferred = at_review_point(world, penalties=[fine(7 * WAN)])
    services.review_opinion_give(
        actor=world.bob,
        round=services.review_submit(actor=world.alice, case=transferred),
        kind="transfer",
        findings={**SOUND, "crime_referral": ("problem", "涉嫌犯罪")},
        text="建议移送",
        organ="甲县公安局",
    )
    waiting = at_review_point(world, penalties=[fine(8 * WAN)])
    services.review_submit(actor=world.alice, case=waiting)
    today.set(datetime.date(2026, 3, 20))


def test_the_figures_count_outcomes_rounds_days_overdue_and_correction_items(
    world: World, today: Any
) -> None:
    _history(world, today)
    found = figures.figures_for(world.bob, today=datetime.date(2026, 3, 20))
    assert dict(found.by_outcome) == {"同意": 1, "纠正": 1, "移送": 1, "审核中": 1}
    assert dict(found.rounds_per_case) == {"1轮": 2, "2轮": 1, "3轮及以上": 0}
    assert found.reviewed_cases == 2 and found.corrected_cases == 1 and found.corrected_share == 0.5
    assert found.overdue_open == 1 and found.late_opinions == 0
    assert found.correction_items == [("适用法律是否准确，裁量基准运用是否适当", 1)]
    assert dict(found.days_taken)["0–2"] == 3


def test_the_supervisor_sees_the_figures_of_the_agencies_below_and_downloads_them(
    client: Client, world: World, today: Any
) -> None:
    _history(world, today)
    client.force_login(world.p.supervisor)
    page = client.get("/review/figures/").content.decode()
    assert 'id="review-figures-data"' in page and "vendor/echarts/echarts.min.js" in page
    assert "50.0%" in page
    response = client.get("/review/figures.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "审核意见", "审核轮次", "审核用时", "纠正事项"]
    rows = {r[0]: r[1] for r in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert rows["逾期未审核"] == 1 and rows["纠正案件占比"] == "50.0%"
    client.force_login(world.alice)
    assert client.get("/review/figures/").status_code == 403
