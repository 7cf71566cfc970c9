"""Reads of parties, always scoped to the agencies the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core.identifiers import normalise_credit_code, normalise_resident_id
from sanxiang.parties.models import Party


def party_list_for(user: Any) -> QuerySet[Party]:
    """Parties of the user's agency (and, for a supervisor, of the agencies below); none without a role."""
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return Party.objects.none()
    return Party.objects.filter(agency_id__in=visible_agency_ids(user)).select_related("agency")


def party_get_for(user: Any, pk: int) -> Party:
    """One visible party; raises ``Party.DoesNotExist`` for a party the user may not see."""
    return party_list_for(user).get(pk=pk)


def party_search_for(user: Any, query: str) -> QuerySet[Party]:
    """Visible parties matching ``query``: part of the name or legal representative, the start of a credit
    code, or a whole 公民身份号码 (a partial ID number finds nothing, so the list cannot be used to guess
    one)."""
    parties = party_list_for(user)
    query = query.strip()
    if not query:
        return parties
    code = normalise_credit_code(query)
    match = Q(name__icontains=query) | Q(legal_representative__icontains=query)
    if len(code) >= 4:
        match |= Q(credit_code__startswith=code)
    if len(normalise_resident_id(query)) == 18:
        match |= Q(resident_id=normalise_resident_id(query))
    return parties.filter(match)
