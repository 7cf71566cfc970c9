"""An agency's yearly figures and their publication as the annual report (年度报告).

国办发〔2018〕118号: each enforcement agency publishes the overall figures of its enforcement of the previous
year by 31 January (行政执法总体情况有关数据). The figures are read from what the system keeps — published
decisions by kind, fines, legal review outcomes, publication on time — and the same figures are the portal's
yearly page and the text of the report, so nothing is typed twice.

The report is a publication of agency information (``PublicationKind.AGENCY_INFO``) with ``report_year``
set: drafted by the discloser, redacted and published like any other, with a clock due on 31 January of the
next year. The due day is the calendar date the circular names ("每年1月31日前") and is not moved when it
falls on a weekend or holiday: it is not a period of working days (contrast 7/20 working days for decisions).
A second draft of the same year is refused while the first is a draft; once the report is published, drafting
it again gives a new version with the current figures (a correction, published with its public note).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.core import due
from sanxiang.disclosure import permissions, published, selectors, services
from sanxiang.disclosure.models import Publication, PublicationKind, PublicationStatus
from sanxiang.documents import clock

__all__ = [
    "Figures",
    "ReviewOutcomes",
    "annual_figures",
    "annual_report_draft",
    "annual_report_due",
    "published_report",
    "report_text",
    "review_outcomes",
]


def annual_report_due(year: int) -> datetime.date:
    """The report of ``year`` is published by 31 January of the next year (国办发〔2018〕118号), not moved."""
    return datetime.date(year + 1, 1, 31)


@dataclass(frozen=True)
class ReviewOutcomes:
    """法制审核 opinions given in a year: how many, of which kind, and how many within the review period."""

    reviews: int
    approved: int
    corrected: int
    transferred: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.reviews if self.reviews else None


def review_outcomes(*, year: int, agency_id: int) -> ReviewOutcomes:
    """The legal review opinions the agency gave in ``year`` (read only from the review app's records).

    On time: given on or before the round's last day (the extended day where a leader approved one;
    行政处罚法 Art.58 with the agency's review period).
    """
    from sanxiang.review.models import Opinion, OpinionKind

    opinions = Opinion.objects.filter(given_on__year=year, round__review__case__agency_id=agency_id)
    counts = opinions.aggregate(
        reviews=Count("pk"),
        approved=Count("pk", filter=Q(kind=OpinionKind.APPROVE)),
        corrected=Count("pk", filter=Q(kind=OpinionKind.CORRECT)),
        transferred=Count("pk", filter=Q(kind=OpinionKind.TRANSFER)),
        on_time=Count("pk", filter=Q(given_on__lte=Coalesce(F("round__extended_until"), F("round__due_on")))),
    )
    return ReviewOutcomes(**{key: int(value or 0) for key, value in counts.items()})


@dataclass(frozen=True)
class Figures:
    """One agency's year as the portal shows it and the annual report states it."""

    agency: Any
    year: int
    kinds: list[dict[str, Any]]
    count: int
    fines_yuan: float
    record: selectors.Timeliness
    reviews: ReviewOutcomes

    @property
    def due_on(self) -> datetime.date:
        return annual_report_due(self.year)


def annual_figures(agency: Any, year: int) -> Figures:
    """Published decisions of ``year`` by kind with their fines, publication timeliness, review outcomes."""
    shown = Publication.objects.filter(
        agency=agency,
        kind__in=published.LISTED_KINDS,
        decided_on__year=year,
        published_at__isnull=False,
    )
    by_kind = {
        row["kind"]: row for row in shown.values("kind").annotate(count=Count("pk"), fines=Sum("fine_fen"))
    }
    kinds = [
        {
            "label": kind.label,
            "count": by_kind.get(kind.value, {}).get("count", 0),
            "fines_yuan": (by_kind.get(kind.value, {}).get("fines") or 0) / 100,
        }
        for kind in published.LISTED_KINDS
    ]
    return Figures(
        agency=agency,
        year=year,
        kinds=kinds,
        count=sum(k["count"] for k in kinds),
        fines_yuan=sum(k["fines_yuan"] for k in kinds),
        record=selectors.timeliness(year=year, agency_id=agency.pk),
        reviews=review_outcomes(year=year, agency_id=agency.pk),
    )


def rate(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def report_title(agency: Any, year: int) -> str:
    return gettext("%(agency)s%(year)s年度行政执法数据") % {"agency": agency.name, "year": year}


def report_text(figures: Figures) -> str:
    """The report's text, generated from the figures (the public sees it redacted like any publication)."""
    lines = [
        report_title(figures.agency, figures.year),
        "",
        gettext("依据国办发〔2018〕118号，现将本机关%(year)s年度行政执法总体情况有关数据公开如下。")
        % {"year": figures.year},
        "",
        gettext("一、执法决定"),
    ]
    for row in figures.kinds:
        lines.append(
            gettext("%(label)s：%(count)s件，罚款%(fines).2f元。")
            % {"label": row["label"], "count": row["count"], "fines": row["fines_yuan"]}
        )
    lines.append(
        gettext("合计：%(count)s件，罚款%(fines).2f元。")
        % {"count": figures.count, "fines": figures.fines_yuan}
    )
    reviews = figures.reviews
    lines += [
        "",
        gettext("二、法制审核"),
        gettext("出具法制审核意见%(n)s件，其中同意%(a)s件、纠正%(c)s件、移送%(t)s件；按期审核率%(rate)s。")
        % {
            "n": reviews.reviews,
            "a": reviews.approved,
            "c": reviews.corrected,
            "t": reviews.transferred,
            "rate": rate(reviews.on_time_rate),
        },
        "",
        gettext("三、公示情况"),
    ]
    record = figures.record
    lines.append(
        gettext(
            "已公示%(published)s件，按期公示%(on_time)s件（按期公示率%(rate)s）；更正%(corrections)s次；"
            "撤回%(withdrawn)s件（按期撤回率%(withdrawal_rate)s）；逾期未公示%(overdue)s件。"
        )
        % {
            "published": record.published,
            "on_time": record.published_on_time,
            "rate": rate(record.on_time_rate),
            "corrections": record.corrections,
            "withdrawn": record.withdrawn,
            "withdrawal_rate": rate(record.withdrawal_on_time_rate),
            "overdue": record.overdue_drafts,
        }
    )
    return "\n".join(lines) + "\n"


def published_report(agency_id: int, year: int) -> Publication | None:
    """The agency's published annual report of ``year``, if any."""
    return Publication.objects.filter(
        agency_id=agency_id, report_year=year, status=PublicationStatus.PUBLISHED
    ).first()


@transaction.atomic
def annual_report_draft(*, agency: Any, actor: Any, year: int) -> Publication:
    """Draft the annual report of ``year`` from the figures, with its clock due on 31 January of ``year+1``.

    Refused for a year not yet over, and while a draft of the same year exists; a published report gets a
    new version with the current figures (a correction). See the module's docstring.
    """
    if not permissions.can_disclose_for(actor, agency.pk):
        raise PermissionDenied(gettext("只有本机关的公示审核员可以办理公示。"))
    today = clock.today()
    if not 2000 <= year < today.year:
        raise ValidationError(gettext("只能公开已经结束的年度的行政执法数据。"))
    type(agency).objects.select_for_update().get(pk=agency.pk)  # one report per agency and year
    existing = Publication.objects.filter(agency_id=agency.pk, report_year=year).first()
    text = report_text(annual_figures(agency, year))
    if existing is not None:
        if existing.status == PublicationStatus.PUBLISHED:
            if existing.versions.filter(published_at=None).exists():
                raise ValidationError(gettext("该年度报告已有待公示的更正稿，请先处理。"))
            services.publication_correct(publication=existing, actor=actor, text=text)
            return existing
        raise ValidationError(
            gettext("%(year)s年度报告已存在（%(status)s），不能重复生成。")
            % {"year": year, "status": existing.get_status_display()}
        )
    publication = services.publication_draft_for_text(
        agency=agency,
        actor=actor,
        kind=PublicationKind.AGENCY_INFO,
        title=report_title(agency, year),
        text=text,
        decided_on=today,
    )
    publication.report_year = year
    publication.due_on = annual_report_due(year)
    publication.save(update_fields=["report_year", "due_on"])
    audit.record(
        audit.EventType.ANNUAL_REPORT_DRAFTED,
        actor=actor,
        subject=publication,
        agency=agency.pk,
        data={"year": year, "due_on": publication.due_on.isoformat()},
    )
    due.clocks_changed(publication.matter)
    return publication
