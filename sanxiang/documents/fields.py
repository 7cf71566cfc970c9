"""Field specs of the catalog and the values of a document: checking a spec, cleaning values against it.

A spec is a dict (see :class:`~sanxiang.documents.models.DocumentType`); values are JSON in the forms listed
in :mod:`sanxiang.documents.models`. :func:`clean` returns the cleaned values and the problems, each a Chinese
sentence naming the field by its label. Officers and the party are copied from their rows (same agency only),
so a document shows what was true when it was written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from sanxiang.documents.models import FieldKind

__all__ = ["SpecError", "check_specs", "clean", "empty_value", "is_empty"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
TEXT_MAX = 500
TEXTAREA_MAX = 20000
SPEC_KEYS = {
    "name",
    "label",
    "kind",
    "required",
    "choices",
    "help",
    "max_length",
    "item_fields",
    "min",
    "max",
    "default",
    "require_true",
}


class SpecError(ValueError):
    """A field spec of the catalog that cannot be used; the message names it, in Chinese."""


# ----------------------------------------------------------------------------------------------------
# Specs


def check_specs(specs: Any, *, where: str, nested: bool = False) -> list[str]:
    """Problems with a list of field specs (empty if it is usable)."""
    if not isinstance(specs, list):
        return [gettext("%(where)s：字段须为列表。") % {"where": where}]
    problems: list[str] = []
    seen: set[str] = set()
    for i, spec in enumerate(specs, 1):
        if not isinstance(spec, dict):
            problems.append(gettext("%(where)s：第%(i)d个字段格式无效。") % {"where": where, "i": i})
            continue
        name = spec.get("name")
        label = f"{where}·{name or i}"
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(
                gettext("%(where)s：字段名“%(name)s”须为小写英文标识。") % {"where": where, "name": name}
            )
        elif name in seen:
            problems.append(gettext("%(where)s：字段名“%(name)s”重复。") % {"where": where, "name": name})
        else:
            seen.add(name)
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            problems.append(
                gettext("%(where)s：未知的字段属性 %(keys)s。")
                % {"where": label, "keys": "、".join(sorted(unknown))}
            )
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            problems.append(gettext("%(where)s：缺少字段标题。") % {"where": label})
        kind = spec.get("kind")
        if kind not in FieldKind.values:
            problems.append(gettext("%(where)s：字段类型“%(kind)s”无效。") % {"where": label, "kind": kind})
            continue
        if kind == FieldKind.CHOICE:
            choices = spec.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(
                    isinstance(c, list) and len(c) == 2 and all(isinstance(x, str) for x in c)
                    for c in choices
                )
            ):
                problems.append(gettext("%(where)s：选项须为 [值, 名称] 的列表。") % {"where": label})
        if "item_fields" in spec:
            if kind != FieldKind.LIST or nested:
                problems.append(
                    gettext("%(where)s：只有列表字段可以有子字段，且不能嵌套。") % {"where": label}
                )
            else:
                problems.extend(check_specs(spec["item_fields"], where=label, nested=True))
        if nested and kind in (FieldKind.OFFICERS, FieldKind.PARTY, FieldKind.LIST):
            problems.append(gettext("%(where)s：子字段不能是执法人员、当事人或列表。") % {"where": label})
        for key in ("max_length", "min", "max"):
            if key in spec and (isinstance(spec[key], bool) or not isinstance(spec[key], int)):
                problems.append(gettext("%(where)s：%(key)s 须为整数。") % {"where": label, "key": key})
        if "default" in spec:
            _value, errors = _clean_one(spec, spec["default"], agency_id=None, strict=False)
            if errors:
                problems.append(gettext("%(where)s：默认值无效。") % {"where": label})
    return problems


# ----------------------------------------------------------------------------------------------------
# Values


def empty_value(spec: dict[str, Any]) -> Any:
    kind = spec["kind"]
    if kind in (FieldKind.TEXT, FieldKind.TEXTAREA):
        return ""
    if kind in (FieldKind.LIST, FieldKind.OFFICERS):
        return []
    return None


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean(
    specs: Iterable[dict[str, Any]], raw: dict[str, Any], *, agency_id: int, strict: bool
) -> tuple[dict[str, Any], list[str]]:
    """Values for every spec, and the problems. ``strict`` (at issue) also requires the required fields."""
    specs = list(specs)
    problems: list[str] = []
    if not isinstance(raw, dict):
        return {}, [gettext("文书内容格式无效。")]
    names = {s["name"] for s in specs}
    unknown = sorted(set(raw) - names)
    if unknown:
        problems.append(gettext("未知的字段：%(names)s。") % {"names": "、".join(unknown)})
    out: dict[str, Any] = {}
    for spec in specs:
        value, errors = _clean_one(spec, raw.get(spec["name"]), agency_id=agency_id, strict=strict)
        out[spec["name"]] = value
        problems.extend(errors)
    return out, problems


def _label(spec: dict[str, Any]) -> str:
    return str(spec.get("label") or spec.get("name"))


def _clean_one(
    spec: dict[str, Any], value: Any, *, agency_id: int | None, strict: bool
) -> tuple[Any, list[str]]:
    label = _label(spec)
    kind = spec["kind"]
    if isinstance(value, str) and kind not in (FieldKind.TEXT, FieldKind.TEXTAREA):
        value = value.strip()
    if is_empty(value):
        if strict and spec.get("required"):
            return empty_value(spec), [gettext("请填写“%(label)s”。") % {"label": label}]
        return empty_value(spec), []
    try:
        cleaned = _CLEANERS[kind](spec, value, agency_id)
    except _InvalidError as exc:
        return empty_value(spec), [str(exc)]
    if strict and spec.get("require_true") and cleaned is not True:
        return cleaned, [gettext("“%(label)s”须为“是”。") % {"label": label}]
    if (
        strict
        and kind == FieldKind.OFFICERS
        and isinstance(cleaned, list)
        and len(cleaned) < spec.get("min", 0)
    ):
        return cleaned, [gettext("“%(label)s”不得少于%(n)d人。") % {"label": label, "n": spec["min"]}]
    return cleaned, []


class _InvalidError(ValueError):
    pass


def _text(spec: dict[str, Any], value: Any, agency_id: int | None) -> str:
    if not isinstance(value, str):
        raise _InvalidError(gettext("“%(label)s”须为文字。") % {"label": _label(spec)})
    value = value.strip()
    limit = spec.get("max_length") or (TEXTAREA_MAX if spec["kind"] == FieldKind.TEXTAREA else TEXT_MAX)
    if len(value) > limit:
        raise _InvalidError(
            gettext("“%(label)s”不能超过%(n)d个字（现为%(m)d个）。")
            % {"label": _label(spec), "n": limit, "m": len(value)}
        )
    return value


def _date(spec: dict[str, Any], value: Any, agency_id: int | None) -> str:
    if isinstance(value, datetime.datetime):
        raise _InvalidError(gettext("“%(label)s”须为日期（如 2026-03-05）。") % {"label": _label(spec)})
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise _InvalidError(
            gettext("“%(label)s”须为日期（如 2026-03-05）。") % {"label": _label(spec)}
        ) from exc


def _datetime(spec: dict[str, Any], value: Any, agency_id: int | None) -> str:
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(value).replace(" ", "T"))
        except ValueError as exc:
            raise _InvalidError(
                gettext("“%(label)s”须为日期时间（如 2026-03-05 09:30）。") % {"label": _label(spec)}
            ) from exc
    if parsed.tzinfo is not None:
        from django.utils import timezone

        parsed = timezone.localtime(parsed)
    return parsed.strftime("%Y-%m-%dT%H:%M")


def _integer(spec: dict[str, Any], value: Any, agency_id: int | None) -> int:
    if isinstance(value, bool):
        raise _InvalidError(gettext("“%(label)s”须为整数。") % {"label": _label(spec)})
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        value = int(value)
    if not isinstance(value, int):
        raise _InvalidError(gettext("“%(label)s”须为整数。") % {"label": _label(spec)})
    low, high = spec.get("min"), spec.get("max")
    if low is not None and value < low:
        raise _InvalidError(gettext("“%(label)s”不能小于%(n)d。") % {"label": _label(spec), "n": low})
    if high is not None and value > high:
        raise _InvalidError(gettext("“%(label)s”不能大于%(n)d。") % {"label": _label(spec), "n": high})
    return value


def _money(spec: dict[str, Any], value: Any, agency_id: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _InvalidError(
            gettext("“%(label)s”须为不小于零的金额（以分计的整数）。") % {"label": _label(spec)}
        )
    return value


def _choice(spec: dict[str, Any], value: Any, agency_id: int | None) -> str:
    values = [c[0] for c in spec.get("choices", [])]
    if value not in values:
        raise _InvalidError(
            gettext("“%(label)s”的选项“%(value)s”无效。") % {"label": _label(spec), "value": value}
        )
    return str(value)


def _boolean(spec: dict[str, Any], value: Any, agency_id: int | None) -> bool:
    if value in ("true", "on", "1", "是"):
        return True
    if value in ("false", "off", "0", "否"):
        return False
    if not isinstance(value, bool):
        raise _InvalidError(gettext("“%(label)s”须为“是”或“否”。") % {"label": _label(spec)})
    return value


def _ids(value: Any) -> list[Any]:
    items = value if isinstance(value, list | tuple) else [value]
    return [item.get("id") if isinstance(item, dict) else getattr(item, "pk", item) for item in items]


def _officers(spec: dict[str, Any], value: Any, agency_id: int | None) -> list[dict[str, Any]]:
    from sanxiang.agencies.models import Officer

    label = _label(spec)
    try:
        ids = [int(i) for i in _ids(value)]
    except (TypeError, ValueError) as exc:
        raise _InvalidError(gettext("“%(label)s”须为本机关的执法人员。") % {"label": label}) from exc
    ids = list(dict.fromkeys(ids))
    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids, agency_id=agency_id or 0)}
    if len(found) != len(ids):
        raise _InvalidError(gettext("“%(label)s”须为本机关的执法人员。") % {"label": label})
    return [
        {"id": o.pk, "name": o.name, "certificate_number": o.certificate_number}
        for o in (found[i] for i in ids)
    ]


PARTY_KEYS = ("kind", "name", "address", "credit_code", "resident_id", "legal_representative", "phone")


def party_snapshot(party: Any) -> dict[str, Any]:
    return {"id": party.pk, **{key: getattr(party, key, "") or "" for key in PARTY_KEYS}}


def _party(spec: dict[str, Any], value: Any, agency_id: int | None) -> dict[str, Any]:
    from sanxiang.parties.models import Party

    label = _label(spec)
    if isinstance(value, dict) and value.get("id") in (None, ""):
        # A person or unit not in the register (a witness's employer, another organ): name and address only.
        name = str(value.get("name", "")).strip()
        if not name:
            raise _InvalidError(gettext("请填写“%(label)s”的姓名或者名称。") % {"label": label})
        return {
            "id": None,
            **{key: str(value.get(key, "") or "").strip() for key in PARTY_KEYS},
            "name": name,
        }
    try:
        pk = int(_ids(value)[0])
        party = Party.objects.get(pk=pk, agency_id=agency_id or 0)
    except (TypeError, ValueError, IndexError, Party.DoesNotExist) as exc:
        raise _InvalidError(gettext("“%(label)s”须为本机关登记的当事人。") % {"label": label}) from exc
    return party_snapshot(party)


def _list(spec: dict[str, Any], value: Any, agency_id: int | None) -> list[Any]:
    label = _label(spec)
    if isinstance(value, str):
        value = [line for line in value.splitlines()]
    if not isinstance(value, list | tuple):
        raise _InvalidError(gettext("“%(label)s”须为列表。") % {"label": label})
    items = spec.get("item_fields")
    if not items:
        out = []
        for item in value:
            if not isinstance(item, str):
                raise _InvalidError(gettext("“%(label)s”的每一项须为文字。") % {"label": label})
            if item.strip():
                out.append(_text({**spec, "kind": FieldKind.TEXT}, item, agency_id))
        return out
    rows = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise _InvalidError(gettext("“%(label)s”第%(n)d项格式无效。") % {"label": label, "n": n})
        if all(is_empty(v) for v in item.values()):
            continue
        row, problems = clean(items, item, agency_id=agency_id or 0, strict=True)
        if problems:
            raise _InvalidError(
                gettext("“%(label)s”第%(n)d项：%(problems)s")
                % {"label": label, "n": n, "problems": "".join(problems)}
            )
        rows.append(row)
    return rows


_CLEANERS = {
    FieldKind.TEXT: _text,
    FieldKind.TEXTAREA: _text,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.MONEY: _money,
    FieldKind.INTEGER: _integer,
    FieldKind.CHOICE: _choice,
    FieldKind.BOOLEAN: _boolean,
    FieldKind.OFFICERS: _officers,
    FieldKind.PARTY: _party,
    FieldKind.LIST: _list,
}
