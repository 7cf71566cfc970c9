"""Sign-in events go to the audit log (who signed in, out, failed, or was locked out, and from where)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sanxiang.accounts import services


def _address(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record_sign_in(user=user, address=_address(request))


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.record_sign_out(user=user, address=_address(request))


@receiver(user_login_failed)
def _on_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    services.record_failed_sign_in(
        username=str(credentials.get("username", "")), address=_address(request), locked_out=False
    )


@receiver(user_locked_out)
def _on_lockout(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    services.record_failed_sign_in(username=username or "", address=ip_address, locked_out=True)
