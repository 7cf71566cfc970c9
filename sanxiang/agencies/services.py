"""Writes to agencies, sections and officers. One transaction each, with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.agencies import permissions
from sanxiang.agencies.models import (
    Agency,
    BenchmarkItem,
    BenchmarkLevel,
    CertificateStatus,
    CircumstanceLevel,
    DiscretionBenchmark,
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


# ----------------------------------------------------------------------------------------------------
# 行政处罚裁量基准: drafted, then published once; a change is a new version (never an edit in place)


def _require_benchmarks(actor: Any, agency: Agency) -> None:
    if not permissions.can_manage_benchmarks(actor, agency):
        raise PermissionDenied(_("只有本机关的管理员、负责人或法制审核人员可以维护裁量基准。"))


def _check_level(row: dict[str, Any]) -> None:
    if row.get("level") not in CircumstanceLevel.values:
        raise ValidationError(_("情节须为轻微、一般、较重或严重。"))
    if not str(row.get("circumstance") or "").strip() or not str(row.get("penalty") or "").strip():
        raise ValidationError(_("每个情节须填写适用情形和处罚标准。"))
    low, high = row.get("fine_min_yuan"), row.get("fine_max_yuan")
    if low is not None and high is not None and int(low) > int(high):
        raise ValidationError(_("罚款下限不能高于上限。"))


@transaction.atomic
def benchmark_draft(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    document_number: str,
    effective_on: datetime.date,
    note: str = "",
    items: Iterable[dict[str, Any]] = (),
) -> DiscretionBenchmark:
    """A new version of the agency's 裁量基准 as a draft, with its violations and their 情节 levels.

    ``items``: {violation, violated_provision, penalty_provision, leniency_note?, levels: [{level,
    circumstance, penalty, fine_min_yuan?, fine_max_yuan?}]}. Bad input changes nothing.
    """
    _require_benchmarks(actor, agency)
    title, document_number = title.strip(), document_number.strip()
    if not title or not document_number:
        raise ValidationError(_("请填写裁量基准的名称和印发文号。"))
    Agency.objects.select_for_update().get(pk=agency.pk)  # version numbers are taken one at a time
    last = DiscretionBenchmark.objects.filter(agency=agency).order_by("-number").first()
    benchmark = DiscretionBenchmark.objects.create(
        agency=agency,
        number=(last.number + 1) if last else 1,
        title=title,
        document_number=document_number,
        effective_on=effective_on,
        note=note.strip(),
        created_at=timezone.now(),
    )
    rows = list(items)
    for order, row in enumerate(rows, start=1):
        violation = str(row.get("violation") or "").strip()
        if not violation or not str(row.get("penalty_provision") or "").strip():
            raise ValidationError(_("每项须填写违法行为和处罚依据。"))
        item = BenchmarkItem.objects.create(
            benchmark=benchmark,
            order=int(row.get("order") or order),
            violation=violation,
            violated_provision=str(row.get("violated_provision") or "").strip(),
            penalty_provision=str(row["penalty_provision"]).strip(),
            leniency_note=str(row.get("leniency_note") or "").strip(),
        )
        levels = list(row.get("levels") or [])
        if len({lv.get("level") for lv in levels}) != len(levels):
            raise ValidationError(_("同一违法行为的每个情节只能填写一次。"))
        for level in levels:
            _check_level(level)
            BenchmarkLevel.objects.create(
                item=item,
                level=level["level"],
                circumstance=str(level["circumstance"]).strip(),
                penalty=str(level["penalty"]).strip(),
                fine_min_yuan=level.get("fine_min_yuan"),
                fine_max_yuan=level.get("fine_max_yuan"),
            )
    audit.record(
        audit.EventType.DISCRETION_BENCHMARK_DRAFTED,
        actor=actor,
        subject=benchmark,
        agency=agency,
        data={"number": benchmark.number, "document_number": document_number, "items": len(rows)},
    )
    return benchmark


@transaction.atomic
def benchmark_update(*, actor: Any, benchmark: DiscretionBenchmark, **fields: Any) -> DiscretionBenchmark:
    """Change a draft (its header fields; its rows are changed in the admin before this records it)."""
    locked = DiscretionBenchmark.objects.select_for_update().get(pk=benchmark.pk)
    _require_benchmarks(actor, locked.agency)
    if locked.is_published:
        raise ValidationError(_("已发布的裁量基准不能修改，请制定新版本。"))
    changed = _changes(
        locked, {k: v for k, v in fields.items() if k in {"title", "document_number", "effective_on", "note"}}
    )
    locked.save()
    audit.record(
        audit.EventType.DISCRETION_BENCHMARK_CHANGED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={"changed": changed},
    )
    return locked


@transaction.atomic
def benchmark_publish(*, actor: Any, benchmark: DiscretionBenchmark) -> DiscretionBenchmark:
    """Publish a draft: frozen from now on, in force from its ``effective_on``, superseding the one before.

    Refused without rows, and with an effective date before that of a version already published (the
    history must read in order).
    """
    locked = DiscretionBenchmark.objects.select_for_update().get(pk=benchmark.pk)
    _require_benchmarks(actor, locked.agency)
    if locked.is_published:
        raise ValidationError(_("该版本已发布。"))
    if not locked.items.exists():
        raise ValidationError(_("裁量基准没有任何裁量事项，不能发布。"))
    if locked.items.filter(levels__isnull=True).exists():
        raise ValidationError(_("每项违法行为须至少列明一个情节的处罚标准。"))
    later = (
        DiscretionBenchmark.objects.filter(agency_id=locked.agency_id, published_at__isnull=False)
        .filter(effective_on__gt=locked.effective_on)
        .first()
    )
    if later is not None:
        raise ValidationError(
            _("施行日期不能早于已发布的%(document)s的施行日期（%(day)s）。")
            % {"document": later.document_number, "day": later.effective_on.isoformat()}
        )
    locked.published_at = timezone.now()
    locked.published_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["published_at", "published_by"])
    audit.record(
        audit.EventType.DISCRETION_BENCHMARK_PUBLISHED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={
            "number": locked.number,
            "document_number": locked.document_number,
            "effective_on": locked.effective_on.isoformat(),
        },
    )
    return locked
