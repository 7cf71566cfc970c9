"""Who may do what with notifications: plain predicates."""

from __future__ import annotations

from typing import Any

from sanxiang.worklist.models import Notification


def can_mark_read(user: Any, notification: Notification) -> bool:
    """A notification is its user's own: only they read it or mark it read."""
    return bool(getattr(user, "is_authenticated", False)) and notification.user_id == user.pk
