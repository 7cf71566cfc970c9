"""From a stored :class:`~sanxiang.documents.models.Document` to the :class:`Layout` it prints as.

Reads the type's field specs (in their order), the frozen values, the number, the agency, the signatures and
the issue time; formats every value for print. The renderers never see a model, so they are tested on
layouts built by hand, and this module once against real documents.

Conventions read from the catalog:

- ``party`` fields become party blocks (name, then the lines that identify a person or an organisation);
- the ``officers`` field becomes the officers line (name and certificate number, Art.42 and 55);
- textareas and lists become body sections; lists of records print one line per record;
- approval forms carry ``handler_opinion`` / ``review_opinion`` + ``reviewer_name`` + ``reviewed_on`` /
  ``approval_opinion`` + ``approver_name`` + ``approved_on``: these become the 承办人意见 / 审核意见 /
  审批意见 rows, and the reviewer's and leader's signatures go there rather than under the text;
- a document the party receives bears the agency's seal (Art.59 for decisions) over the agency's name
  (``agency_name`` if the type has it) and the date (``decided_on``, ``issued_on`` or ``notified_on``, else
  the issue date).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanxiang.documents.rendering.layout import (
    ApprovalLine,
    BodySection,
    FieldLine,
    Layout,
    OfficerLine,
    PartyBlock,
    SealPosition,
    SignatureBlock,
    print_date,
    print_datetime,
    print_money,
)

__all__ = ["RenderingError", "layout_for"]

# (opinion field, signer field, date field, the signer role whose signature belongs in that row)
APPROVAL_ROWS = (
    ("handler_opinion", "", "", "officer"),
    ("review_opinion", "reviewer_name", "reviewed_on", "reviewer"),
    ("approval_opinion", "approver_name", "approved_on", "leader"),
)
SEAL_DATE_FIELDS = ("decided_on", "issued_on", "notified_on")
SEAL_FIELDS = ("seal", "agency_name")


class RenderingError(ValueError):
    """A document that cannot be printed as stored (a signature image that fails its hash), in Chinese."""


def _parse_date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _parse_datetime(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _officers(value: Any) -> tuple[OfficerLine, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        OfficerLine(str(o.get("name", "")), str(o.get("certificate_number", "") or ""))
        for o in value
        if isinstance(o, dict) and o.get("name")
    )


def format_value(spec: dict[str, Any], value: Any) -> str:
    """One value as printed: dates 2026年3月5日, money with capitals, choices by their label."""
    kind = spec.get("kind")
    if value is None or value == "" or value == []:
        return ""
    if kind == "date":
        return print_date(_parse_date(value)) or str(value)
    if kind == "datetime":
        return print_datetime(_parse_datetime(value)) or str(value)
    if kind == "money":
        return print_money(value)  # refuses anything but whole fen, in Chinese
    if kind == "choice":
        labels = {str(c[0]): str(c[1]) for c in spec.get("choices") or [] if isinstance(c, list | tuple)}
        return labels.get(str(value), str(value))
    if kind == "boolean":
        return _("是") if value else _("否")
    if kind == "officers":
        return "、".join(str(o) for o in _officers(value))
    if kind == "party":
        return str(value.get("name", "")) if isinstance(value, dict) else str(value)
    if kind == "list":
        return "\n".join(_list_lines(spec, value))
    return str(value)


def _item_fields(spec: dict[str, Any], item: Any) -> tuple[FieldLine, ...]:
    subs = spec.get("item_fields") or []
    if not isinstance(item, dict):
        return (FieldLine("", "", str(item)),)
    return tuple(
        FieldLine(
            str(sub["name"]), str(sub.get("label", sub["name"])), format_value(sub, item.get(sub["name"]))
        )
        for sub in subs
    )


def _item_text(spec: dict[str, Any], item: Any) -> str:
    fields = {f.name: f for f in _item_fields(spec, item)}
    if {"kind", "violation"} <= fields.keys():
        # a penalty: 未按规定……：罚款30000.00元（叁万元整）
        # a warning, or any penalty without an amount, states no sum (not 警告0.00元)
        amount = fields["amount_fen"].value if "amount_fen" in fields and item.get("amount_fen") else ""
        what = fields["kind"].value + amount
        return f"{fields['violation'].value}：{what}" if fields["violation"].value else what
    if not isinstance(item, dict):
        return str(item)
    return "；".join(f"{f.label}：{f.value}" for f in fields.values() if f.value)


def _list_lines(spec: dict[str, Any], value: Any) -> list[str]:
    items = [item for item in (value if isinstance(value, list) else [value]) if item not in ("", None, {})]
    lines = [_item_text(spec, item) for item in items]
    if len(lines) > 1:
        lines = [f"{n}．{line}" for n, line in enumerate(lines, 1)]
    return lines


def _section(spec: dict[str, Any], name: str, label: str, value: Any) -> BodySection | None:
    """A textarea as paragraphs, a list as one line per item (and, for records, the records themselves)."""
    if spec.get("kind") == "list":
        lines = tuple(_list_lines(spec, value))
        records = isinstance(value, list) and spec.get("item_fields")
        items = tuple(_item_fields(spec, item) for item in value) if records else ()
    else:
        lines = tuple(line.strip() for line in str(value or "").splitlines() if line.strip())
        items = ()
    return BodySection(name, label, lines, items) if lines else None


def _party_block(spec: dict[str, Any], value: Any) -> PartyBlock | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    kind = value.get("kind")
    keys: tuple[tuple[str, str], ...]
    if kind == "person":
        keys = (("resident_id", _("公民身份号码")),)
    elif kind == "individual_business":
        keys = (("credit_code", _("统一社会信用代码")), ("legal_representative", _("经营者")))
    else:
        keys = (("credit_code", _("统一社会信用代码")), ("legal_representative", _("法定代表人（负责人）")))
    keys = (*keys, ("address", _("地址")), ("phone", _("联系电话")))
    lines = tuple(FieldLine(key, label, str(value[key])) for key, label in keys if value.get(key))
    return PartyBlock(str(spec.get("label", _("当事人"))), str(value["name"]), lines)


def _image_bytes(signature: Any) -> bytes | None:
    if not signature.image:
        return None
    with signature.image.open("rb") as handle:
        data: bytes = handle.read()
    if signature.image_sha256 and hashlib.sha256(data).hexdigest() != signature.image_sha256:
        raise RenderingError(
            _("%(name)s的签名图像与登记的哈希值不一致，文书不予生成。") % {"name": signature.signer_name}
        )
    return data


def _signature_block(signature: Any, label: str, officers: dict[str, OfficerLine]) -> SignatureBlock:
    officer = officers.get(signature.signer_name)
    return SignatureBlock(
        role=str(signature.role),
        label=label,
        name=str(signature.signer_name),
        certificate_number=officer.certificate_number if officer else "",
        image=None if signature.refused else _image_bytes(signature),
        signed_on=print_date(_local_date(signature.signed_at)),
        refused=bool(signature.refused),
        refusal_note=str(signature.refusal_note),
        witness_name=str(signature.witness_name),
    )


def layout_for(document: Any) -> Layout:
    """The Layout of ``document`` (a :class:`~sanxiang.documents.models.Document`), formatted for print.

    A 文书 is a legal record in Chinese: its words are Chinese whatever language the reader chose.
    """
    with translation.override("zh-hans"):
        return _layout(document)


def _layout(document: Any) -> Layout:
    from sanxiang.documents.models import SignerRole

    doc_type = document.type
    specs: list[dict[str, Any]] = [s for s in doc_type.fields if isinstance(s, dict) and s.get("name")]
    values: dict[str, Any] = document.fields or {}
    names = {s["name"] for s in specs}
    spec_by_name = {s["name"]: s for s in specs}

    approvals: list[ApprovalLine] = []
    consumed: set[str] = set()
    signatures = list(document.signatures.all())
    approval_roles: set[str] = set()
    for opinion, signer, date, role in APPROVAL_ROWS:
        if opinion not in names:
            continue
        consumed.update(n for n in (opinion, signer, date) if n)
        approval_roles.add(role)
        signed_rows = [s for s in signatures if s.role == role and not s.refused]
        signed = signed_rows[0] if signed_rows else None
        signed_names = "、".join(s.signer_name for s in signed_rows)
        approvals.append(
            ApprovalLine(
                label=str(spec_by_name[opinion].get("label", opinion)),
                opinion=str(values.get(opinion) or ""),
                signer=str(values.get(signer) or signed_names) if signer else signed_names,
                signed_on=(
                    print_date(_parse_date(values.get(date)))
                    if date and values.get(date)
                    else print_date(_local_date(signed.signed_at))
                    if signed
                    else ""
                ),
            )
        )

    issued_on = print_date(_local_date(document.issued_at))
    seal: SealPosition | None = None
    if doc_type.party_receives or "seal" in names:
        date_field = next((n for n in SEAL_DATE_FIELDS if n in names), "")
        consumed.update(n for n in (*SEAL_FIELDS, date_field) if n in names)
        seal_date = print_date(_parse_date(values.get(date_field))) if date_field else ""
        seal = SealPosition(
            agency_name=str(values.get("agency_name") or document.agency.name),
            date=seal_date or issued_on,
        )

    fields: list[FieldLine] = []
    sections: list[BodySection] = []
    parties: list[PartyBlock] = []
    officers: list[OfficerLine] = []
    for spec in specs:
        name, kind = spec["name"], spec.get("kind")
        if name in consumed:
            continue
        value = values.get(name)
        label = str(spec.get("label", name))
        try:
            if kind == "party":
                block = _party_block(spec, value)
                if block is not None:
                    parties.append(block)
            elif kind == "officers" and name == "officers":
                officers.extend(o for o in _officers(value) if o not in officers)
            elif kind in ("textarea", "list"):
                section = _section(spec, name, label, value)
                if section is not None:
                    sections.append(section)
            else:
                text = format_value(spec, value)
                if text:
                    fields.append(FieldLine(name, label, text))
        except (TypeError, ValueError, AttributeError) as error:
            raise RenderingError(
                _("“%(label)s”的内容无法打印：%(error)s") % {"label": label, "error": error}
            ) from error

    role_labels = dict(SignerRole.choices)
    by_name = {o.name: o for o in officers}
    blocks: list[SignatureBlock] = []
    for role in doc_type.signers or []:
        if role in approval_roles:
            continue
        label = str(role_labels.get(role, role))
        rows = [s for s in signatures if s.role == role]
        if rows:
            blocks.extend(_signature_block(s, label, by_name) for s in rows)
        else:
            blocks.append(SignatureBlock(role=str(role), label=label))

    query_number, query_code, query_url = _query(document) if doc_type.party_receives else ("", "", "")
    watermark = ""
    if document.is_voided:
        watermark = _("已作废")
    elif not document.is_issued:
        watermark = _("草稿")
    return Layout(
        agency_name=document.agency.name,
        title=doc_type.title,
        template=doc_type.template_name or doc_type.key,
        number=document.number,
        fields=tuple(fields),
        officers=tuple(officers),
        parties=tuple(parties),
        sections=tuple(sections),
        approvals=tuple(approvals),
        signatures=tuple(blocks),
        seal=seal,
        issued_on=issued_on,
        issued_at=document.issued_at,
        numbered=bool(doc_type.numbered),
        watermark=watermark,
        agency_key=str(document.agency_id),
        query_number=query_number,
        query_code=query_code,
        query_url=query_url,
    )


def _query(document: Any) -> tuple[str, str, str]:
    """The number, query code and page a party uses to follow its case on the portal (办理进度查询)."""
    from sanxiang.cases.query_code import case_query_code

    case = document.case if document.case_id else None
    number = (case.number or case.decision_number) if case is not None else ""
    if not number:
        return ("", "", "")
    return (number, case_query_code(case), settings.PUBLIC_BASE_URL + reverse("disclosure:progress"))
