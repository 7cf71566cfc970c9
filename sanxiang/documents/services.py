"""Writes to documents: draft, edit a draft, issue, void, void and replace, store the PDF, load the catalog,
set the numbering. Signatures and deliveries are written by :mod:`~sanxiang.documents.signing` and
:mod:`~sanxiang.documents.delivery`.

Each runs in one transaction with its audit event (block 250–299). Bad input raises ``ValidationError`` in
Chinese naming the field or the missing element, and changes nothing. An issued document is never edited or
deleted; the PDF stored for it is never replaced.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.documents import clock, doctypes, fields, numbering, permissions, prefill, rules
from sanxiang.documents.models import (
    Document,
    DocumentSettings,
    DocumentStatus,
    DocumentType,
    DocumentVoid,
    SerialScope,
)

__all__ = [
    "FILING_TYPE",
    "document_catalog_load",
    "document_draft",
    "document_issue",
    "document_record_access",
    "document_settings_set",
    "document_store_pdf",
    "document_type_change",
    "document_update_draft",
    "document_void",
    "document_void_and_replace",
    "issued_number_for_case",
    "register_issue_hook",
]

logger = logging.getLogger(__name__)

# Called in the issuing transaction with (actor, issued document) by apps above this one, e.g. disclosure
# drafts the publication of a decision; registered from their AppConfig.ready().
_ISSUE_HOOKS: list[Callable[[Any, Document], object]] = []


def register_issue_hook(hook: Callable[[Any, Document], object]) -> None:
    """Have ``hook(actor, document)`` run in the transaction of every :func:`document_issue`."""
    if hook not in _ISSUE_HOOKS:
        _ISSUE_HOOKS.append(hook)


# The type whose number is the case's own number (立案编号); in per-case numbering its serial is the case's.
FILING_TYPE = "filing_approval"
ARCHIVED = "archived"


def _fail(problems: list[str] | str) -> ValidationError:
    return ValidationError(problems if isinstance(problems, list) else [problems])


def _matter_agency(case: Any, inspection: Any) -> Any:
    if (case is None) == (inspection is None):
        raise _fail(gettext("文书须属于一个案件或一次行政检查。"))
    return (case or inspection).agency


def _check_open(case: Any) -> None:
    # After 立卷归档 nothing is added to or changed in the file (old 总局令第15号 Art.65, kept as a rule).
    if case is not None and case.stage == ARCHIVED:
        raise _fail(gettext("案件已归档，不能再制作或签发文书。"))


def _content_hash(values: dict[str, Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _subject(document: Document) -> dict[str, Any]:
    return {
        "document": document.pk,
        "type": document.type.key,
        "version": document.type.version,
        "case": document.case_id,
        "inspection": document.inspection_id,
    }


# ----------------------------------------------------------------------------------------------------
# Drafts


@transaction.atomic
def document_draft(
    *,
    actor: Any,
    type_key: str,
    case: Any = None,
    inspection: Any = None,
    fields: dict[str, Any] | None = None,
    use_prefill: bool = True,
    replaces: Document | None = None,
) -> Document:
    """A new draft of ``type_key`` for a case or an inspection, prefilled from it, overlaid by ``fields``."""
    agency = _matter_agency(case, inspection)
    doc_type = doctypes.type_for(agency, type_key)
    if doc_type is None or not doc_type.active:
        raise _fail(gettext("未知或未启用的文书种类：%(key)s。") % {"key": type_key})
    permissions.require_draft(actor, doc_type, case=case, inspection=inspection)
    _check_open(case)
    raw = prefill.prefill(doc_type, agency=agency, case=case, inspection=inspection) if use_prefill else {}
    raw.update(fields or {})
    values, problems = fields_clean(doc_type, raw, agency_id=agency.pk, strict=False)
    if problems:
        raise _fail(problems)
    now = clock.now()
    document = Document.objects.create(
        agency=agency,
        case=case,
        inspection=inspection,
        type=doc_type,
        fields=values,
        drafted_by=actor,
        drafted_at=now,
        updated_at=now,
        replaces=replaces,
    )
    audit.record(
        audit.EventType.DOCUMENT_DRAFTED,
        actor=actor,
        subject=document,
        agency=agency,
        data={**_subject(document), "replaces": replaces.pk if replaces else None},
    )
    return document


def fields_clean(
    doc_type: DocumentType, raw: dict[str, Any], *, agency_id: int, strict: bool
) -> tuple[dict[str, Any], list[str]]:
    values, problems = fields.clean(doc_type.fields, raw, agency_id=agency_id, strict=strict)
    if strict:
        problems = [*rules.check(doc_type.rules, values), *problems]
    return values, problems


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("type", "agency", "case", "inspection")
        .get(pk=document.pk)
    )


@transaction.atomic
def document_update_draft(*, actor: Any, document: Document, fields: dict[str, Any]) -> Document:
    """Change the values of a draft (only a draft); the given fields replace the old ones."""
    locked = _locked(document)
    if locked.status != DocumentStatus.DRAFT:
        raise _fail(gettext("文书已签发，不能修改；如有错误，请作废后重新制作。"))
    permissions.require_draft(actor, locked.type, case=locked.case, inspection=locked.inspection)
    _check_open(locked.case)
    raw = {**locked.fields, **fields}
    values, problems = fields_clean(locked.type, raw, agency_id=locked.agency_id, strict=False)
    if problems:
        raise _fail(problems)
    changed = sorted(k for k in values if values[k] != locked.fields.get(k))
    locked.fields = values
    locked.updated_at = clock.now()
    locked.save(update_fields=["fields", "updated_at"])
    audit.record(
        audit.EventType.DOCUMENT_DRAFT_CHANGED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={**_subject(locked), "fields": changed},
    )
    document.refresh_from_db()
    return locked


# ----------------------------------------------------------------------------------------------------
# Numbers


def _serial_scope(agency_id: int) -> str:
    found = (
        DocumentSettings.objects.filter(agency_id=agency_id).values_list("serial_scope", flat=True).first()
    )
    return found or SerialScope.PER_TYPE


def _taken(agency_id: int, number: str) -> bool:
    return Document.objects.filter(agency_id=agency_id, number=number).exists()


def _record_numbers(document: Document) -> list[str]:
    """Numbers the matter's own records already carry for this act (立案编号, 决定书编号, an order's number).

    A document of the same code takes that number instead of a second one from the series.
    """
    found: list[str] = []
    case, inspection = document.case, document.inspection
    if case is not None:
        found += [case.number, case.decision_number]
        found += list(case.coercive_measures.exclude(number="").values_list("number", flat=True))
    if inspection is not None:
        found.append(inspection.number)
        found += list(inspection.orders.values_list("number", flat=True))
        found += list(inspection.orders.exclude(rechecks=None).values_list("rechecks__number", flat=True))
        found += list(inspection.hazards.exclude(measure=None).values_list("measure__number", flat=True))
    return [n for n in found if n]


def _parse(number: str) -> numbering.DocumentNumber | None:
    try:
        return numbering.parse(number)
    except numbering.NumberFormatError:
        return None


def _case_serial(case: Any) -> tuple[int, int] | None:
    """The (year, serial) of the case's 立案编号, or of its issued 立案审批表."""
    candidates = [case.number, issued_number_for_case(case, code=None, type_key=FILING_TYPE) or ""]
    for text in candidates:
        parsed = _parse(text) if text else None
        if parsed is not None and parsed.serial_int is not None:
            return parsed.year, parsed.serial_int
    return None


