"""The rule engine: which rules of a catalog, and which statutory cases, require a case's legal review.

:func:`evaluate` is a pure function of a catalog (its rules and catch-alls) and the facts of a case, so the
catalogs of domain.md §4 are tested as tables. Thresholds are in fen with an explicit inclusive flag: local
catalogs say both 以上（含本数） and 以上（不含本数）, and 行政处罚法 does not define 以上.

行政处罚法第五十八条 applies whatever the catalog says: a case (一) 涉及重大公共利益 (recorded as a major
case), (二) decided after a hearing, (三) 疑难复杂、涉及多个法律关系 (recorded as complex) is always reviewed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from sanxiang.cases.models import PenaltyKind
from sanxiang.parties.models import PartyKind
from sanxiang.review.models import ACT_KINDS, CatchAll

__all__ = [
    "CHANGZHI",
    "GONGYI",
    "WORK_SAFETY",
    "CatalogSpec",
    "Facts",
    "RuleSpec",
    "Trigger",
    "evaluate",
    "yuan",
]


def yuan(fen: int) -> str:
    """An amount in fen as 元 with two decimals and thousands separators: 2000000 → "20,000.00"."""
    return f"{fen / 100:,.2f}"


@dataclass(frozen=True)
class RuleSpec:
    """A rule of a catalog (saved as a CatalogRule, or evaluated as it stands)."""

    act_kind: str
    subject_type: str = ""
    threshold_fen: int | None = None
    inclusive: bool = True
    triggers_hearing_notice: bool = False
    triggers_collective_discussion: bool = False
    text: str = ""


@dataclass(frozen=True)
class CatalogSpec:
    """A whole catalog: what an agency publishes as one version."""

    title: str
    rules: tuple[RuleSpec, ...]
    catch_alls: frozenset[str] = frozenset(c.value for c in CatchAll)
    basis: str = ""


@dataclass(frozen=True)
class Facts:
    """What the rules read of a case: the parties' kinds, the penalties (kind, amount in fen), other acts
    (coercive measures, permits) and the statutory flags."""

    subject_kinds: frozenset[str]
    penalties: tuple[tuple[str, int], ...] = ()
    acts: frozenset[str] = frozenset()
    hearing_held: bool = False
    is_major: bool = False
    is_complex: bool = False


@dataclass(frozen=True)
class Trigger:
    """Why review is required: a rule, a statutory case or a reason the handler added."""

    code: str
    label: str
    why: str
    rule: int | None = None
    hearing: bool = False
    discussion: bool = False
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("extra")
        return out


def _label(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def _amounts(penalties: Iterable[tuple[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for kind, amount in penalties:
        totals[kind] += amount
    return totals


def rule_text(rule: Any) -> str:
    """The rule in words, as the catalog would print it when it has no wording of its own."""
    if getattr(rule, "text", ""):
        return str(rule.text)
    subject = _label(PartyKind.choices, rule.subject_type) if rule.subject_type else gettext("当事人")
    act = _label(ACT_KINDS, rule.act_kind)
    if rule.threshold_fen is None:
        return gettext("对%(subject)s作出%(act)s") % {"subject": subject, "act": act}
    bound = gettext("以上（含本数）") if rule.inclusive else gettext("以上（不含本数）")
    return gettext("对%(subject)s%(act)s%(amount)s元%(bound)s") % {
        "subject": subject,
        "act": act,
        "amount": yuan(rule.threshold_fen),
        "bound": bound,
    }


def _match(rule: Any, facts: Facts, totals: dict[str, int]) -> str | None:
    """Why ``rule`` applies to ``facts``, in Chinese, or None."""
    if rule.subject_type and rule.subject_type not in facts.subject_kinds:
        return None
    subject = _label(PartyKind.choices, rule.subject_type) if rule.subject_type else ""
    act = _label(ACT_KINDS, rule.act_kind)
    if rule.act_kind not in PenaltyKind.values:
        if rule.act_kind not in facts.acts:
            return None
        return gettext("拟作出%(act)s") % {"act": act}
    if rule.act_kind not in totals:
        return None
    amount = totals[rule.act_kind]
    if rule.threshold_fen is None:
        why = gettext("拟给予%(act)s") % {"act": act}
    else:
        reached = amount >= rule.threshold_fen if rule.inclusive else amount > rule.threshold_fen
        if not reached:
            return None
        why = gettext("拟%(act)s%(amount)s元，%(cmp)s%(threshold)s元") % {
            "act": act,
            "amount": yuan(amount),
            "cmp": gettext("达到") if rule.inclusive else gettext("超过"),
            "threshold": yuan(rule.threshold_fen),
        }
    if subject:
        why += gettext("，当事人为%(subject)s") % {"subject": subject}
    return why


# 行政处罚法第五十八条第一款: the cases the statute itself names (msgids, translated when shown).
STATUTORY: tuple[tuple[str, str, str], ...] = (
    (
        "art58_major",
        "is_major",
        gettext_noop("涉及重大公共利益的重大案件（行政处罚法第五十八条第一款第一项）"),
    ),
    ("art58_hearing", "hearing_held", gettext_noop("经过听证程序的（行政处罚法第五十八条第一款第二项）")),
    (
        "art58_complex",
        "is_complex",
        gettext_noop("案件情况疑难复杂、涉及多个法律关系的（行政处罚法第五十八条第一款第三项）"),
    ),
)


def statutory(facts: Facts) -> list[Trigger]:
    """The cases of 行政处罚法第五十八条 that apply to ``facts``; every catalog includes them."""
    return [
        Trigger(code, gettext(label), gettext("法定情形，不因目录清单而免除"))
        for code, flag, label in STATUTORY
        if getattr(facts, flag)
    ]


def evaluate(rules: Sequence[Any], facts: Facts) -> list[Trigger]:
    """The triggers of ``facts`` under ``rules`` (CatalogRule rows or RuleSpecs), then the statutory ones.

    Each rule that applies yields one trigger naming the rule and saying why; the rule's position (1-based)
    is its code, so a stored trigger names the rule of the version that judged the case.
    """
    totals = _amounts(facts.penalties)
    found = []
    for position, rule in enumerate(rules, start=1):
        why = _match(rule, facts, totals)
        if why is not None:
            found.append(
                Trigger(
                    f"rule:{position}",
                    rule_text(rule),
                    why,
                    rule=getattr(rule, "pk", None),
                    hearing=rule.triggers_hearing_notice,
                    discussion=rule.triggers_collective_discussion,
                )
            )
    return [*found, *statutory(facts)]


def catch_all_triggers(codes: Iterable[str], listed: Iterable[str], note: str = "") -> list[Trigger]:
    """The catch-all circumstances the handler names (only those the catalog lists), and a free reason."""
    allowed = set(listed)
    found = [
        Trigger(f"catch_all:{c.value}", str(c.label), gettext("承办机构提出"))
        for c in CatchAll
        if c.value in codes and c.value in allowed
    ]
    if note.strip():
        found.append(Trigger("added", gettext("承办机构补充的理由"), note.strip()))
    return found


# ----------------------------------------------------------------------------------------------------
# Catalogs from domain.md §4, as published by real agencies.

WAN = 1_000_000  # 1万元 in fen
P, IB, ORG = PartyKind.PERSON, PartyKind.INDIVIDUAL_BUSINESS, PartyKind.ORGANISATION
K = PenaltyKind
CONFISCATIONS = (K.CONFISCATE_GAINS, K.CONFISCATE_PROPERTY)


def _monetary(
    thresholds: Sequence[tuple[str, int]], *, inclusive: bool, hearing: bool, discussion: bool
) -> tuple[RuleSpec, ...]:
    return tuple(
        RuleSpec(kind, subject, amount, inclusive, hearing, discussion)
        for kind in (K.FINE, *CONFISCATIONS)
        for subject, amount in thresholds
    )


def _severe(kinds: Iterable[str], *, hearing: bool, discussion: bool) -> tuple[RuleSpec, ...]:
    return tuple(RuleSpec(kind, "", None, True, hearing, discussion) for kind in kinds)


SEVERE = (K.ORDER_SUSPENSION, K.ORDER_CLOSURE, K.REVOKE_LICENCE, K.LOWER_QUALIFICATION, K.RESTRICT_EMPLOYMENT)

# An 应急管理局 (domain.md §4): 较大数额罚款 = 个人 ≥ 2万元, 生产经营单位 ≥ 5万元 (含本数); the same threshold
# triggers the hearing notice, the legal review and the collective discussion. An individual business is a
# natural person here (民法典第五十四条), as in the cases app's hearing threshold.
WORK_SAFETY = CatalogSpec(
    title="舒城县应急管理局重大执法决定法制审核目录清单",
    basis="行政处罚法第五十八条；国办发〔2018〕118号；安全生产行政处罚较大数额标准（个人2万元、生产经营单位5万元，含本数）",
    rules=(
        *_monetary(
            ((P, 2 * WAN), (IB, 2 * WAN), (ORG, 5 * WAN)), inclusive=True, hearing=True, discussion=True
        ),
        *_severe(SEVERE, hearing=True, discussion=True),
        *_severe((K.SUSPEND_LICENCE, K.RESTRICT_PRODUCTION), hearing=False, discussion=False),
    ),
)

# 长治市场监管: 自然人或个体户 > 1万 (不含本数), 法人 > 10万 (不含本数), 没收 of equal value; the
# severe kinds; 减轻处罚 beyond the benchmark, major public interest, complex cases.
CHANGZHI = CatalogSpec(
    title="长治市市场监督管理局重大执法决定法制审核目录清单",
    rules=(
        *_monetary(((P, WAN), (IB, WAN), (ORG, 10 * WAN)), inclusive=False, hearing=False, discussion=False),
        *_severe(SEVERE, hearing=False, discussion=False),
    ),
    catch_alls=frozenset({CatchAll.BEYOND_BENCHMARK, CatchAll.PUBLIC_INTEREST, CatchAll.COMPLEX_RELATIONS}),
)

# 巩义市: fine ≥ 1万元 for 公民, ≥ 10万元 for 法人/其他组织; 没收 of equal value; 责令停产停业; 吊销;
# after a hearing; beyond the benchmark; referred by the 承办机构负责人.
GONGYI = CatalogSpec(
    title="巩义市重大行政执法决定法制审核目录清单",
    rules=(
        *_monetary(((P, WAN), (ORG, 10 * WAN)), inclusive=True, hearing=False, discussion=False),
        *_severe((K.ORDER_SUSPENSION, K.REVOKE_LICENCE), hearing=False, discussion=False),
    ),
    catch_alls=frozenset({CatchAll.AFTER_HEARING, CatchAll.BEYOND_BENCHMARK, CatchAll.SECTION_HEAD_REFERRAL}),
)
