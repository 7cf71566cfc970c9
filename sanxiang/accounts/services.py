"""Writes to staff accounts. Each records its audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.accounts.models import Role, User, UserRole
from sanxiang.agencies.models import Agency


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError(_("未知角色：%(roles)s") % {"roles": "、".join(unknown)})
    return roles


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    agency: Agency,
    display_name: str,
    roles: Iterable[str],
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a staff account in ``agency`` with ``roles``; the password must pass the password rules."""
    role_list = _check_roles(roles)
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(username)s”已被使用。") % {"username": username})
    user = User(
        username=username,
        agency=agency,
        display_name=display_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in role_list])
    audit.record(
        audit.EventType.USER_CREATED,
        actor=actor,
        subject=user,
        agency=agency,
        data={"username": username, "roles": role_list},
    )
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    """Replace the roles of ``user``."""
    role_list = _check_roles(roles)
    before = sorted(user.roles.values_list("role", flat=True))
    if before == role_list:
        return user
    user.roles.exclude(role__in=role_list).delete()
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=r) for r in role_list if r not in before], ignore_conflicts=True
    )
    user.forget_roles()
    audit.record(
        audit.EventType.USER_ROLES_CHANGED,
        actor=actor,
        subject=user,
        agency=user.agency_id,
        data={"from": before, "to": role_list},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User, reason: str) -> User:
    """Disable sign-in for ``user``; the account and its history stay."""
    if not reason.strip():
        raise ValidationError(_("停用账户须说明理由。"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        audit.EventType.USER_DEACTIVATED,
        actor=actor,
        subject=user,
        agency=user.agency_id,
        data={"reason": reason},
    )
    return user


def record_sign_in(*, user: User, address: str | None) -> None:
    audit.record(
        audit.EventType.USER_LOGGED_IN,
        actor=user,
        subject=user,
        agency=user.agency_id,
        data={"ip": address or ""},
    )


def record_sign_out(*, user: User, address: str | None) -> None:
    audit.record(
        audit.EventType.USER_LOGGED_OUT,
        actor=user,
        subject=user,
        agency=user.agency_id,
        data={"ip": address or ""},
    )


def record_failed_sign_in(*, username: str, address: str | None, locked_out: bool) -> None:
    user = User.objects.filter(username=username).first()
    data: dict[str, Any] = {"username": username[:150], "ip": address or ""}
    event = audit.EventType.USER_LOCKED_OUT if locked_out else audit.EventType.USER_LOGIN_FAILED
    audit.record(event, actor=None, subject=user, agency=user.agency_id if user else None, data=data)