def _number(document: Document, day: datetime.date) -> tuple[str, int | None, int | None]:
    """Number, year and serial for ``document`` at issue (inside the issuing transaction)."""
    doc_type = document.type
    if not doc_type.numbered:
        return "", None, None
    agency = document.agency
    # 1. The act already has its number on its own record.
    for text in _record_numbers(document):
        parsed = _parse(text)
        if parsed and parsed.code == doc_type.code and not _taken(agency.pk, text):
            return text, parsed.year, parsed.serial_int
    # 2. Per-case numbering: the case's serial, then 12-2, 12-3 for further documents of the same code.
    if (
        document.case is not None
        and doc_type.key != FILING_TYPE
        and _serial_scope(agency.pk) == SerialScope.PER_CASE
    ):
        found = _case_serial(document.case)
        if found is None:
            raise _fail(gettext("本机关按案件序号编号：本案尚未取得立案编号，请先签发立案审批表。"))
        year, serial = found
        earlier = Document.objects.filter(
            case=document.case, type__code=doc_type.code, status=DocumentStatus.ISSUED
        ).count()
        # The second document of a code in one case is 12-2, the third 12-3.
        text_serial = f"{serial}-{earlier + 1}" if earlier else str(serial)
        number = numbering.format(agency=agency.short_name, code=doc_type.code, year=year, serial=text_serial)
        if _taken(agency.pk, number):
            raise _fail(gettext("文书编号%(number)s已被使用，不能签发。") % {"number": number})
        return number, year, serial
    # 3. The next serial of the agency's series for this code and year: gapless, in this transaction.
    serial = numbering.allocate(agency=agency, code=doc_type.code, year=day.year)
    number = numbering.format(agency=agency.short_name, code=doc_type.code, year=day.year, serial=serial)
    return number, day.year, serial


