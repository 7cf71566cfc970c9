"""The catalog of document types as data: reading a catalog file, checking it, syncing it into the table.

A catalog file is JSON: ``{"catalog": …, "types": [{"key", "title", "code", "numbered", "code_source",
"stages", "signers", "party_receives", "template", "order", "rules", "note", "fields", "active"?}, …]}``.
The shipped file ``catalog/work_safety.json`` is the national standard set; an agency loads its own file to
add types or to replace national ones for itself (same ``key``).

:func:`sync_types` is shared by the data migration (with the historical model) and by the service
:func:`sanxiang.documents.services.document_catalog_load`; it only touches the columns of migration 0002.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from sanxiang.documents.fields import check_specs
from sanxiang.documents.models import DocumentType, SignerRole

__all__ = [
    "CATALOG_DIR",
    "INSPECTION_STAGE",
    "RULES",
    "CatalogError",
    "SyncResult",
    "check_catalog",
    "read_catalog",
    "shipped_catalog",
    "sync_types",
    "type_for",
    "types_for",
]

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
INSPECTION_STAGE = "inspection"
# Checks made at issue besides the field specs; implemented in sanxiang.documents.rules.
RULES = ("art59", "qz24", "no_penalty")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class CatalogError(ValueError):
    """A catalog file that cannot be loaded; ``problems`` lists every problem, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def shipped_catalog() -> Path:
    return CATALOG_DIR / "work_safety.json"


def read_catalog(path: Path | str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError([gettext("无法读取文书目录文件：%(error)s") % {"error": exc}]) from exc
    check_catalog(data)
    return data


def _stages() -> set[str]:
    from sanxiang.cases.workflow import Stage

    return {*Stage.values, INSPECTION_STAGE}


def check_catalog(data: Any) -> None:
    """Raise :class:`CatalogError` listing every problem of a catalog, or return if it can be loaded."""
    if not isinstance(data, dict) or not isinstance(data.get("types"), list):
        raise CatalogError([gettext("文书目录须为含“types”列表的 JSON 对象。")])
    problems: list[str] = []
    keys: set[str] = set()
    stages = _stages()
    for i, entry in enumerate(data["types"], 1):
        if not isinstance(entry, dict):
            problems.append(gettext("第%(i)d种文书格式无效。") % {"i": i})
            continue
        key = entry.get("key")
        where = str(entry.get("title") or key or i)
        if not isinstance(key, str) or not _KEY.match(key):
            problems.append(
                gettext("%(where)s：标识“%(key)s”须为小写英文标识。") % {"where": where, "key": key}
            )
        elif key in keys:
            problems.append(gettext("%(where)s：标识“%(key)s”重复。") % {"where": where, "key": key})
        else:
            keys.add(key)
        if not isinstance(entry.get("title"), str) or not entry["title"].strip():
            problems.append(gettext("%(where)s：缺少文书名称。") % {"where": where})
        code = entry.get("code", "")
        numbered = entry.get("numbered", bool(code))
        if not isinstance(code, str) or not isinstance(numbered, bool):
            problems.append(gettext("%(where)s：文书代码或编号标志无效。") % {"where": where})
        elif numbered and not code.strip():
            problems.append(gettext("%(where)s：编号的文书须有文书代码。") % {"where": where})
        elif len(code) > 20:
            problems.append(gettext("%(where)s：文书代码过长。") % {"where": where})
        bad_stages = [s for s in entry.get("stages", []) if s not in stages]
        if bad_stages:
            problems.append(
                gettext("%(where)s：未知的阶段 %(stages)s。")
                % {"where": where, "stages": "、".join(map(str, bad_stages))}
            )
        bad_signers = [s for s in entry.get("signers", []) if s not in SignerRole.values]
        if bad_signers:
            problems.append(
                gettext("%(where)s：未知的签名人 %(signers)s。")
                % {"where": where, "signers": "、".join(map(str, bad_signers))}
            )
        bad_rules = [r for r in entry.get("rules", []) if r not in RULES]
        if bad_rules:
            problems.append(
                gettext("%(where)s：未知的签发检查规则 %(rules)s。")
                % {"where": where, "rules": "、".join(map(str, bad_rules))}
            )
        problems.extend(check_specs(entry.get("fields", []), where=where))
    if problems:
        raise CatalogError(problems)


def _values(entry: dict[str, Any]) -> dict[str, Any]:
    code = entry.get("code", "").strip()
    return {
        "title": entry["title"].strip(),
        "code": code,
        "numbered": entry.get("numbered", bool(code)),
        "code_source": entry.get("code_source", ""),
        "fields": entry.get("fields", []),
        "stages": entry.get("stages", []),
        "signers": entry.get("signers", []),
        "rules": entry.get("rules", []),
        "party_receives": bool(entry.get("party_receives", False)),
        "template_name": entry.get("template", entry["key"]),
        "order": int(entry.get("order", 0)),
        "note": entry.get("note", ""),
    }


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    versioned: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "versioned": self.versioned,
            "unchanged": self.unchanged,
        }


