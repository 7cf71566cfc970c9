"""Reads of agencies and officers, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sanxiang.agencies.models import (
    Agency,
    BenchmarkItem,
    CertificateStatus,
    DiscretionBenchmark,
    Officer,
    PowerItem,
    RandomCheckItem,
)


def visible_agency_ids(user: Any) -> set[int]:
    """A staff user sees their own agency; a supervisor also every agency below it; others see none."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return set()
    ids = {user.agency_id}
    if user.has_role("supervisor"):
        ids |= user.agency.descendant_ids()
    return ids


def agency_list_for(user: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=visible_agency_ids(user)).select_related("parent")


def agency_get_for(user: Any, pk: int) -> Agency:
    return agency_list_for(user).get(pk=pk)


def officer_list_for(user: Any, *, agency: Agency | None = None) -> QuerySet[Officer]:
    officers = Officer.objects.filter(agency_id__in=visible_agency_ids(user))
    if agency is not None:
        officers = officers.filter(agency=agency)
    return officers.select_related("agency", "section", "user").prefetch_related("categories")


def officer_get_for(user: Any, pk: int) -> Officer:
    return officer_list_for(user).get(pk=pk)


def certificate_warnings(officers: QuerySet[Officer], *, today: datetime.date) -> list[Officer]:
    """Officers whose certificate needs attention: expiring within 30 days, expired, suspended or revoked."""
    return [o for o in officers if o.certificate_state(today) not in {"valid", "not_yet_valid"}]


def officer_by_credential_token(token: str) -> Officer:
    return (
        Officer.objects.select_related("agency", "section")
        .prefetch_related("categories")
        .get(credential_token=token)
    )


def public_officers(agency: Agency) -> QuerySet[Officer]:
    """Officers shown on the portal: name, certificate number and categories only (事前公开)."""
    return (
        Officer.objects.filter(agency=agency)
        .exclude(status=CertificateStatus.REVOKED)
        .prefetch_related("categories")
        .only("name", "certificate_number", "valid_to", "status", "credential_token", "agency_id")
    )


def power_items(agency: Agency) -> QuerySet[PowerItem]:
    return PowerItem.objects.filter(agency=agency, is_active=True).select_related("section")


def random_check_items(agency: Agency) -> QuerySet[RandomCheckItem]:
    return RandomCheckItem.objects.filter(agency=agency, is_active=True)


def published_benchmarks(agency: Agency) -> QuerySet[DiscretionBenchmark]:
    """The agency's published 裁量基准 versions, the latest in force first (drafts are never public)."""
    return DiscretionBenchmark.objects.filter(agency=agency, published_at__isnull=False).order_by(
        "-effective_on", "-number"
    )


def benchmark_in_force(agency: Agency, on: datetime.date | None = None) -> DiscretionBenchmark | None:
    """The version in force on ``on`` (today): the latest published one whose effective date has come."""
    day = on or timezone.localdate()
    return published_benchmarks(agency).filter(effective_on__lte=day).first()


def benchmark_items(benchmark: DiscretionBenchmark) -> list[BenchmarkItem]:
    """The rows of a version in order, their levels prefetched (``levels_in_order`` sorts them)."""
    return list(benchmark.items.prefetch_related("levels"))
