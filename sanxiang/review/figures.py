"""Figures of legal review for an agency and its supervisor: reviews by outcome, rounds per case, days taken,
overdue reviews, the share of corrected cases and the most frequent correction items; and their spreadsheet.

Reads only, over the agencies the user sees (:func:`visible_agency_ids`); each figure is one aggregate query
or a pass over the opinions' rows of those agencies.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.review.models import CheckItem, LegalReview, Opinion, OpinionKind, ReviewRound

__all__ = ["Figures", "figures_for", "figures_xlsx"]

# Days from submission to opinion, in calendar days, grouped for the chart.
DAY_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 2, "0–2"),
    (3, 5, "3–5"),
    (6, 8, "6–8"),
    (9, None, "9+"),
)


@dataclass
class Figures:
    by_outcome: list[tuple[str, int]] = field(default_factory=list)
    rounds_per_case: list[tuple[str, int]] = field(default_factory=list)
    days_taken: list[tuple[str, int]] = field(default_factory=list)
    average_days: float | None = None
    overdue_open: int = 0
    late_opinions: int = 0
    reviewed_cases: int = 0
    corrected_cases: int = 0
    correction_items: list[tuple[str, int]] = field(default_factory=list)

    @property
    def corrected_share(self) -> float | None:
        """Cases with at least one 纠正 among the cases with an opinion, as a fraction."""
        return self.corrected_cases / self.reviewed_cases if self.reviewed_cases else None

    def chart_data(self) -> dict[str, Any]:
        """What the page's charts draw (labels and values), for ``json_script``."""
        return {
            "by_outcome": [{"name": n, "value": v} for n, v in self.by_outcome],
            "rounds": {
                "labels": [n for n, _ in self.rounds_per_case],
                "values": [v for _, v in self.rounds_per_case],
            },
            "days": {"labels": [n for n, _ in self.days_taken], "values": [v for _, v in self.days_taken]},
            "items": {
                "labels": [n for n, _ in self.correction_items],
                "values": [v for _, v in self.correction_items],
            },
        }


def figures_for(user: Any, *, today: datetime.date) -> Figures:
    """The figures over the agencies ``user`` sees."""
    agencies = visible_agency_ids(user)
    rounds = ReviewRound.objects.filter(review__case__agency_id__in=agencies)
    opinions = Opinion.objects.filter(round__review__case__agency_id__in=agencies)
    out = Figures()
    counts = dict(opinions.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    out.by_outcome = [(str(kind.label), counts.get(kind.value, 0)) for kind in OpinionKind]
    out.by_outcome.append((gettext("审核中"), rounds.filter(opinion__isnull=True).count()))
    per_case = Counter(
        LegalReview.objects.filter(case__agency_id__in=agencies)
        .annotate(n=Count("rounds"))
        .values_list("n", flat=True)
    )
    out.rounds_per_case = [
        (gettext("1轮"), per_case.get(1, 0)),
        (gettext("2轮"), per_case.get(2, 0)),
        (gettext("3轮及以上"), sum(v for k, v in per_case.items() if k >= 3)),
    ]
    taken = [
        (given - submitted).days
        for given, submitted in opinions.values_list("given_on", "round__submitted_on")
    ]
    out.days_taken = [
        (label, sum(1 for d in taken if d >= low and (high is None or d <= high)))
        for low, high, label in DAY_BUCKETS
    ]
    out.average_days = round(sum(taken) / len(taken), 1) if taken else None
    deadline = Coalesce(F("extended_until"), F("due_on"))
    out.overdue_open = (
        rounds.filter(opinion__isnull=True)
        .annotate(deadline_on=deadline)
        .filter(deadline_on__lt=today)
        .count()
    )
    out.late_opinions = (
        opinions.annotate(deadline_on=Coalesce(F("round__extended_until"), F("round__due_on")))
        .filter(given_on__gt=F("deadline_on"))
        .count()
    )
    reviewed = LegalReview.objects.filter(case__agency_id__in=agencies, rounds__opinion__isnull=False)
    out.reviewed_cases = reviewed.distinct().count()
    out.corrected_cases = reviewed.filter(Q(rounds__opinion__kind=OpinionKind.CORRECT)).distinct().count()
    items: Counter[str] = Counter()
    for corrections in opinions.filter(kind=OpinionKind.CORRECT).values_list("corrections", flat=True):
        items.update(c.get("item", "") for c in corrections or [])
    labels = dict(CheckItem.choices)
    out.correction_items = [(str(labels.get(k, k)), n) for k, n in items.most_common()]
    return out


def figures_xlsx(figures: Figures, *, title: str) -> bytes:
    """The figures as a spreadsheet: one sheet of key figures, one per table."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 (a new workbook has its sheet)
    sheet.title = gettext("汇总")
    share = figures.corrected_share
    sheet.append([title])
    for label, value in (
        (gettext("已出具意见的案件"), figures.reviewed_cases),
        (gettext("曾被纠正的案件"), figures.corrected_cases),
        (gettext("纠正案件占比"), f"{share:.1%}" if share is not None else "—"),
        (gettext("平均审核用时（日）"), figures.average_days if figures.average_days is not None else "—"),
        (gettext("逾期未审核"), figures.overdue_open),
        (gettext("逾期出具的意见"), figures.late_opinions),
    ):
        sheet.append([label, value])
    tables = (
        (gettext("审核意见"), gettext("意见"), figures.by_outcome),
        (gettext("审核轮次"), gettext("轮次"), figures.rounds_per_case),
        (gettext("审核用时"), gettext("用时（日）"), figures.days_taken),
        (gettext("纠正事项"), gettext("审核内容"), figures.correction_items),
    )
    for name, heading, rows in tables:
        table = book.create_sheet(name)
        table.append([heading, gettext("数量")])
        for row in rows:
            table.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
