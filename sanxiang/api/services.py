"""Writes of API tokens: created and revoked by their user, each with its audit event."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User
from sanxiang.api import permissions
from sanxiang.api.models import ApiToken

TOKEN_PREFIX = "sx_"  # noqa: S105 (a marker that makes a leaked token recognisable, not a secret)
TOUCH_INTERVAL = datetime.timedelta(minutes=5)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for the actor; returns the row and the token, which is neither stored nor shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("请填写令牌名称。")})
    if len(name) > 100:
        raise ValidationError({"name": gettext("令牌名称不能超过 100 个字符。")})
    if not permissions.can_create_token(actor):
        raise ValidationError(gettext("只有所属执法机关的在职人员才能创建接口令牌。"))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, key_hash=token_hash(raw), prefix=raw[:10], created_at=timezone.now()
    )
    audit.record(
        audit.EventType.API_TOKEN_CREATED,
        actor=actor,
        subject=token,
        agency=actor.agency_id,
        data={"token": token.pk, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once; a revoked token stays as a row and is never valid again."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not permissions.can_revoke_token(actor, token):
        raise ValidationError(gettext("只能吊销本人的接口令牌。"))
    if token.revoked_at is not None:
        raise ValidationError(gettext("该令牌已吊销。"))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        audit.EventType.API_TOKEN_REVOKED,
        actor=actor,
        subject=token,
        agency=actor.agency_id,
        data={"token": token.pk, "prefix": token.prefix},
    )
    return token


def api_token_touch(token: ApiToken) -> None:
    """Note when a token was last used, at most every five minutes.

    Bookkeeping, not a legal record and not audited: one event per API call would bury the log. The update
    is conditional, so concurrent requests write at most once.
    """
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
        token.last_used_at = now
