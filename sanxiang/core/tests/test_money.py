"""Amounts in capital Chinese numerals (大写金额), as documents print them beside the figures."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.core.money import MAX_FEN, amount_in_words, amount_with_words, yuan_figures


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (1, "壹分"),
        (10, "壹角"),
        (11, "壹角壹分"),
        (100, "壹元整"),
        (1000, "壹拾元整"),  # a leading ten is written 壹拾
        (1500, "壹拾伍元整"),
        (10000, "壹佰元整"),
        (10005, "壹佰元零伍分"),  # 角 is zero, 分 is not: 零 after 元
        (10050, "壹佰元伍角"),
        (123456, "壹仟贰佰叁拾肆元伍角陆分"),
        (168032, "壹仟陆佰捌拾元叁角贰分"),  # the 元 digit is zero, 角 is not: no 零 (the shorter form)
        (140950, "壹仟肆佰零玖元伍角"),  # one zero inside
        (600714, "陆仟零柒元壹角肆分"),  # a run of zeros is one 零
        (1640902, "壹万陆仟肆佰零玖元零贰分"),
        (32504, "叁佰贰拾伍元零肆分"),
        (1000500, "壹万零伍元整"),
        (1050000, "壹万零伍佰元整"),
        (1500000, "壹万伍仟元整"),
        (3000000, "叁万元整"),
        (10000000, "壹拾万元整"),
        (10700053, "壹拾万零柒仟元伍角叁分"),  # the rules' own example, in its second form
        (101000000, "壹佰零壹万元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),  # zeros across the 万 group are one 零
        (10000100000, "壹亿零壹仟元整"),
        (10001000000, "壹亿零壹万元整"),
        (11000000000, "壹亿壹仟万元整"),
        (100000000000, "壹拾亿元整"),
        (123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        (MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amounts_are_written_in_capitals_by_the_bill_filling_rules(fen: int, words: str) -> None:
    assert amount_in_words(fen) == words


@pytest.mark.parametrize(
    ("fen", "message"),
    [
        (-1, "金额不能为负数。"),
        (MAX_FEN + 1, "金额超出可书写的范围（须小于壹万亿元）。"),
        (1.5, "金额必须是以分为单位的整数。"),
        (True, "金额必须是以分为单位的整数。"),
    ],
)
def test_amounts_that_cannot_be_written_are_refused_in_chinese(fen: int, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        amount_in_words(fen)


def test_a_document_states_the_amount_in_figures_and_in_capitals() -> None:
    assert amount_with_words(3000000) == "30000.00元（叁万元整）"
    assert amount_with_words(5) == "0.05元（伍分）"
    assert yuan_figures(123456) == "1234.56"


_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(words: str) -> int:
    """Reads capitals back into fen by the plain arithmetic of the units; the oracle of the property."""
    total = group = section = 0
    digit = 0
    cents = 0
    for char in words:
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char in _UNIT:
            group += digit * _UNIT[char]
            digit = 0
        elif char == "万":
            section += (group + digit) * 10_000
            group = digit = 0
        elif char == "亿":
            total += (section + group + digit) * 100_000_000
            section = group = digit = 0
        elif char == "元":
            total += section + group + digit
            section = group = digit = 0
        elif char == "角":
            cents += digit * 10
            digit = 0
        elif char == "分":
            cents += digit
            digit = 0
    return total * 100 + cents


# Uniform integers rarely hold runs of zeros; digit strings biased towards 0 reach the tricky cases.
_amounts = st.one_of(
    st.integers(min_value=0, max_value=MAX_FEN),
    st.lists(st.sampled_from("00000123456789"), min_size=1, max_size=14).map(lambda ds: int("".join(ds))),
)


@given(_amounts)
def test_capitals_read_back_to_the_same_amount_and_never_double_a_zero(fen: int) -> None:
    words = amount_in_words(fen)
    assert _read_back(words) == fen
    assert "零零" not in words
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    # 整 closes exactly the whole-元 amounts; 分 appears exactly when there is a 分 digit
    assert words.endswith("整") == (fen % 100 == 0)
    assert ("分" in words) == (fen % 10 != 0)
    assert words == "零元整" or not words.startswith("零")


@given(_amounts.filter(bool))
def test_each_run_of_zeros_inside_the_figures_is_one_zero_in_words(fen: int) -> None:
    yuan, cents = divmod(fen, 100)
    inner_runs = len(re.findall("0+", str(yuan).rstrip("0"))) if yuan else 0
    zero_jiao = 1 if yuan and cents and cents < 10 else 0
    assert amount_in_words(fen).count("零") == inner_runs + zero_jiao
