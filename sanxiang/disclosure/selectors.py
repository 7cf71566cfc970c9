"""Reads of publications: the discloser's queue, the agency's list, the public ones, and their clocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.disclosure.models import Publication, PublicationStatus, PublicationVersion
from sanxiang.disclosure.services import SEVEN_DAY_KINDS

__all__ = [
    "clocks_of",
    "public_publication_get",
    "public_publications",
    "publication_get_for",
    "publication_list_for",
    "publication_queue_for",
    "redacted_segments",
    "segments",
    "timeliness",
]

PUBLIC_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


def publication_list_for(user: Any) -> QuerySet[Publication]:
    """Every publication of the agencies the user may see."""
    return Publication.objects.filter(agency_id__in=visible_agency_ids(user)).select_related("agency")


def publication_get_for(user: Any, pk: int) -> Publication:
    return publication_list_for(user).get(pk=pk)


def publication_queue_for(user: Any) -> QuerySet[Publication]:
    """What awaits the discloser: drafts (overdue first, then by due day) and decisions to withdraw."""
    today = timezone.localdate()
    return (
        publication_list_for(user)
        .filter(
            status__in=[PublicationStatus.DRAFT, PublicationStatus.PUBLISHED],
        )
        .exclude(status=PublicationStatus.PUBLISHED, withdrawal_due_on=None)
        .annotate(
            urgent=When_(
                When(status=PublicationStatus.PUBLISHED, then=Value(0)),
                When(due_on__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "urgent", F("withdrawal_due_on").asc(nulls_last=True), F("due_on").asc(nulls_last=True), "pk"
        )
    )


def public_publications() -> QuerySet[Publication]:
    """What the portal lists: published items (withdrawn ones show as tombstones on their own page)."""
    return Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("agency")


def public_publication_get(pk: int) -> Publication:
    """A published or withdrawn publication (the tombstone stays); expired and unpublished ones are gone."""
    return Publication.objects.select_related("agency").get(pk=pk, status__in=PUBLIC_STATUSES)


def public_versions(publication: Publication) -> QuerySet[PublicationVersion]:
    """The published versions, newest first: the text and the history of corrections."""
    return publication.versions.exclude(published_at=None).order_by("-number")


@dataclass(frozen=True)
class Segment:
    """A piece of a text for the side-by-side view: plain, or a span (kind, replacement) to highlight."""

    text: str
    kind: str = ""
    label: str = ""
    replacement: str = ""


def segments(text: str, spans: Iterable[dict[str, Any]]) -> list[Segment]:
    """``text`` cut at the stored spans, so that a template can mark every detected item."""
    from sanxiang.disclosure.redaction import KIND_LABELS, Kind

    pieces: list[Segment] = []
    position = 0
    for span in sorted(spans, key=lambda s: s["start"]):
        start, end = int(span["start"]), int(span["end"])
        if start < position or end > len(text):
            continue
        pieces.append(Segment(text[position:start]))
        kind = Kind(span["kind"])
        pieces.append(Segment(text[start:end], kind.value, str(KIND_LABELS[kind]), str(span["replacement"])))
        position = end
    pieces.append(Segment(text[position:]))
    return [p for p in pieces if p.text]


def redacted_segments(source: str, text: str, spans: Iterable[dict[str, Any]]) -> list[Segment]:
    """The redacted ``text`` cut at the replacements of ``spans``, when they alone turn ``source`` into it."""
    from sanxiang.disclosure.redaction import KIND_LABELS, Kind

    ordered = sorted(spans, key=lambda s: s["start"])
    pieces: list[Segment] = []
    position = 0
    for span in ordered:
        start, end = int(span["start"]), int(span["end"])
        if start < position:
            return [Segment(text)]
        pieces.append(Segment(source[position:start]))
        kind = Kind(span["kind"])
        replacement = str(span["replacement"])
        pieces.append(Segment(replacement, kind.value, str(KIND_LABELS[kind]), str(span["original"])))
        position = end
    pieces.append(Segment(source[position:]))
    if "".join(p.text for p in pieces) != text:
        return [Segment(text)]  # a further pass changed more: show the text as it is
    return [p for p in pieces if p.text]


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """Drafts to publish (7 or 20 working days) and published decisions to withdraw (3 working days).

    Shown to the disclosers of the agency (国办发〔2018〕118号; 行政处罚法 Art.48, 85; 安全生产法 Art.78).
    """
    ids = due.matter_ids(matters, "publication")
    drafts = Publication.objects.filter(status=PublicationStatus.DRAFT).exclude(due_on=None)
    revoked = Publication.objects.filter(status=PublicationStatus.PUBLISHED).exclude(withdrawal_due_on=None)
    if ids is not None:
        if not ids:
            return []
        drafts = drafts.filter(pk__in=ids)
        revoked = revoked.filter(pk__in=ids)
    items: list[DueItem] = []
    for publication in drafts.only("pk", "agency_id", "kind", "title", "due_on", "report_year"):
        if publication.due_on is None:
            continue
        if publication.report_year is not None:
            title = gettext_noop("公开上年度行政执法数据（年度报告）")
            basis = gettext_noop("国办发〔2018〕118号（每年1月31日前）")
        elif publication.kind in SEVEN_DAY_KINDS:
            title = gettext_noop("公示执法决定信息")
            basis = gettext_noop("行政处罚法第四十八条、安全生产法第七十八条（7个工作日）")
        else:
            title = gettext_noop("公示执法决定信息")
            basis = gettext_noop("国办发〔2018〕118号（20个工作日）")
        items.append(
            DueItem(
                key=f"publication:{publication.pk}:publish",
                title=title,
                subject=publication.title,
                due=publication.due_on,
                url=reverse("publications:review", args=[publication.pk]),
                basis=basis,
                agency_id=publication.agency_id,
                roles=(Role.DISCLOSER,),
            )
        )
    for publication in revoked.only("pk", "agency_id", "title", "withdrawal_due_on"):
        if publication.withdrawal_due_on is None:
            continue
        items.append(
            DueItem(
                key=f"publication:{publication.pk}:withdraw",
                title=gettext_noop("撤回已变更或撤销的决定的公示"),
                subject=publication.title,
                due=publication.withdrawal_due_on,
                url=reverse("publications:review", args=[publication.pk]),
                basis=gettext_noop("行政处罚法第四十八条、第八十五条（3个工作日）"),
                agency_id=publication.agency_id,
                roles=(Role.DISCLOSER,),
            )
        )
    return items


@dataclass(frozen=True)
class Timeliness:
    """One agency's (or every agency's) publication record for a year: for the transparency page."""

    published: int
    published_on_time: int
    corrections: int
    withdrawn: int
    withdrawn_on_time: int
    overdue_drafts: int

    @property
    def on_time_rate(self) -> float | None:
        return self.published_on_time / self.published if self.published else None

    @property
    def withdrawal_on_time_rate(self) -> float | None:
        return self.withdrawn_on_time / self.withdrawn if self.withdrawn else None


def timeliness(*, year: int, agency_id: int | None = None) -> Timeliness:
    """Counts of the decisions of ``year``: published (on time: by ``due_on``), corrected, withdrawn.

    A publication is on time when its first version went out on or before its due day (7 or 20 working
    days); a withdrawal when it came within the 3 working days (行政处罚法 Art.48).
    """
    from django.db.models import Count, Q

    from sanxiang.disclosure.models import Withdrawal

    base = Publication.objects.filter(decided_on__year=year)
    if agency_id is not None:
        base = base.filter(agency_id=agency_id)
    ever_published = base.exclude(published_at=None)
    counts = ever_published.aggregate(
        published=Count("pk"),
        on_time=Count("pk", filter=Q(due_on__isnull=True) | Q(published_at__date__lte=F("due_on"))),
    )
    withdrawals = Withdrawal.objects.filter(publication__in=base)
    return Timeliness(
        published=counts["published"],
        published_on_time=counts["on_time"],
        corrections=PublicationVersion.objects.filter(publication__in=base, number__gt=1)
        .exclude(published_at=None)
        .count(),
        withdrawn=withdrawals.count(),
        withdrawn_on_time=withdrawals.filter(on_time=True).count(),
        overdue_drafts=base.filter(status=PublicationStatus.DRAFT, due_on__lt=timezone.localdate()).count(),
    )
