"""Who may review, publish and withdraw publications: plain predicates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sanxiang.agencies.selectors import visible_agency_ids

DISCLOSING_ROLES = ("discloser",)


def can_view_publications(user: Any, agency_id: int) -> bool:
    """The agency's staff, and the supervisors above it (who see the agencies below them)."""
    return bool(getattr(user, "is_authenticated", False) and agency_id in visible_agency_ids(user))


def can_disclose(user: Any, publication: Any) -> bool:
    """The 公示审核员 of the publication's own agency (DESIGN.md: the discloser reviews and publishes)."""
    return can_disclose_for(user, publication.agency_id)


def can_disclose_for(user: Any, agency_id: int) -> bool:
    """The 公示审核员 of the agency: may write a publication of the agency's own."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id == agency_id
        and any(user.has_role(role) for role in DISCLOSING_ROLES)
    )


def require_disclose(user: Any, publication: Any) -> None:
    if not can_disclose(user, publication):
        raise PermissionDenied(gettext("只有本机关的公示审核员可以办理公示。"))
