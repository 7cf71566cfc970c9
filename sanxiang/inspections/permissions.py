"""Who may see and act on an inspection: plain predicates, checked by views and services alike."""

from __future__ import annotations

from typing import Any

from sanxiang.accounts.models import Role
from sanxiang.agencies.models import Officer
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.inspections.models import Inspection

PLANNER_ROLES = frozenset({Role.OFFICER, Role.SECTION_HEAD, Role.LEADER})
OVERSEER_ROLES = frozenset({Role.SECTION_HEAD, Role.LEADER})


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.role_set)


def can_view_inspection(user: Any, inspection: Inspection) -> bool:
    """Staff of the inspection's agency, and supervisors of the agencies above it."""
    return _staff(user) and inspection.agency_id in visible_agency_ids(user)


def can_plan_inspection(user: Any, agency: Any) -> bool:
    """Officers, section heads and leaders plan inspections of their own agency."""
    agency_id = getattr(agency, "pk", agency)
    if not _staff(user) or agency_id is None or user.agency_id != agency_id:
        return False
    return any(user.has_role(role) for role in PLANNER_ROLES)


def is_inspecting_officer(user: Any, inspection: Inspection) -> bool:
    if not _staff(user):
        return False
    return inspection.assignments.filter(officer__user=user).exists()


def can_act(user: Any, inspection: Inspection) -> bool:
    """Only the inspection's own officers, or a section head or leader of its agency, act on it."""
    if not _staff(user) or user.agency_id != inspection.agency_id:
        return False
    if any(user.has_role(role) for role in OVERSEER_ROLES):
        return True
    return is_inspecting_officer(user, inspection)


def officer_of(user: Any) -> Officer | None:
    """The officer record of a user, if any."""
    return Officer.objects.filter(user=user).first() if _staff(user) else None
