"""Who may read the audit log."""

from __future__ import annotations

from typing import Any

LOG_READER_ROLES = ("admin", "archivist", "supervisor")


def can_view_audit_log(user: Any) -> bool:
    """System administrators, archivists and supervisors read the log of the agencies they see."""
    return bool(getattr(user, "is_authenticated", False)) and any(
        user.has_role(role) for role in LOG_READER_ROLES
    )
