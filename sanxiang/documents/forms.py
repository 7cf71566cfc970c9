"""The draft form, generated from a type's field specs: what each input shows, and reading the POST back.

No validation beyond reading the inputs (a money amount in 元, a list one item per line): the service checks
the values against the specs and says, in Chinese, what is wrong. A list of records (penalties, items) shows
its rows and three blank ones, each sub-field an input named ``<field>-<row>-<sub>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.agencies.models import Officer
from sanxiang.documents.models import DocumentType, FieldKind
from sanxiang.parties.models import Party

__all__ = ["BLANK_ROWS", "FieldInput", "VoidForm", "inputs_for", "read_post"]

BLANK_ROWS = 3
_MONEY = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


@dataclass
class SubInput:
    name: str
    label: str
    kind: str
    value: Any
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FieldInput:
    """One input of the form: the spec and the value to show in it."""

    name: str
    label: str
    kind: str
    required: bool
    help: str
    value: Any
    choices: list[tuple[str, str]] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    rows: list[list[SubInput]] = field(default_factory=list)
    max_length: int | None = None

    @property
    def is_records(self) -> bool:
        return bool(self.rows)


def _yuan(fen: Any) -> str:
    if isinstance(fen, int) and not isinstance(fen, bool):
        return f"{Decimal(fen) / 100:.2f}"
    return "" if fen in (None, "") else str(fen)


def _show(kind: str, value: Any) -> Any:
    if kind == FieldKind.MONEY:
        return _yuan(value)
    if kind == FieldKind.LIST:
        return "\n".join(str(v) for v in value or [])
    if kind == FieldKind.BOOLEAN:
        return "" if value is None else ("true" if value else "false")
    if kind == FieldKind.DATETIME and isinstance(value, str):
        return value[:16]
    return "" if value is None else value


def _choices(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(c[0]), str(c[1])) for c in spec.get("choices") or []]


def _sub_inputs(spec: dict[str, Any], name: str, index: int, row: dict[str, Any]) -> list[SubInput]:
    return [
        SubInput(
            name=f"{name}-{index}-{sub['name']}",
            label=str(sub.get("label", sub["name"])),
            kind=sub["kind"],
            value=_show(sub["kind"], row.get(sub["name"])),
            choices=_choices(sub),
        )
        for sub in spec["item_fields"]
    ]


def inputs_for(
    doc_type: DocumentType, values: dict[str, Any], *, agency_id: int, case: Any = None
) -> list[FieldInput]:
    """The inputs of a draft of ``doc_type`` showing ``values`` (stored or just posted)."""
    inputs = []
    for spec in doc_type.fields:
        name, kind = spec["name"], spec["kind"]
        value = values.get(name)
        item = FieldInput(
            name=name,
            label=str(spec.get("label", name)),
            kind=kind,
            required=bool(spec.get("required")),
            help=str(spec.get("help", "")),
            value=_show(kind, value) if not spec.get("item_fields") else "",
            choices=_choices(spec),
            max_length=spec.get("max_length"),
        )
        if kind == FieldKind.OFFICERS:
            officers = Officer.objects.filter(agency_id=agency_id).order_by("name", "pk")
            item.choices = [(str(o.pk), f"{o.name}（{o.certificate_number}）") for o in officers]
            item.selected = [str(o.get("id") if isinstance(o, dict) else o) for o in value or []]
        elif kind == FieldKind.PARTY:
            parties = Party.objects.filter(agency_id=agency_id)
            if case is not None:
                parties = parties.filter(case_links__case=case)
            item.choices = [(str(p.pk), p.name) for p in parties.order_by("name", "pk")]
            chosen = value.get("id") if isinstance(value, dict) else value
            item.selected = [str(chosen)] if chosen not in (None, "") else []
        elif spec.get("item_fields"):
            rows = [r for r in value or [] if isinstance(r, dict)]
            item.rows = [_sub_inputs(spec, name, i, r) for i, r in enumerate([*rows, *([{}] * BLANK_ROWS)])]
        inputs.append(item)
    return inputs


def _read_money(raw: str, label: str, problems: list[str]) -> Any:
    raw = raw.strip().replace(",", "")
    if not raw:
        return None
    if not _MONEY.match(raw):
        problems.append(gettext("“%(label)s”须为金额（元，最多两位小数），如 30000.00。") % {"label": label})
        return None
    try:
        return int(Decimal(raw) * 100)
    except InvalidOperation:
        problems.append(gettext("“%(label)s”须为金额（元，最多两位小数），如 30000.00。") % {"label": label})
        return None


def _read_one(spec: dict[str, Any], raw: str, problems: list[str]) -> Any:
    kind = spec["kind"]
    label = str(spec.get("label", spec["name"]))
    if kind == FieldKind.MONEY:
        return _read_money(raw, label, problems)
    if kind == FieldKind.LIST:
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if kind == FieldKind.BOOLEAN:
        return {"true": True, "false": False}.get(raw)
    return raw


def read_post(doc_type: DocumentType, post: QueryDict) -> tuple[dict[str, Any], list[str]]:
    """The raw values posted for ``doc_type`` (money in fen), and the inputs that could not be read."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in doc_type.fields:
        name, kind = spec["name"], spec["kind"]
        if kind == FieldKind.OFFICERS:
            values[name] = [v for v in post.getlist(name) if v]
        elif kind == FieldKind.PARTY:
            values[name] = post.get(name) or None
        elif spec.get("item_fields"):
            rows = []
            index = 0
            while any(f"{name}-{index}-{sub['name']}" in post for sub in spec["item_fields"]):
                row = {
                    sub["name"]: _read_one(sub, post.get(f"{name}-{index}-{sub['name']}", ""), problems)
                    for sub in spec["item_fields"]
                }
                if any(v not in (None, "", []) for v in row.values()):
                    rows.append({k: v for k, v in row.items() if v not in (None, "")})
                index += 1
            values[name] = rows
        else:
            values[name] = _read_one(spec, post.get(name, ""), problems)
    return values, problems


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("作废理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_("文书作废后保留原编号并显示“已作废”；可同时制作替代文书。"),
    )
    replace = forms.BooleanField(label=_("同时制作替代文书"), required=False, initial=True)