def issued_number_for_case(case: Any, code: str | None, *, type_key: str | None = None) -> str | None:
    """The number of the case's latest issued, not voided document of ``code`` (or of ``type_key``)."""
    rows = Document.objects.filter(case=case, status=DocumentStatus.ISSUED, void__isnull=True).exclude(
        number=""
    )
    rows = rows.filter(type__key=type_key) if type_key else rows.filter(type__code=code)
    return rows.order_by("-issued_at", "-pk").values_list("number", flat=True).first()


def case_number_source(case: Any, code: str) -> str | None:
    """Registered with the cases app: the case takes the number of its issued 文书 of ``code``."""
    return issued_number_for_case(case, code)


# ----------------------------------------------------------------------------------------------------
# Issue


@transaction.atomic
def document_issue(*, actor: Any, document: Document) -> Document:
    """Issue a draft: check every field and the type's rules, allocate the number, freeze the values.

    The references (officers, party) are copied again from their rows, so the issued values are those of the
    day of issue. The PDF is rendered and stored after the commit (:func:`document_store_pdf`).
    """
    locked = _locked(document)
    if locked.status != DocumentStatus.DRAFT:
        raise _fail(gettext("文书已签发。"))
    doc_type = locked.type
    if not doc_type.active:
        raise _fail(gettext("文书种类“%(title)s”已停用，不能签发。") % {"title": doc_type.title})
    permissions.require_draft(actor, doc_type, case=locked.case, inspection=locked.inspection)
    _check_open(locked.case)
    values, problems = fields_clean(doc_type, locked.fields, agency_id=locked.agency_id, strict=True)
    if problems:
        raise _fail(problems)
    now = clock.now()
    try:
        with transaction.atomic():
            number, year, serial = _number(locked, timezone.localdate(now))
            locked.number, locked.year, locked.serial = number, year, serial
            locked.fields = values
            locked.status = DocumentStatus.ISSUED
            locked.issued_by = actor
            locked.issued_at = now
            locked.updated_at = now
            locked.save()
    except IntegrityError as exc:
        # Another document of the agency holds this number (e.g. numbering switched to per-case mid-year).
        raise _fail(gettext("文书编号已被使用，不能签发。")) from exc
    audit.record(
        audit.EventType.DOCUMENT_ISSUED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={**_subject(locked), "number": number, "fields_sha256": _content_hash(values)},
    )
    for hook in _ISSUE_HOOKS:
        hook(actor, locked)
    pk = locked.pk
    transaction.on_commit(lambda: _render_quietly(pk))
    document.refresh_from_db()
    return locked


