"""The rule engine with the real catalogs of domain.md §4: thresholds at, one fen below and one fen above, per
subject type, inclusive and exclusive; the non-monetary items; the statutory cases; the catch-alls."""

from __future__ import annotations

from typing import Any

import pytest

from sanxiang.cases.models import PenaltyKind
from sanxiang.parties.models import PartyKind
from sanxiang.review.catalog import (
    CHANGZHI,
    GONGYI,
    WORK_SAFETY,
    CatalogSpec,
    Facts,
    catch_all_triggers,
    evaluate,
)
from sanxiang.review.models import CatchAll

P, IB, ORG = PartyKind.PERSON, PartyKind.INDIVIDUAL_BUSINESS, PartyKind.ORGANISATION
WAN = 1_000_000


def required(spec: CatalogSpec, subject: str, kind: str, fen: int) -> bool:
    facts = Facts(subject_kinds=frozenset({subject}), penalties=((kind, fen),))
    return bool(evaluate(spec.rules, facts))


# (catalog, subject, threshold in fen, inclusive): domain.md §4.
THRESHOLDS = [
    # 应急管理局: 个人 ≥ 2万元, 生产经营单位 ≥ 5万元 (含本数); an individual business is a natural person.
    (WORK_SAFETY, P, 2 * WAN, True),
    (WORK_SAFETY, IB, 2 * WAN, True),
    (WORK_SAFETY, ORG, 5 * WAN, True),
    # 长治市场监管: 自然人或个体户 > 1万 (不含本数), 法人 > 10万 (不含本数).
    (CHANGZHI, P, WAN, False),
    (CHANGZHI, IB, WAN, False),
    (CHANGZHI, ORG, 10 * WAN, False),
    # 巩义市: 公民 ≥ 1万元, 法人或其他组织 ≥ 10万元.
    (GONGYI, P, WAN, True),
    (GONGYI, ORG, 10 * WAN, True),
]


@pytest.mark.parametrize(("spec", "subject", "threshold", "inclusive"), THRESHOLDS)
@pytest.mark.parametrize(
    "kind", [PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY]
)
def test_a_threshold_is_judged_at_the_threshold_one_fen_below_and_one_fen_above(
    spec: CatalogSpec, subject: str, threshold: int, inclusive: bool, kind: str
) -> None:
    assert not required(spec, subject, kind, threshold - 1)
    assert required(spec, subject, kind, threshold) is inclusive
    assert required(spec, subject, kind, threshold + 1)


def test_an_organisation_below_its_threshold_is_not_caught_by_the_person_threshold() -> None:
    assert not required(WORK_SAFETY, ORG, PenaltyKind.FINE, 4 * WAN)
    assert required(WORK_SAFETY, P, PenaltyKind.FINE, 4 * WAN)


def test_a_fine_is_judged_by_its_total_across_the_acts_of_one_case() -> None:
    facts = Facts(
        subject_kinds=frozenset({ORG}), penalties=((PenaltyKind.FINE, 3 * WAN), (PenaltyKind.FINE, 2 * WAN))
    )
    [trigger] = evaluate(WORK_SAFETY.rules, facts)
    assert "50,000.00" in trigger.why and trigger.hearing and trigger.discussion


@pytest.mark.parametrize(
    "kind",
    [
        PenaltyKind.ORDER_SUSPENSION,
        PenaltyKind.ORDER_CLOSURE,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.RESTRICT_EMPLOYMENT,
    ],
)
@pytest.mark.parametrize("subject", [P, IB, ORG])
def test_the_severe_non_monetary_penalties_are_reviewed_whatever_the_subject(kind: str, subject: str) -> None:
    assert required(WORK_SAFETY, subject, kind, 0)
    assert required(CHANGZHI, subject, kind, 0)


def test_a_warning_is_not_in_any_catalog() -> None:
    for spec in (WORK_SAFETY, CHANGZHI, GONGYI):
        assert not required(spec, ORG, PenaltyKind.WARNING, 0)


def test_gongyi_reviews_a_suspension_but_not_a_closure() -> None:
    assert required(GONGYI, ORG, PenaltyKind.ORDER_SUSPENSION, 0)
    assert not required(GONGYI, ORG, PenaltyKind.ORDER_CLOSURE, 0)


@pytest.mark.parametrize(
    ("flag", "code"),
    [("is_major", "art58_major"), ("hearing_held", "art58_hearing"), ("is_complex", "art58_complex")],
)
def test_the_statutory_cases_of_article_58_apply_under_any_catalog(flag: str, code: str) -> None:
    flags: dict[str, Any] = {flag: True}
    facts = Facts(subject_kinds=frozenset({P}), penalties=((PenaltyKind.WARNING, 0),), **flags)
    for rules in (WORK_SAFETY.rules, CHANGZHI.rules, ()):
        assert [t.code for t in evaluate(rules, facts)] == [code]
        assert "第五十八条" in evaluate(rules, facts)[0].label


def test_a_trigger_names_its_rule_and_says_why() -> None:
    facts = Facts(subject_kinds=frozenset({P}), penalties=((PenaltyKind.FINE, 2 * WAN),))
    [trigger] = evaluate(WORK_SAFETY.rules, facts)
    assert trigger.label == "对自然人罚款20,000.00元以上（含本数）"
    assert trigger.why == "拟罚款20,000.00元，达到20,000.00元，当事人为自然人"


def test_the_handler_names_only_the_catch_alls_the_catalog_lists() -> None:
    added = catch_all_triggers(
        [CatchAll.SECTION_HEAD_REFERRAL, CatchAll.AFTER_HEARING], CHANGZHI.catch_alls, "涉及两个以上法律关系"
    )
    assert [t.code for t in added] == ["added"]
    added = catch_all_triggers([CatchAll.BEYOND_BENCHMARK], CHANGZHI.catch_alls)
    assert [t.code for t in added] == ["catch_all:beyond_benchmark"]
