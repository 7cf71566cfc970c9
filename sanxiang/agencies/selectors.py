"""Reads of agencies and officers, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from sanxiang.agencies.models import Agency, CertificateStatus, Officer, PowerItem, RandomCheckItem


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
