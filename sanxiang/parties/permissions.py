"""Who may see and change a party: plain predicates, checked by views and services alike."""

from __future__ import annotations

from typing import Any

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.parties.models import Party

EDITOR_ROLES = frozenset({Role.OFFICER, Role.SECTION_HEAD, Role.LEADER, Role.ADMIN})


def _is_editor_of(user: Any, agency_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.agency_id != agency_id:
        return False
    return any(user.has_role(role) for role in EDITOR_ROLES)


def can_view_party(user: Any, party: Party) -> bool:
    """Any staff member with a role in the party's agency (reviewers and archivists read case parties), and
    supervisors of the agencies above it."""
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return False
    return party.agency_id in visible_agency_ids(user)


def can_create_party(user: Any, agency: Any) -> bool:
    """Officers, section heads, leaders and administrators register parties in their own agency."""
    return _is_editor_of(user, getattr(agency, "pk", agency))


def can_edit_party(user: Any, party: Party) -> bool:
    """The same roles of the party's own agency; a supervisor above may look but not change."""
    return _is_editor_of(user, party.agency_id)
