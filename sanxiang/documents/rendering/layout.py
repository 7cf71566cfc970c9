"""What a printed document shows, as plain values: the only thing the PDF and DOCX renderers see.

A :class:`Layout` is built from a stored document by :func:`sanxiang.documents.rendering.adapter.layout_for`,
or directly in tests and benches. Every value is already formatted for print (dates as 2026年3月5日, money as
"30000.00元（叁万元整）"), so templates only place text and never compute it.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

from sanxiang.core.money import amount_with_words

__all__ = [
    "ApprovalLine",
    "BodySection",
    "FieldLine",
    "Layout",
    "OfficerLine",
    "PartyBlock",
    "SealPosition",
    "SignatureBlock",
    "print_date",
    "print_datetime",
    "print_money",
]


# A value and a label that fit half a ruled form's width at 12 pt.
SHORT_VALUE = 14
SHORT_LABEL = 6


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


_Named = TypeVar("_Named", bound=_HasName)


def print_date(day: datetime.date | None) -> str:
    """A date as documents print it, without leading zeros: 2026年3月5日."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def print_datetime(moment: datetime.datetime | None) -> str:
    """A moment as records print it, to the minute: 2026年3月5日 9时05分 (local time of the caller's zone)."""
    if moment is None:
        return ""
    return f"{print_date(moment)} {moment.hour}时{moment.minute:02d}分"


def print_money(fen: int | None) -> str:
    """An amount in figures and capitals: 3000000 → "30000.00元（叁万元整）"."""
    return "" if fen is None else amount_with_words(fen)


@dataclass(frozen=True)
class FieldLine:
    """One labelled value of the document's fields, e.g. 案由：未按规定开展安全培训."""

    name: str
    label: str
    value: str

    @property
    def text(self) -> str:
        return self.value

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(line for line in self.value.splitlines() if line.strip())


@dataclass(frozen=True)
class BodySection:
    """A long text of the document printed as paragraphs under its heading, e.g. 违法事实和证据."""

    name: str
    heading: str
    paragraphs: tuple[str, ...]
    # a list of records (e.g. 整改项与整改期限) also keeps its records, for templates that print a table
    items: tuple[tuple[FieldLine, ...], ...] = ()

    @property
    def label(self) -> str:
        return self.heading

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class OfficerLine:
    """An officer as documents name them: with the enforcement certificate number (Art.42, 55)."""

    name: str
    certificate_number: str

    def __str__(self) -> str:
        return f"{self.name}（执法证号：{self.certificate_number}）" if self.certificate_number else self.name


@dataclass(frozen=True)
class PartyBlock:
    """A party (当事人 / 被检查单位) with the lines that identify it: address, code, representative …"""

    role: str
    name: str
    lines: tuple[FieldLine, ...] = ()


@dataclass(frozen=True)
class ApprovalLine:
    """A row of an approval form: 承办人意见 / 审核意见 / 审批意见 with who gave it and when."""

    label: str
    opinion: str
    signer: str = ""
    signed_on: str = ""


@dataclass(frozen=True)
class SignatureBlock:
    """A signature place: a name (staff sign by their account), a handwritten image, or a recorded refusal.

    A refusal carries the officer's note and the witness
    (行政处罚法 Art.52, 安全生产法 Art.68, 行政强制法 Art.18).
    """

    role: str
    label: str
    name: str = ""
    certificate_number: str = ""
    image: bytes | None = None
    signed_on: str = ""
    refused: bool = False
    refusal_note: str = ""
    witness_name: str = ""

    @property
    def image_data_uri(self) -> str:
        if not self.image:
            return ""
        return "data:image/png;base64," + base64.b64encode(self.image).decode("ascii")


@dataclass(frozen=True)
class SealPosition:
    """Where the agency's seal goes (Art.59: a decision bears the seal): above its name and the date."""

    agency_name: str
    date: str


class _Except(Generic[_Named]):
    """``layout.fields_except.party__facts`` in a template: the items other than those named.

    Specific templates place some fields in their own sentences and print the rest in the generic way, so
    that a field an agency adds to a type is never silently left off the page.
    """

    def __init__(self, items: tuple[_Named, ...]) -> None:
        self._items = items

    def __getitem__(self, key: str) -> tuple[_Named, ...]:
        names = set(key.split("__"))
        return tuple(item for item in self._items if item.name not in names)


@dataclass(frozen=True)
class Layout:
    """Everything one printed document shows, in print order, formatted for print.

    ``template`` names the print template (``documents/print/<template>.html`` and, for DOCX,
    ``docx_templates/<template>.docx``), falling back to the generic ones; ``agency_key`` lets an agency
    keep its own copies under ``documents/print/agency-<key>/``. ``issued_at`` fixes the PDF's creation
    date, so the same document renders to the same bytes. ``numbered`` says the type takes a number at
    issue (a draft shows where it will go); ``watermark`` is printed across every page (草稿, 已作废).
    """

    agency_name: str
    title: str
    template: str = "generic"
    number: str = ""
    fields: tuple[FieldLine, ...] = ()
    officers: tuple[OfficerLine, ...] = ()
    parties: tuple[PartyBlock, ...] = ()
    sections: tuple[BodySection, ...] = ()
    approvals: tuple[ApprovalLine, ...] = ()
    signatures: tuple[SignatureBlock, ...] = ()
    seal: SealPosition | None = None
    issued_on: str = ""
    issued_at: datetime.datetime | None = None
    numbered: bool = False
    watermark: str = ""
    agency_key: str = ""
    # 办理进度查询 (国办发〔2018〕118号): on a document the party receives, the case's number and query code.
    query_number: str = ""
    query_code: str = ""
    query_url: str = ""

    @cached_property
    def named(self) -> Mapping[str, FieldLine | BodySection]:
        """Fields and sections by their name: ``layout.named.facts.text`` in a template."""
        items: dict[str, FieldLine | BodySection] = {f.name: f for f in self.fields}
        items.update({s.name: s for s in self.sections})
        return MappingProxyType(items)

    @cached_property
    def fields_except(self) -> _Except[FieldLine]:
        return _Except(self.fields)

    @cached_property
    def sections_except(self) -> _Except[BodySection]:
        return _Except(self.sections)

    @cached_property
    def field_rows(self) -> tuple[tuple[FieldLine, ...], ...]:
        """The short fields two to a row, as ruled forms set them (案件来源 | 日常检查 | 案发时间 | …)."""
        rows: list[tuple[FieldLine, ...]] = []
        pending: FieldLine | None = None
        for line in self.fields:
            short = len(line.value) <= SHORT_VALUE and len(line.label) <= SHORT_LABEL
            if pending is not None and short:
                rows.append((pending, line))
                pending = None
                continue
            if pending is not None:
                rows.append((pending,))
                pending = None
            if short:
                pending = line
            else:
                rows.append((line,))
        if pending is not None:
            rows.append((pending,))
        return tuple(rows)

    @cached_property
    def signatures_by_role(self) -> Mapping[str, tuple[SignatureBlock, ...]]:
        """``layout.signatures_by_role.party`` in a template: the blocks of one signer role."""
        roles: dict[str, list[SignatureBlock]] = {}
        for block in self.signatures:
            roles.setdefault(block.role, []).append(block)
        return MappingProxyType({role: tuple(blocks) for role, blocks in roles.items()})
