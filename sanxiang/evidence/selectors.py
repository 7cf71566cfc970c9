"""Reads of the evidence app."""

from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet

from sanxiang.cases.models import Case
from sanxiang.evidence.models import Blob, Evidence


def evidence_of_case(case: Case) -> QuerySet[Evidence]:
    return (
        Evidence.objects.filter(case=case)
        .select_related("blob", "ingested_by")
        .prefetch_related("collectors")
        .order_by("ingested_at", "pk")
    )


def blobs_due_for_fixity(*, checked_before: datetime.datetime | None = None) -> QuerySet[Blob]:
    """Every stored original, or those never checked or last checked before ``checked_before``."""
    blobs = Blob.objects.order_by("pk")
    if checked_before is None:
        return blobs
    return blobs.annotate(last_checked=Max("checks__checked_at")).filter(
        Q(last_checked__isnull=True) | Q(last_checked__lt=checked_before)
    )
