"""履行方式和期限 of a penalty decision follows the penalties it imposes (行政处罚法 Art.59, 67, 72)."""

from __future__ import annotations

from sanxiang.cases.models import PenaltyKind
from sanxiang.documents.prefill import performance_text


def test_a_fine_is_paid_within_fifteen_days_and_bears_the_daily_surcharge_when_late() -> None:
    text = performance_text({PenaltyKind.FINE})
    assert "十五日内" in text and "缴纳罚款（行政处罚法第六十七条）" in text
    assert "百分之三加处罚款" in text


def test_a_warning_alone_speaks_of_no_payment() -> None:
    text = performance_text({PenaltyKind.WARNING})
    assert "缴纳" not in text and "加处罚款" not in text
    assert text == "警告自本决定书送达之日起执行。"


def test_confiscated_gains_are_paid_but_bear_no_surcharge() -> None:
    text = performance_text({PenaltyKind.CONFISCATE_GAINS, PenaltyKind.ORDER_SUSPENSION})
    assert "缴纳没收的违法所得" in text
    assert "加处罚款" not in text
    assert text.endswith("责令停产停业自本决定书送达之日起执行。")


def test_a_fine_with_confiscated_gains_names_both() -> None:
    text = performance_text({PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.WARNING})
    assert "缴纳罚款和没收的违法所得" in text
    assert "加处罚款" in text and text.endswith("警告自本决定书送达之日起执行。")


def test_before_any_penalty_is_recorded_the_draft_offers_the_terms_of_a_fine() -> None:
    assert performance_text(set()) == performance_text({PenaltyKind.FINE})
