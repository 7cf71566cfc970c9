"""Reads of the evidence app."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from sanxiang.cases.models import Case
from sanxiang.evidence.models import (
    AVRecord,
    Blob,
    Derivative,
    DerivativeKind,
    Evidence,
    Kind,
    MediaStatus,
)


def evidence_of_case(case: Case) -> QuerySet[Evidence]:
    """The case's items with blob, AV record and metadata status; ``has_thumbnail`` says if one exists."""
    thumbnails = Derivative.objects.filter(evidence=OuterRef("pk"), kind=DerivativeKind.THUMBNAIL)
    return (
        Evidence.objects.filter(case=case)
        .select_related("blob", "ingested_by", "av_record", "media")
        .prefetch_related("collectors")
        .annotate(has_thumbnail=Exists(thumbnails))
        .order_by("ingested_at", "pk")
    )


def evidence_item(pk: int) -> Evidence | None:
    """One item with what its page shows, or None."""
    thumbnails = Derivative.objects.filter(evidence=OuterRef("pk"), kind=DerivativeKind.THUMBNAIL)
    return (
        Evidence.objects.filter(pk=pk)
        .select_related("blob", "case", "case__agency", "inspection", "ingested_by", "media", "corrects")
        .prefetch_related("collectors")
        .annotate(has_thumbnail=Exists(thumbnails))
        .first()
    )


def media_to_extract(*, failed: bool = False) -> QuerySet[Evidence]:
    """Photo, video and audio items without technical metadata (ingested before it was read), and with
    ``failed`` also those whose reading failed."""
    missing = Q(media__isnull=True)
    if failed:
        missing |= Q(media__status=MediaStatus.FAILED)
    return Evidence.objects.filter(missing, kind__in=[Kind.PHOTO, Kind.VIDEO, Kind.AUDIO]).order_by("pk")


def thumbnail_of(evidence: Evidence) -> Derivative | None:
    return Derivative.objects.filter(evidence=evidence, kind=DerivativeKind.THUMBNAIL).first()


def blobs_due_for_fixity(*, checked_before: datetime.datetime | None = None) -> QuerySet[Blob]:
    """Every stored original, or those never checked or last checked before ``checked_before``."""
    blobs = Blob.objects.order_by("pk")
    if checked_before is None:
        return blobs
    return blobs.annotate(last_checked=Max("checks__checked_at")).filter(
        Q(last_checked__isnull=True) | Q(last_checked__lt=checked_before)
    )


def av_records_covering(
    case: Case, act: str, at: datetime.datetime, *, measure: Any = None
) -> QuerySet[AVRecord]:
    """The AV records of ``act`` in ``case`` whose capture ran at ``at`` (start ≤ at ≤ end).

    With ``measure`` (a ``coercion.CoerciveMeasure``), only the records tied to that measure.
    """
    records = AVRecord.objects.filter(case=case, act=act, started_at__lte=at, ended_at__gte=at)
    if measure is not None:
        records = records.filter(coercive_measure=measure)
    return records.select_related("evidence").order_by("started_at", "pk")


def av_record_of(evidence: Evidence) -> AVRecord | None:
    """The AV record describing ``evidence``, or None."""
    return (
        AVRecord.objects.filter(evidence=evidence)
        .select_related("coercive_measure", "described_by")
        .prefetch_related("collectors", "documents", "interruptions")
        .first()
    )