def _render_quietly(pk: int) -> None:
    try:
        document_store_pdf(document=Document.objects.get(pk=pk))
    except Exception:
        # The issue stands; the PDF is rendered again by `render_documents` (or the next page view).
        logger.exception("rendering document %s failed", pk)


def document_store_pdf(*, document: Document, actor: Any = None) -> bool:
    """Render the issued document's PDF and store it, content-addressed, once. Returns whether it stored one.

    Rendering is slow, so it runs before the row is locked; the row is then locked and an already stored PDF
    wins: a stored PDF is the evidence of what was issued and is never replaced.
    """
    from sanxiang.documents import rendering

    if document.status != DocumentStatus.ISSUED or document.pdf_sha256:
        return False
    data = rendering.render_pdf(document)
    digest = hashlib.sha256(data).hexdigest()
    name = f"documents/pdf/{digest[:2]}/{digest}.pdf"
    with transaction.atomic():
        locked = _locked(document)
        if locked.pdf_sha256:
            return False
        if not default_storage.exists(name):
            stored = default_storage.save(name, ContentFile(data))
            if stored != name:  # a storage that renamed it would break the content address
                raise RuntimeError(f"storage renamed {name} to {stored}")
        locked.pdf.name = name
        locked.pdf_sha256 = digest
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "rendered_at"])
        audit.record(
            audit.EventType.DOCUMENT_RENDERED,
            actor=actor,
            subject=locked,
            agency=locked.agency_id,
            data={
                **_subject(locked),
                "number": locked.number,
                "algorithm": "sha256",
                "sha256": digest,
                "bytes": len(data),
            },
        )
    document.refresh_from_db()
    return True


# ----------------------------------------------------------------------------------------------------
# Void


@transaction.atomic
def document_void(*, actor: Any, document: Document, reason: str) -> DocumentVoid:
    """Void an issued document: a new record; the document keeps its number and its stored PDF."""
    locked = _locked(document)
    reason = (reason or "").strip()
    if locked.status != DocumentStatus.ISSUED:
        raise _fail(gettext("只有已签发的文书可以作废；草稿可直接修改。"))
    if DocumentVoid.objects.filter(document=locked).exists():
        raise _fail(gettext("该文书已作废。"))
    if not reason:
        raise _fail(gettext("请填写作废理由。"))
    permissions.require_void(actor, locked)
    _check_open(locked.case)
    void = DocumentVoid.objects.create(document=locked, reason=reason, by=actor, at=clock.now())
    audit.record(
        audit.EventType.DOCUMENT_VOIDED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={**_subject(locked), "number": locked.number},
    )
    return void


@transaction.atomic
def document_void_and_replace(
    *, actor: Any, document: Document, reason: str, fields: dict[str, Any] | None = None
) -> Document:
    """Void ``document`` and start its replacement: a draft of the same type and values, ``replaces`` set."""
    document_void(actor=actor, document=document, reason=reason)
    old = Document.objects.select_related("type").get(pk=document.pk)
    values = {k: v for k, v in old.fields.items() if v not in (None, "", [])}
    values.update(fields or {})
    return document_draft(
        actor=actor,
        type_key=old.type.key,
        case=old.case,
        inspection=old.inspection,
        fields=values,
        use_prefill=False,
        replaces=old,
    )


# ----------------------------------------------------------------------------------------------------
# Reads of protected material