def sync_types(
    model: Any, data: dict[str, Any], *, agency_id: int | None, used: Any = None, now: Any = None
) -> SyncResult:
    """Bring the table in line with ``data`` (already checked) for one scope; safe to run twice.

    A type that has not changed is left alone. A changed type is updated in place unless ``used(row)`` says
    issued documents rest on it: then the row stops being current and a new version is written, and drafts
    move to it. Types missing from ``data`` are left as they are (an agency's file may add only a few).
    ``active`` is set only when the file says so; otherwise the admin's choice stands.
    """
    result = SyncResult()
    for entry in data["types"]:
        values = _values(entry)
        current = model.objects.filter(agency_id=agency_id, key=entry["key"], current=True).first()
        if current is None:
            model.objects.create(
                agency_id=agency_id,
                key=entry["key"],
                version=1,
                current=True,
                active=entry.get("active", True),
                **({"created_at": now} if now else {}),
                **values,
            )
            result.created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        if "active" in entry and current.active != entry["active"]:
            changed["active"] = entry["active"]
        if not changed:
            result.unchanged += 1
            continue
        if used is not None and used(current):
            current.current = False
            current.save(update_fields=["current"])
            new = model.objects.create(
                agency_id=agency_id,
                key=entry["key"],
                version=current.version + 1,
                current=True,
                active=changed.get("active", current.active),
                **({"created_at": now} if now else {}),
                **values,
            )
            # Drafts are not legal records yet: they follow the new version and are checked by it at issue.
            current.documents.filter(status="draft").update(type=new)
            result.versioned += 1
        else:
            for key, value in changed.items():
                setattr(current, key, value)
            current.save(update_fields=list(changed))
            result.updated += 1
    return result


def types_for(agency: Any, *, active_only: bool = True) -> list[DocumentType]:
    """The current types an agency uses: its own, and the national ones it has not replaced."""
    agency_id = getattr(agency, "pk", agency)
    rows = DocumentType.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id), current=True)
    chosen: dict[str, DocumentType] = {}
    for row in rows:
        # The agency's own type wins over the national one, in whatever order the rows come.
        if row.key not in chosen or row.agency_id is not None:
            chosen[row.key] = row
    found = [t for t in chosen.values() if t.active or not active_only]
    return sorted(found, key=lambda t: (t.order, t.key))


def type_for(agency: Any, key: str) -> DocumentType | None:
    """The current type called ``key`` for ``agency`` (its own first), active or not; None if unknown."""
    agency_id = getattr(agency, "pk", agency)
    rows = list(
        DocumentType.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id), key=key, current=True)
    )
    own = [r for r in rows if r.agency_id is not None]
    chosen = own or rows
    return chosen[0] if chosen else None
