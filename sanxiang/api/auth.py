"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sanxiang.api import selectors, services


class TokenAuth(HttpBearer):
    """The request acts as the token's user, with exactly that user's scoping; revoked tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.api_token_by_raw(token.strip())
        if found is None:
            return None
        services.api_token_touch(found)
        request.user = found.user
        return found.user
