"""Who may manage API tokens: plain predicates."""

from __future__ import annotations

from typing import Any

from sanxiang.api.models import ApiToken


def can_create_token(user: Any) -> bool:
    """A signed-in, active staff user of an agency; the token acts as that user and sees what they see."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.agency_id is not None)


def can_revoke_token(user: Any, token: ApiToken) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and token.user_id == user.pk
