"""Writes of parties. Each runs in one transaction and records its audit event in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency
from sanxiang.core.identifiers import normalise_credit_code, normalise_resident_id
from sanxiang.core.personal import personal_fields
from sanxiang.parties import permissions
from sanxiang.parties.models import Party, PartyKind

_NORMALISE = {"resident_id": normalise_resident_id, "credit_code": normalise_credit_code}
EDITABLE_FIELDS = ("kind", "name", "resident_id", "credit_code", "legal_representative", "address", "phone")


@transaction.atomic
def party_create(
    *,
    actor: User,
    agency: Agency,
    kind: PartyKind | str,
    name: str,
    resident_id: str = "",
    credit_code: str = "",
    legal_representative: str = "",
    address: str = "",
    phone: str = "",
) -> Party:
    """Register a party in ``agency``; if invalid, raise ``ValidationError`` in Chinese and save nothing."""
    if not permissions.can_create_party(actor, agency):
        raise PermissionDenied(_("您无权在该机关登记当事人。"))
    now = timezone.now()
    party = Party(
        agency=agency,
        kind=kind,
        name=name,
        resident_id=normalise_resident_id(resident_id),
        credit_code=normalise_credit_code(credit_code),
        legal_representative=legal_representative,
        address=address.strip(),
        phone=phone.strip(),
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    party.full_clean()
    party._history_user = actor  # type: ignore[attr-defined]
    party.save(force_insert=True)
    # Field names only: the audit log is kept for decades and must not copy personal values.
    filled = [field for field in EDITABLE_FIELDS if getattr(party, field)]
    data = {"kind": party.kind, "changed": filled}
    audit.record(audit.EventType.PARTY_CREATED, actor=actor, subject=party, data=data)
    return party


@transaction.atomic
def party_update(*, actor: User, party: Party, **fields: str) -> Party:
    """Change some fields of a party, recording which changed (never the values); a no-op records nothing."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"party_update() got unexpected fields: {sorted(unknown)}")
    # The lock keeps two concurrent edits from each recording a change list computed on stale values.
    party = Party.objects.select_for_update().get(pk=party.pk)
    if not permissions.can_edit_party(actor, party):
        raise PermissionDenied(_("您无权修改该当事人信息。"))
    before = {field: getattr(party, field) for field in EDITABLE_FIELDS}
    for field, value in fields.items():
        setattr(party, field, _NORMALISE.get(field, str.strip)(value))
    party.full_clean()
    changed = [field for field in EDITABLE_FIELDS if getattr(party, field) != before[field]]
    if not changed:
        return party
    party.updated_at = timezone.now()
    party._history_user = actor  # type: ignore[attr-defined]
    party.save(update_fields=[*changed, "updated_at"])
    data = {"kind": party.kind, "changed": changed}
    audit.record(audit.EventType.PARTY_CHANGED, actor=actor, subject=party, data=data)
    return party


@transaction.atomic
def party_personal_data_view(*, actor: User, party: Party) -> list[str]:
    """Record that ``actor`` displayed the party's unmasked personal fields (调阅); returns their names."""
    if not permissions.can_view_party(actor, party):
        raise PermissionDenied(_("您无权查看该当事人信息。"))
    shown = [field for field in personal_fields(Party) if field != "name" and getattr(party, field)]
    data = {"fields": shown}
    audit.record(audit.EventType.PARTY_PERSONAL_DATA_VIEWED, actor=actor, subject=party, data=data)
    return shown
