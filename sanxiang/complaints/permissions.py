"""Who may see and handle complaints: the receiving agency's section heads, leaders and admins handle them;
its supervisors (执法监督) read them."""

from __future__ import annotations

from typing import Any

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids

HANDLER_ROLES = (Role.SECTION_HEAD, Role.LEADER, Role.ADMIN)


def can_handle(user: Any, complaint: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id == complaint.agency_id
        and any(user.has_role(r) for r in HANDLER_ROLES)
    )


def can_see_queue(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (any(user.has_role(r) for r in HANDLER_ROLES) or user.has_role(Role.SUPERVISOR))
    )


def agency_ids_for(user: Any) -> set[int]:
    """The agencies whose complaints ``user`` sees: a handler its own, a supervisor those below it too."""
    if not can_see_queue(user):
        return set()
    if user.has_role(Role.SUPERVISOR):
        return visible_agency_ids(user)
    return {user.agency_id}
