"""Writes to agencies, sections and officers. One transaction each, with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.agencies.models import (
    Agency,
    CertificateStatus,
    EnforcementCategory,
    Officer,
    Section,
    new_credential_token,
)


def _changes(obj: Any, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def agency_create(*, actor: Any, **fields: Any) -> Agency:
    """Register an enforcement body (执法主体)."""
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    audit.record(
        audit.EventType.AGENCY_CREATED,
        actor=actor,
        subject=agency,
        agency=agency,
        data={"name": agency.name, "short_name": agency.short_name},
    )
    return agency


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, **fields: Any) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    changed = _changes(agency, fields)
    if changed:
        agency.full_clean()
        agency.save()
        audit.record(
            audit.EventType.AGENCY_CHANGED,
            actor=actor,
            subject=agency,
            agency=agency,
            data={"changed": changed},
        )
    return agency


@transaction.atomic
def section_create(*, actor: Any, agency: Agency, name: str, **fields: Any) -> Section:
    section = Section(agency=agency, name=name, **fields)
    section.full_clean()
    section.save()
    audit.record(
        audit.EventType.SECTION_CREATED,
        actor=actor,
        subject=section,
        agency=agency,
        data={"name": name, "legal_review_unit": section.is_legal_review_unit},
    )
    return section


@transaction.atomic
def section_update(*, actor: Any, section: Section, **fields: Any) -> Section:
    changed = _changes(section, fields)
    if changed:
        section.full_clean()
        section.save()
        audit.record(
            audit.EventType.SECTION_CHANGED,
            actor=actor,
            subject=section,
            agency=section.agency_id,
            data={"changed": changed},
        )
    return section


def _check_validity(valid_from: datetime.date, valid_to: datetime.date) -> None:
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("有效期至不能早于有效期起。")})


@transaction.atomic
def officer_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    certificate_number: str,
    categories: Iterable[EnforcementCategory],
    valid_from: datetime.date,
    valid_to: datetime.date,
    section: Section | None = None,
    user: Any = None,
) -> Officer:
    """Register an officer and the certificate they hold (执法证)."""
    _check_validity(valid_from, valid_to)
    if section is not None and section.agency_id != agency.pk:
        raise ValidationError({"section": _("股室不属于该执法机关。")})
    if user is not None and user.agency_id != agency.pk:
        raise ValidationError({"user": _("登录账户不属于该执法机关。")})
    officer = Officer(
        agency=agency,
        section=section,
        user=user,
        name=name,
        certificate_number=certificate_number,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    officer.full_clean()
    officer.save()
    category_list = list(categories)
    if not category_list:
        raise ValidationError({"categories": _("请至少选择一个执法类别。")})
    officer.categories.set(category_list)
    audit.record(
        audit.EventType.OFFICER_CREATED,
        actor=actor,
        subject=officer,
        agency=agency,
        data={
            "certificate_number": certificate_number,
            "categories": [c.code for c in category_list],
            "valid_to": valid_to.isoformat(),
        },
    )
    return officer


@transaction.atomic
def officer_update(
    *, actor: Any, officer: Officer, categories: Iterable[EnforcementCategory] | None = None, **fields: Any
) -> Officer:
    """Change an officer's details; the status has its own door (:func:`officer_set_status`)."""
    if "status" in fields:
        raise ValidationError(_("证件状态须通过“变更证件状态”办理，并说明理由。"))
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    changed = _changes(officer, fields)
    _check_validity(officer.valid_from, officer.valid_to)
    if changed:
        officer.full_clean()
        officer.save()
    if categories is not None:
        new = sorted(c.code for c in categories)
        old = sorted(officer.categories.values_list("code", flat=True))
        if new != old:
            if not new:
                raise ValidationError({"categories": _("请至少选择一个执法类别。")})
            officer.categories.set(list(categories))
            changed.append("categories")
    if changed:
        audit.record(
            audit.EventType.OFFICER_CHANGED,
            actor=actor,
            subject=officer,
            agency=officer.agency_id,
            data={"changed": changed},
        )
    return officer


@transaction.atomic
def officer_set_status(*, actor: Any, officer: Officer, status: str, reason: str) -> Officer:
    """Suspend, revoke or restore a certificate. A revoked certificate is final."""
    if status not in CertificateStatus.values:
        raise ValidationError(_("未知的证件状态。"))
    if not reason.strip():
        raise ValidationError(_("变更证件状态须说明理由。"))
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.status == CertificateStatus.REVOKED:
        raise ValidationError(_("该执法证件已注销，不能再变更状态；如需执法请重新申领证件。"))
    if officer.status == status:
        raise ValidationError(_("证件已处于该状态。"))
    before = officer.status
    officer.status = status
    officer.status_reason = reason.strip()
    officer.save(update_fields=["status", "status_reason"])
    audit.record(
        audit.EventType.OFFICER_STATUS_CHANGED,
        actor=actor,
        subject=officer,
        agency=officer.agency_id,
        data={"from": before, "to": status, "reason": reason.strip()},
    )
    return officer


@transaction.atomic
def officer_renew_certificate(
    *,
    actor: Any,
    officer: Officer,
    valid_from: datetime.date,
    valid_to: datetime.date,
    certificate_number: str | None = None,
) -> Officer:
    """Record a renewed certificate (换证): new validity and, where it changed, the new number."""
    _check_validity(valid_from, valid_to)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.status == CertificateStatus.REVOKED:
        raise ValidationError(_("该执法证件已注销，不能换发。"))
    before = {"number": officer.certificate_number, "valid_to": officer.valid_to.isoformat()}
    officer.valid_from, officer.valid_to = valid_from, valid_to
    if certificate_number:
        officer.certificate_number = certificate_number
    officer.full_clean()
    officer.save()
    audit.record(
        audit.EventType.CERTIFICATE_RENEWED,
        actor=actor,
        subject=officer,
        agency=officer.agency_id,
        data={"from": before, "to": {"number": officer.certificate_number, "valid_to": valid_to.isoformat()}},
    )
    return officer


@transaction.atomic
def officer_rotate_credential_token(*, actor: Any, officer: Officer) -> Officer:
    """Issue a new QR token (e.g. a card was lost); the old QR code stops working."""
    officer.credential_token = new_credential_token()
    officer.save(update_fields=["credential_token"])
    audit.record(
        audit.EventType.CREDENTIAL_TOKEN_ROTATED, actor=actor, subject=officer, agency=officer.agency_id
    )
    return officer
