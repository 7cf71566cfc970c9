"""Who may see and change what in agencies: plain predicates."""

from __future__ import annotations

from typing import Any

from sanxiang.agencies.models import Agency
from sanxiang.agencies.selectors import visible_agency_ids


def can_view_agency(user: Any, agency: Agency) -> bool:
    return agency.pk in visible_agency_ids(user)


def can_manage_officers(user: Any, agency: Agency) -> bool:
    """The agency's own admin or leader maintains its officers and certificates."""
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id == agency.pk
        and (user.has_role("admin") or user.has_role("leader"))
    )


def can_manage_benchmarks(user: Any, agency: Agency) -> bool:
    """The agency's admin, leader or legal reviewer (the 法制审核机构 drafts the 裁量基准) keeps them."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id == agency.pk
        and any(user.has_role(role) for role in ("admin", "leader", "legal_reviewer"))
    )
