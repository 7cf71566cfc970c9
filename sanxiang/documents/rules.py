"""Checks a document type names in its ``rules``, made at issue besides the field specs.

Each rule reads the cleaned values and returns the problems as Chinese sentences naming the missing element:

* ``art59`` — 行政处罚决定书 (行政处罚法 Art.59): the six items the decision must state, and the seal.
* ``qz24`` — 查封扣押决定书 (行政强制法 Art.24): the items the decision must state.
* ``no_penalty`` — 不予行政处罚决定书 (Art.33): the reason, the remedies, the organ and the date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext

from sanxiang.documents.fields import is_empty

__all__ = ["ART59_ELEMENTS", "QZ24_ELEMENTS", "check"]

Values = dict[str, Any]


def _filled(*names: str) -> Callable[[Values], bool]:
    return lambda v: all(not is_empty(v.get(n)) for n in names)


def _party_named_and_addressed(v: Values) -> bool:
    party = v.get("party") or {}
    return bool(isinstance(party, dict) and party.get("name") and party.get("address"))


def _penalties_and_basis(v: Values) -> bool:
    penalties = v.get("penalties") or []
    return bool(penalties) and not is_empty(v.get("basis"))


def _remedies(v: Values) -> bool:
    text = v.get("remedies") or ""
    return "复议" in text and "诉讼" in text


# (element as the article words it, test on the values)
ART59_ELEMENTS: tuple[tuple[str, Callable[[Values], bool]], ...] = (
    ("（一）当事人的姓名或者名称、地址", _party_named_and_addressed),
    ("（二）违反法律、法规、规章的事实和证据", _filled("facts", "evidence")),
    ("（三）行政处罚的种类和依据", _penalties_and_basis),
    ("（四）行政处罚的履行方式和期限", _filled("performance")),
    ("（五）申请行政复议、提起行政诉讼的途径和期限", _remedies),
    ("（六）作出行政处罚决定的行政机关名称和作出决定的日期", _filled("agency_name", "decided_on")),
    ("行政机关的印章", _filled("seal")),
)

QZ24_ELEMENTS: tuple[tuple[str, Callable[[Values], bool]], ...] = (
    ("（一）当事人的姓名或者名称、地址", _party_named_and_addressed),
    ("（二）查封、扣押的理由、依据和期限", _filled("reasons", "basis", "period_days")),
    ("（三）查封、扣押场所、设施或者财物的名称、数量等", _filled("items")),
    ("（四）申请行政复议或者提起行政诉讼的途径和期限", _remedies),
    ("（五）行政机关的名称、印章和日期", _filled("agency_name", "decided_on", "seal")),
)

NO_PENALTY_ELEMENTS: tuple[tuple[str, Callable[[Values], bool]], ...] = (
    ("当事人的姓名或者名称、地址", _party_named_and_addressed),
    ("违法事实和证据", _filled("facts", "evidence")),
    ("不予行政处罚的理由（行政处罚法第三十三条）", _filled("reason")),
    ("申请行政复议、提起行政诉讼的途径和期限", _remedies),
    ("作出决定的行政机关名称和日期", _filled("agency_name", "decided_on")),
)

MONETARY = {"fine", "confiscate_gains"}
OUTDATED_LITIGATION = ("三个月", "3个月", "３个月")


def _missing(title: str, article: str, elements: Any, values: Values) -> list[str]:
    missing = [name for name, test in elements if not test(values)]
    if not missing:
        return []
    return [
        gettext("%(title)s缺少%(article)s规定的事项：%(items)s。")
        % {"title": title, "article": article, "items": "；".join(missing)}
    ]


def _remedy_period(values: Values) -> list[str]:
    text = values.get("remedies") or ""
    if "诉讼" in text and any(p in text for p in OUTDATED_LITIGATION):
        return [gettext("提起行政诉讼的期限为六个月（行政诉讼法第四十六条），不是三个月。")]
    return []


def _amounts(values: Values) -> list[str]:
    problems = []
    for n, row in enumerate(values.get("penalties") or [], 1):
        if row.get("kind") in MONETARY and not row.get("amount_fen"):
            problems.append(gettext("第%(n)d项处罚须写明金额。") % {"n": n})
        if row.get("kind") not in {*MONETARY, "confiscate_property"} and row.get("amount_fen"):
            problems.append(gettext("第%(n)d项处罚不填写金额。") % {"n": n})
    return problems


def art59(values: Values) -> list[str]:
    """行政处罚法 Art.59: 决定书 states (一)–(六) and bears the agency's seal."""
    return [
        *_missing(gettext("行政处罚决定书"), gettext("行政处罚法第五十九条"), ART59_ELEMENTS, values),
        *_amounts(values),
        *_remedy_period(values),
    ]


def qz24(values: Values) -> list[str]:
    """行政强制法 Art.24: 查封、扣押决定书 states (一)–(五)."""
    return [
        *_missing(gettext("查封扣押决定书"), gettext("行政强制法第二十四条"), QZ24_ELEMENTS, values),
        *_remedy_period(values),
    ]


def no_penalty(values: Values) -> list[str]:
    return [
        *_missing(
            gettext("不予行政处罚决定书"), gettext("行政处罚法第三十三条"), NO_PENALTY_ELEMENTS, values
        ),
        *_remedy_period(values),
    ]


RULES: dict[str, Callable[[Values], list[str]]] = {"art59": art59, "qz24": qz24, "no_penalty": no_penalty}


def check(rules: list[str], values: Values) -> list[str]:
    problems: list[str] = []
    for name in rules:
        problems.extend(RULES[name](values))
    return problems
