"""Writes of publications: draft on issue, redaction changes, publish, correct, withdraw, expire.

Each function is one transaction with the publication row locked, writes its audit event (4xx) and tells the
clock store (``due.clocks_changed``) that the publication's clocks may have changed. Bad input raises
:class:`~django.core.exceptions.ValidationError` with a Chinese message and changes nothing.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.core import due
from sanxiang.core.identifiers import age_on
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.disclosure import permissions
from sanxiang.disclosure.models import (
    DisclosureSettings,
    Publication,
    PublicationKind,
    PublicationStatus,
    PublicationVersion,
    RedactionAction,
    RedactionChange,
    RevocationGround,
    Withdrawal,
)
from sanxiang.disclosure.redaction import (
    KIND_LABELS,
    Context,
    Kind,
    NameStyle,
    Policy,
    Redaction,
    redact,
    residual,
)
from sanxiang.documents import clock

__all__ = [
    "SOURCE_TYPES",
    "RunCounts",
    "publication_correct",
    "publication_decline",
    "publication_draft_for_document",
    "publication_draft_for_text",
    "publication_due",
    "publication_ends_on",
    "publication_expire",
    "publication_publish",
    "publication_record_revocation",
    "publication_redaction_change",
    "publication_withdraw",
    "publications_run_due",
]

# Which issued documents are published, as what (国办发〔2018〕118号; 行政处罚法 Art.48; 安全生产法 Art.78).
SOURCE_TYPES: dict[str, str] = {
    "penalty_decision": PublicationKind.PENALTY,
    "on_spot_decision": PublicationKind.PENALTY,
    "no_penalty_decision": PublicationKind.NO_PENALTY,
    "seizure_decision": PublicationKind.COERCION,
    "on_site_measure_decision": PublicationKind.INSPECTION,
    "rectification_order": PublicationKind.INSPECTION,
}
SEVEN_DAY_KINDS = {PublicationKind.PENALTY, PublicationKind.PERMIT}
SHORT_PERIOD_PENALTIES = {"warning", "public_criticism", "fine"}


def _fail(message: str) -> ValidationError:
    return ValidationError(message)


def _locked(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _record(
    event_type: audit.EventType, publication: Publication, *, actor: Any = None, data: dict[str, Any]
) -> None:
    """The publication's audit event, in the caller's transaction: hashes and metadata, never the text."""
    audit.record(event_type, actor=actor, subject=publication, agency=publication.agency_id, data=data)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publication_due(kind: str, decided_on: datetime.date) -> datetime.date:
    """The last day to publish: 7 working days for penalties and permits, 20 for the rest.

    行政处罚法 Art.48, 安全生产法 Art.78 and 国办发〔2018〕118号 (7 个工作日); 118号 and 国发〔2019〕5号
    (20 个工作日). Raises ``CalendarMissing`` when the holiday table of the year is not loaded.
    """
    if kind in SEVEN_DAY_KINDS:
        return clocks.publication_due_penalty(decided_on)
    return clocks.publication_due_other(decided_on)


def _settings(agency_id: int) -> DisclosureSettings:
    found = DisclosureSettings.objects.filter(agency_id=agency_id).first()
    return found or DisclosureSettings(agency_id=agency_id)


def publication_ends_on(
    publication: Publication, penalties: Iterable[dict[str, Any]], start: datetime.date
) -> datetime.date:
    """When the publication leaves the portal, by the agency's policy (domain.md §8; SCGS 13–14 as model).

    Warnings, 通报批评 and fines up to the agency's small-fine limit (inclusive): the short period; anything
    else: the long one.
    """
    policy = _settings(publication.agency_id)
    rows = list(penalties)
    short = bool(rows) and all(
        row.get("kind") in SHORT_PERIOD_PENALTIES
        and (row.get("kind") != "fine" or int(row.get("amount_fen") or 0) <= policy.small_fine_fen)
        for row in rows
    )
    months = policy.short_period_months if short else policy.long_period_months
    # The day of the final month that corresponds to ``start``, or that month's last day; not rolled past
    # rest days: this is when the item leaves the portal, not a period someone must act within.
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(start.day, last))


# ----------------------------------------------------------------------------------------------------
# The source: text and what the redaction must know


def _party_of(document: Any) -> dict[str, Any]:
    party = (document.fields or {}).get("party") or (document.fields or {}).get("unit")
    return party if isinstance(party, dict) else {}


def source_text(document: Any) -> str:
    """The text of an issued document as printed (its Layout), without signatures and approval lines."""
    from sanxiang.documents.rendering import layout_for

    layout = layout_for(document)
    lines = [layout.agency_name, layout.title]
    if layout.number:
        lines.append(layout.number)
    lines.append("")
    for block in layout.parties:
        lines.append(f"{block.role}：{block.name}")
        lines.extend(f"{line.label}：{line.value}" for line in block.lines if line.value)
    lines.extend(f"{field.label}：{field.value}" for field in layout.fields if field.value)
    for section in layout.sections:
        lines.append("")
        lines.append(f"{section.heading}：")
        lines.extend(section.paragraphs)
    if layout.officers:
        lines.append("")
        lines.append("执法人员：" + "、".join(str(officer) for officer in layout.officers))
    if layout.seal is not None:
        lines.extend(["", layout.seal.agency_name, layout.seal.date])
    return "\n".join(lines).strip() + "\n"


def _agency_keep(agency: Any) -> list[str]:
    """What the agency publishes of itself (事前公开): name, address, telephones, officers, their numbers."""
    from sanxiang.agencies.models import Officer

    keep = [agency.name, agency.phone, agency.complaint_phone, agency.address]
    for name, number in Officer.objects.filter(agency_id=agency.pk).values_list("name", "certificate_number"):
        keep.extend((name, number))
    return [k for k in keep if k]


def source_context(document: Any) -> dict[str, list[str]]:
    """Names of persons, the punished and what stays public, from the document and its case (JSON form)."""
    from sanxiang.parties.models import PartyKind

    persons: list[str] = []
    punished: list[str] = []
    keep: list[str] = _agency_keep(document.agency)
    party = _party_of(document)
    parties: list[dict[str, Any]] = [party] if party else []
    if document.case_id is not None:
        for link in document.case.case_parties.select_related("party"):
            p = link.party
            parties.append(
                {
                    "kind": p.kind,
                    "name": p.name,
                    "legal_representative": p.legal_representative,
                    "address": p.address,
                }
            )
    for row in parties:
        name = str(row.get("name") or "").strip()
        if not name:
            continue
        if row.get("kind") == PartyKind.PERSON:
            persons.append(name)
            if document.type.key in {"penalty_decision", "on_spot_decision"}:
                punished.append(name)
        else:
            keep.append(name)
            if row.get("address"):
                keep.append(str(row["address"]))
            if row.get("legal_representative"):
                persons.append(str(row["legal_representative"]))
    for officer in (document.fields or {}).get("officers") or []:
        if isinstance(officer, dict):
            keep.extend(str(officer.get(k) or "") for k in ("name", "certificate_number"))
    for key in ("payment_bank", "payment_account", "agency_name"):
        value = (document.fields or {}).get(key)
        if value:
            keep.append(str(value))
    return {
        "persons": sorted(set(persons)),
        "punished": sorted(set(punished)),
        "keep": sorted({k for k in keep if k}),
    }


def _minor(document: Any, decided_on: datetime.date) -> bool:
    """A natural-person party under 18 on the day of the decision: the item is not published at all.

    domain.md §8 (the 浙江 rule: 被处罚人为未成年人的不予公开); 个人信息保护法 Art.28, 31.
    """
    rid = str(_party_of(document).get("resident_id") or "")
    if len(rid) != 18:
        return False
    try:
        return age_on(rid, decided_on) < 18
    except ValueError:
        return False


def _decided_on(document: Any) -> datetime.date:
    values = document.fields or {}
    for key in ("decided_on", "issued_on", "decided_at"):
        value = values.get(key)
        if value:
            try:
                return datetime.date.fromisoformat(str(value)[:10])
            except ValueError:
                continue
    return timezone.localdate(document.issued_at) if document.issued_at else clock.today()


# ----------------------------------------------------------------------------------------------------
# Redaction of a publication


def context_for(publication: Publication) -> Context:
    """The redaction context of a publication: its source's, plus every discloser's change, in order."""
    stored = publication.context or {}
    keep = list(stored.get("keep", []))
    mask: list[tuple[str, str]] = []
    for change in publication.redaction_changes.order_by("at", "pk"):
        if change.action == RedactionAction.ADD:
            mask.append((change.kind, change.phrase))
            keep = [k for k in keep if k != change.phrase]
        else:
            keep.append(change.phrase)
            mask = [m for m in mask if m[1] != change.phrase]
    return Context(
        persons=tuple(stored.get("persons", [])),
        punished=tuple(stored.get("punished", [])),
        keep=tuple(keep),
        mask=tuple(mask),
    )


def policy_for(publication: Publication) -> Policy:
    return Policy(punished_name=NameStyle(_settings(publication.agency_id).punished_name))


def redaction_of(publication: Publication, text: str) -> Redaction:
    return redact(text, context_for(publication), policy_for(publication))


def _new_version(publication: Publication, text: str, *, note: str = "") -> PublicationVersion:
    number = (publication.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    result = redaction_of(publication, text)
    return PublicationVersion.objects.create(
        publication=publication,
        number=number,
        source_text=text,
        source_sha256=_sha256(text),
        text=result.text,
        spans=[s.as_dict() for s in result.spans],
        correction_note=note,
    )


def _redo_draft(publication: Publication) -> PublicationVersion | None:
    draft = publication.versions.filter(published_at=None).order_by("-number").first()
    if draft is None:
        return None
    result = redaction_of(publication, draft.source_text)
    draft.text = result.text
    draft.spans = [s.as_dict() for s in result.spans]
    draft.save(update_fields=["text", "spans"])
    return draft


# ----------------------------------------------------------------------------------------------------
# Services


def publication_draft_for_document(actor: Any, document: Any) -> Publication | None:
    """On issue of a decision (``documents.services.register_issue_hook``): draft its publication and clock.

    A document that replaces a voided one whose publication exists gives that publication a new version
    (a correction) instead. A minor party means the item is not published at all (domain.md §8).
    """
    kind = SOURCE_TYPES.get(document.type.key)
    if kind is None:
        return None
    text = source_text(document)
    decided_on = _decided_on(document)
    previous = None
    if document.replaces_id is not None:
        previous = Publication.objects.filter(source_document_id=document.replaces_id).first()
    if previous is not None:
        return _correction_draft(previous, document, text, actor=actor)
    party = _party_of(document)
    try:
        due_on: datetime.date | None = publication_due(kind, decided_on)
    except CalendarMissing:
        due_on = None  # filled in by publish_due once the year's holiday table is loaded
    minor = _minor(document, decided_on)
    publication = Publication.objects.create(
        agency_id=document.agency_id,
        kind=kind,
        title=f"{document.type.title} {document.number}".strip(),
        number=document.number,
        source_document=document,
        case_id=document.case_id,
        inspection_id=document.inspection_id,
        decided_on=decided_on,
        due_on=due_on,
        minor=minor,
        context=source_context(document),
    )
    version = _new_version(publication, text)
    publication.subject = redaction_of(publication, str(party.get("name") or "")).text
    fields = ["subject"]
    if minor:
        publication.status = PublicationStatus.NOT_PUBLISHED
        publication.not_published_reason = gettext("当事人为未成年人，依法不予公开。")
        fields += ["status", "not_published_reason"]
    publication.save(update_fields=fields)
    _record(
        audit.EventType.PUBLICATION_DRAFTED,
        publication,
        actor=actor,
        data={
            "document": document.pk,
            "kind": kind,
            "version": version.number,
            "source_sha256": version.source_sha256,
            "spans": len(version.spans),
            "minor": minor,
        },
    )
    due.clocks_changed(publication.matter)
    return publication


@transaction.atomic
def publication_draft_for_text(
    *,
    agency: Any,
    actor: Any,
    kind: str,
    title: str,
    text: str,
    decided_on: datetime.date,
    persons: Iterable[str] = (),
) -> Publication:
    """A publication the discloser writes: agency information, or an inspection result without a document.

    Its clock runs from ``decided_on`` like a decision's (政府信息公开条例 Art.26: 20 working days).
    """
    if not permissions.can_disclose_for(actor, agency.pk):
        raise PermissionDenied(gettext("只有本机关的公示审核员可以办理公示。"))
    title, text = title.strip(), text.strip()
    if kind not in PublicationKind.values:
        raise _fail(gettext("请选择公示类别。"))
    if not title or not text:
        raise _fail(gettext("请填写标题和公示原文。"))
    if decided_on > clock.today():
        raise _fail(gettext("形成日期不能晚于今天。"))
    try:
        due_on: datetime.date | None = publication_due(kind, decided_on)
    except CalendarMissing:
        due_on = None
    keep = _agency_keep(agency)
    publication = Publication.objects.create(
        agency=agency,
        kind=kind,
        title=title,
        decided_on=decided_on,
        due_on=due_on,
        context={
            "persons": sorted({p.strip() for p in persons if p.strip()}),
            "punished": [],
            "keep": sorted({k for k in keep if k}),
        },
    )
    version = _new_version(publication, text + "\n")
    _record(
        audit.EventType.PUBLICATION_DRAFTED,
        publication,
        actor=actor,
        data={"kind": kind, "version": version.number, "source_sha256": version.source_sha256},
    )
    due.clocks_changed(publication.matter)
    return publication


def _correction_draft(publication: Publication, document: Any, text: str, *, actor: Any) -> Publication:
    locked = _locked(publication)
    locked.source_document = document
    locked.number = document.number
    locked.title = f"{document.type.title} {document.number}".strip()
    locked.save(update_fields=["source_document", "number", "title"])
    # The new text is a new version; an earlier one, published or never published, stays as it was.
    version = _new_version(locked, text)
    _record(
        audit.EventType.PUBLICATION_CORRECTION_DRAFTED,
        locked,
        actor=actor,
        data={"document": document.pk, "version": version.number, "source_sha256": version.source_sha256},
    )
    due.clocks_changed(locked.matter)
    return locked


@transaction.atomic
def publication_correct(*, publication: Publication, actor: Any, text: str) -> PublicationVersion:
    """A new version from a changed source text (e.g. agency information), to be published with a note."""
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    if locked.status not in {PublicationStatus.DRAFT, PublicationStatus.PUBLISHED}:
        raise _fail(gettext("该公示已%(status)s，不能更正。") % {"status": locked.get_status_display()})
    if not text.strip():
        raise _fail(gettext("请填写更正后的原文。"))
    version = _new_version(locked, text)
    _record(
        audit.EventType.PUBLICATION_CORRECTION_DRAFTED,
        locked,
        actor=actor,
        data={"version": version.number, "source_sha256": version.source_sha256},
    )
    due.clocks_changed(locked.matter)
    return version


@transaction.atomic
def publication_redaction_change(
    *, publication: Publication, actor: Any, action: str, phrase: str, reason: str, kind: str = Kind.OTHER
) -> RedactionChange:
    """Mask a phrase everywhere in the draft, or keep one the recognizers masked; each with a reason.

    A 公民身份号码 is never kept (行政处罚法 Art.50; 个人信息保护法 Art.28).
    """
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    draft = locked.versions.filter(published_at=None).order_by("-number").first()
    if draft is None:
        raise _fail(gettext("没有待公示的稿件，不能调整脱敏。"))
    phrase = phrase.strip()
    reason = reason.strip()
    if action not in RedactionAction.values:
        raise _fail(gettext("操作无效。"))
    if len(phrase) < 2:
        raise _fail(gettext("请填写至少两个字的文字。"))
    if not reason:
        raise _fail(gettext("请填写调整脱敏的理由。"))
    if phrase not in draft.source_text and phrase not in draft.text:
        raise _fail(gettext("原文中没有“%(phrase)s”。") % {"phrase": phrase})
    if kind not in {k.value for k in Kind}:
        raise _fail(gettext("类别无效。"))
    if action == RedactionAction.REMOVE:
        found = [s for s in draft.spans if s["original"] == phrase]
        if any(s["kind"] == Kind.RESIDENT_ID for s in found) or kind == Kind.RESIDENT_ID:
            raise _fail(gettext("公民身份号码不得公开，不能取消脱敏。"))
        if found:
            kind = found[0]["kind"]
    change = RedactionChange.objects.create(
        publication=locked,
        action=action,
        kind=kind,
        phrase=phrase,
        reason=reason,
        actor=actor,
        at=clock.now(),
    )
    draft = _redo_draft(locked) or draft
    _record(
        audit.EventType.PUBLICATION_REDACTION_CHANGED,
        locked,
        actor=actor,
        # The phrase may be personal: the log keeps its hash, never the text (DESIGN.md, audit log).
        data={
            "action": action,
            "kind": kind,
            "phrase_sha256": _sha256(phrase),
            "version": draft.number,
            "text_sha256": _sha256(draft.text),
        },
    )
    return change


def post_scan_message(hits: list[Any]) -> str:
    """The Chinese refusal naming what the post-scan found, e.g. 公民身份号码“3415…0014”."""
    found = "、".join(f"{KIND_LABELS[h.kind]}“{h.original}”" for h in hits[:5])
    more = gettext("等%(count)s处") % {"count": len(hits)} if len(hits) > 5 else ""
    return gettext("公示文本仍含未脱敏的个人信息：%(found)s%(more)s。请调整脱敏后再公示。") % {
        "found": found,
        "more": more,
    }


@transaction.atomic
def publication_publish(
    *, publication: Publication, actor: Any, correction_note: str = ""
) -> PublicationVersion:
    """Publish the draft version after the post-scan: every recognizer runs again on the text to publish.

    A first version starts the publication period (``ends_on``); a later one is a correction and needs its
    public note (国办发〔2018〕118号: 发布、撤销和更新机制).
    """
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    if locked.status not in {PublicationStatus.DRAFT, PublicationStatus.PUBLISHED}:
        raise _fail(gettext("该公示已%(status)s，不能公示。") % {"status": locked.get_status_display()})
    if locked.minor:
        raise _fail(gettext("当事人为未成年人，依法不予公开。"))
    draft = locked.versions.filter(published_at=None).order_by("-number").first()
    if draft is None:
        raise _fail(gettext("没有待公示的稿件。"))
    if locked.source_document_id is not None:
        from sanxiang.documents.models import DocumentVoid

        if DocumentVoid.objects.filter(document_id=locked.source_document_id).exists():
            # A voided 文书 is not the decision any more; its replacement, once issued, brings a new version.
            raise _fail(gettext("来源文书已作废，不能公示；重新制作的文书签发后将生成新的公示稿。"))
    correction_note = correction_note.strip()
    first = not locked.versions.exclude(published_at=None).exists()
    if not first and not correction_note:
        raise _fail(gettext("更正须填写公开的更正说明。"))
    context, policy = context_for(locked), policy_for(locked)
    # The title and the party's name are shown on the portal too: the post-scan reads them with the text.
    parts = (locked.title, locked.subject, draft.text)
    hits = [hit for part in parts for hit in residual(part, context, policy)]
    if hits:
        raise _fail(post_scan_message(hits))
    now = clock.now()
    draft.published_at = now
    draft.published_by = actor
    draft.correction_note = correction_note if not first else draft.correction_note
    draft.save(update_fields=["published_at", "published_by", "correction_note"])
    fields = ["status"]
    locked.status = PublicationStatus.PUBLISHED
    if first:
        locked.published_at = now
        penalties = (
            (locked.source_document.fields or {}).get("penalties", []) if locked.source_document else []
        )
        locked.ends_on = publication_ends_on(locked, penalties or [], now.date())
        fields += ["published_at", "ends_on"]
    locked.save(update_fields=fields)
    _record(
        audit.EventType.PUBLICATION_PUBLISHED,
        locked,
        actor=actor,
        data={
            "version": draft.number,
            "text_sha256": _sha256(draft.text),
            "on_time": locked.due_on is None or now.date() <= locked.due_on,
            "correction": not first,
        },
    )
    due.clocks_changed(locked.matter)
    return draft


@transaction.atomic
def publication_decline(*, publication: Publication, actor: Any, reason: str) -> Publication:
    """Not published at all, with the reason (秘密、隐私、未成年人 …; 政府信息公开条例 Art.14–15)."""
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    if locked.status != PublicationStatus.DRAFT:
        raise _fail(gettext("只有待公示的信息可以决定不予公示。"))
    reason = reason.strip()
    if not reason:
        raise _fail(gettext("请填写不予公示的理由。"))
    locked.status = PublicationStatus.NOT_PUBLISHED
    locked.not_published_reason = reason
    locked.save(update_fields=["status", "not_published_reason"])
    _record(
        audit.EventType.PUBLICATION_DECLINED,
        locked,
        actor=actor,
        data={"reason_sha256": _sha256(reason)},
    )
    due.clocks_changed(locked.matter)
    return locked


@transaction.atomic
def publication_record_revocation(
    *, publication: Publication, actor: Any, ground: str, revoked_on: datetime.date
) -> Publication:
    """The published decision was changed, revoked, confirmed illegal or annulled on ``revoked_on``.

    Starts the withdrawal clock: 3 working days (行政处罚法 Art.48 para 2 with Art.85).
    """
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    if locked.status != PublicationStatus.PUBLISHED:
        raise _fail(gettext("只有已公示的决定需要撤回。"))
    if ground not in RevocationGround.values:
        raise _fail(gettext("请选择撤回原因。"))
    if revoked_on > clock.today():
        raise _fail(gettext("变更、撤销日期不能晚于今天。"))
    if revoked_on < locked.decided_on:
        raise _fail(gettext("变更、撤销日期不能早于决定日期。"))
    try:
        due_on = clocks.withdrawal_due(revoked_on)
    except CalendarMissing as exc:
        raise _fail(gettext("%(year)s年节假日安排尚未导入，无法计算撤回期限。") % {"year": exc.year}) from exc
    locked.revoked_on = revoked_on
    locked.revocation_ground = ground
    locked.withdrawal_due_on = due_on
    locked.save(update_fields=["revoked_on", "revocation_ground", "withdrawal_due_on"])
    _record(
        audit.EventType.PUBLICATION_REVOCATION_RECORDED,
        locked,
        actor=actor,
        data={
            "ground": ground,
            "revoked_on": revoked_on.isoformat(),
            "withdrawal_due_on": due_on.isoformat(),
        },
    )
    due.clocks_changed(locked.matter)
    return locked


@transaction.atomic
def publication_withdraw(
    *, publication: Publication, actor: Any, reason: str, ground: str = ""
) -> Withdrawal:
    """Take the publication off the portal, leaving a tombstone with the public reason (行政处罚法 Art.48)."""
    permissions.require_disclose(actor, publication)
    locked = _locked(publication)
    if locked.status != PublicationStatus.PUBLISHED:
        raise _fail(gettext("只有已公示的信息可以撤回。"))
    reason = reason.strip()
    if not reason:
        raise _fail(gettext("请填写公开说明的撤回理由。"))
    ground = ground or locked.revocation_ground or RevocationGround.OTHER
    if ground not in RevocationGround.values:
        raise _fail(gettext("请选择撤回原因。"))
    now = clock.now()
    on_time = locked.withdrawal_due_on is None or now.date() <= locked.withdrawal_due_on
    withdrawal = Withdrawal.objects.create(
        publication=locked, ground=ground, reason=reason, withdrawn_at=now, actor=actor, on_time=on_time
    )
    locked.status = PublicationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _record(
        audit.EventType.PUBLICATION_WITHDRAWN,
        locked,
        actor=actor,
        data={"ground": ground, "on_time": on_time},
    )
    due.clocks_changed(locked.matter)
    return withdrawal


@transaction.atomic
def publication_expire(*, publication: Publication, today: datetime.date) -> bool:
    """The publication period ended: the item leaves the portal (no tombstone). Returns whether it did."""
    locked = _locked(publication)
    if locked.status != PublicationStatus.PUBLISHED or locked.ends_on is None or today <= locked.ends_on:
        return False
    locked.status = PublicationStatus.EXPIRED
    locked.save(update_fields=["status"])
    _record(
        audit.EventType.PUBLICATION_EXPIRED,
        locked,
        data={"ends_on": locked.ends_on.isoformat()},
    )
    due.clocks_changed(locked.matter)
    return True


@dataclass(frozen=True)
class RunCounts:
    expired: int = 0
    overdue_flagged: int = 0
    overdue: int = 0
    withdrawals_overdue: int = 0
    due_filled: int = 0


def publications_run_due(*, today: datetime.date | None = None) -> RunCounts:
    """The publication clocks (``publish_due``): expire ended items, flag overdue drafts, fill due dates.

    Safe to run twice: an item is expired once, a draft flagged once.
    """
    today = today or clock.today()
    expired = 0
    for publication in Publication.objects.filter(status=PublicationStatus.PUBLISHED, ends_on__lt=today):
        expired += int(publication_expire(publication=publication, today=today))
    filled = 0
    for publication in Publication.objects.filter(status=PublicationStatus.DRAFT, due_on=None):
        try:
            due_on = publication_due(publication.kind, publication.decided_on)
        except CalendarMissing:
            continue
        with transaction.atomic():
            Publication.objects.filter(pk=publication.pk).update(due_on=due_on)
            due.clocks_changed(publication.matter)
        filled += 1
    flagged = 0
    now = clock.now()
    for publication in Publication.objects.filter(
        status=PublicationStatus.DRAFT, due_on__lt=today, overdue_flagged_at=None
    ):
        with transaction.atomic():
            if Publication.objects.filter(pk=publication.pk, overdue_flagged_at=None).update(
                overdue_flagged_at=now
            ):
                _record(
                    audit.EventType.PUBLICATION_OVERDUE_FLAGGED,
                    publication,
                    data={"due_on": publication.due_on.isoformat() if publication.due_on else None},
                )
                flagged += 1
    overdue = Publication.objects.filter(status=PublicationStatus.DRAFT, due_on__lt=today).count()
    withdrawals = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, withdrawal_due_on__lt=today
    ).count()
    return RunCounts(
        expired=expired,
        overdue_flagged=flagged,
        overdue=overdue,
        withdrawals_overdue=withdrawals,
        due_filled=filled,
    )