def document_record_access(*, actor: Any, document: Document) -> bool:
    """Log a read of a document from outside its agency (调阅): as a read of its case, or of the document.

    Returns whether an event was written. Staff of the agency read their documents without an event, as
    they read their cases (:func:`sanxiang.cases.services.case_record_access`).
    """
    if document.case is not None:
        from sanxiang.cases.services import case_record_access

        return case_record_access(case=document.case, actor=actor, purpose=f"document:{document.pk}")
    if getattr(actor, "agency_id", None) == document.agency_id:
        return False
    with transaction.atomic():
        audit.record(
            audit.EventType.DOCUMENT_ACCESSED,
            actor=actor,
            subject=document,
            agency=document.agency_id,
            data={**_subject(document), "number": document.number},
        )
    return True


# ----------------------------------------------------------------------------------------------------
# The catalog and the settings


@transaction.atomic
def document_catalog_load(*, actor: Any, data: dict[str, Any], agency: Any = None) -> doctypes.SyncResult:
    """Load a catalog (national when ``agency`` is None, else the agency's own types); safe to run twice.

    A type that issued documents use is versioned, never changed under them.
    """
    doctypes.check_catalog(data)
    result = doctypes.sync_types(
        DocumentType,
        data,
        agency_id=getattr(agency, "pk", None),
        used=lambda row: row.documents.filter(status=DocumentStatus.ISSUED).exists(),
    )
    audit.record(
        audit.EventType.DOCUMENT_CATALOG_LOADED,
        actor=actor,
        agency=agency,
        data={
            "catalog": str(data.get("catalog", "")),
            "agency": getattr(agency, "pk", None),
            **result.as_dict(),
        },
    )
    return result


@transaction.atomic
def document_type_change(*, actor: Any, doc_type: DocumentType, values: dict[str, Any]) -> DocumentType:
    """Change a type from the admin: in place if no issued document uses it, else as a new version."""
    current = DocumentType.objects.select_for_update().get(pk=doc_type.pk)
    if not current.current:
        raise _fail(gettext("只能修改现行版本的文书种类。"))
    entry = {
        "key": current.key,
        "title": current.title,
        "code": current.code,
        "numbered": current.numbered,
        "code_source": current.code_source,
        "fields": current.fields,
        "stages": current.stages,
        "signers": current.signers,
        "rules": current.rules,
        "party_receives": current.party_receives,
        "template": current.template_name,
        "order": current.order,
        "note": current.note,
        "active": current.active,
    }
    for key, value in values.items():
        entry["template" if key == "template_name" else key] = value
    data = {"types": [entry]}
    try:
        doctypes.check_catalog(data)
    except doctypes.CatalogError as exc:
        raise _fail(exc.problems) from exc
    result = doctypes.sync_types(
        DocumentType,
        data,
        agency_id=current.agency_id,
        used=lambda row: row.documents.filter(status=DocumentStatus.ISSUED).exists(),
    )
    row = DocumentType.objects.filter(key=current.key, current=True).get(
        agency__isnull=current.agency_id is None,
        **({"agency_id": current.agency_id} if current.agency_id else {}),
    )
    audit.record(
        audit.EventType.DOCUMENT_TYPE_CHANGED,
        actor=actor,
        subject=row,
        agency=current.agency_id,
        data={"key": row.key, "version": row.version, "fields": sorted(values), **result.as_dict()},
    )
    return row


@transaction.atomic
def document_settings_set(*, actor: Any, agency: Any, serial_scope: str) -> DocumentSettings:
    if serial_scope not in SerialScope.values:
        raise _fail(gettext("序号范围无效。"))
    settings, _created = DocumentSettings.objects.select_for_update().get_or_create(agency=agency)
    previous = settings.serial_scope if not _created else None
    settings.serial_scope = serial_scope
    settings.save(update_fields=["serial_scope"])
    audit.record(
        audit.EventType.DOCUMENT_SETTINGS_CHANGED,
        actor=actor,
        subject=settings,
        agency=agency,
        data={"serial_scope": serial_scope, "previous": previous},
    )
    return settings
