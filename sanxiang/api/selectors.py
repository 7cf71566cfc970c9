"""Reads of API tokens: a user sees their own tokens only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sanxiang.api.models import ApiToken
from sanxiang.api.services import token_hash


def api_token_list_for(user: Any) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def api_token_get_for(user: Any, pk: int) -> ApiToken:
    return api_token_list_for(user).get(pk=pk)


def api_token_by_raw(raw: str) -> ApiToken | None:
    """The live token with this value: not revoked, and of an active user who still belongs to an agency."""
    if not raw:
        return None
    return (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(
            key_hash=token_hash(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            user__agency__isnull=False,
        )
        .first()
    )
