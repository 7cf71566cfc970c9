"""Amounts of money: integer fen in figures and in capital Chinese numerals (大写金额).

Documents state an amount twice, in figures and in capitals, so that neither can be altered alone. The
capitals follow the People's Bank of China rules for filling in bills and settlement vouchers
(《正确填写票据和结算凭证的基本规定》, 银发〔1997〕393号 附件 and 《支付结算办法》):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside groups of four and 万 / 亿 between groups;
- a ten is written 壹拾 even at the front (10 元 → 壹拾元整), so that nothing can be put in front of it;
- one 零 stands for any run of zeros between non-zero digits, across 万 and 亿 as well
  (10005 元 → 壹万零伍元整, 100001000 元 → 壹亿零壹仟元整); no 零 after 元 when the 元 digit is zero but
  角 is not. Where the rules allow both forms we write the second of their examples:
  107000.53 → 壹拾万零柒仟元伍角叁分, 1680.32 → 壹仟陆佰捌拾元叁角贰分;
- 零 after 元 when 角 is zero and 分 is not (100.05 → 壹佰元零伍分);
- 整 after 元 when there is no 角 and no 分; nothing after 角 or 分.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

__all__ = ["MAX_FEN", "amount_in_words", "amount_with_words", "yuan_figures"]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS_IN_GROUP = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")

# The largest amount the group units can name: 9999 9999 9999 元 9 角 9 分 (up to 仟亿).
MAX_FEN = 10**14 - 1


def _checked(fen: int) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise ValueError(_("金额必须是以分为单位的整数。"))
    if fen < 0:
        raise ValueError(_("金额不能为负数。"))
    if fen > MAX_FEN:
        raise ValueError(_("金额超出可书写的范围（须小于壹万亿元）。"))
    return fen


def _yuan_in_words(yuan: int) -> str:
    """The integer part, without 元; empty for zero."""
    digits = str(yuan) if yuan else ""
    out: list[str] = []
    zero_pending = False
    for position, char in enumerate(digits):
        place = len(digits) - 1 - position  # 0 = 元 digit
        group, unit = divmod(place, 4)
        digit = int(char)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[digit] + _UNITS_IN_GROUP[unit])
        if unit == 0 and group > 0:
            # close the group with 万 / 亿 when any of its four digits was written
            group_digits = digits[max(0, position - 3) : position + 1]
            if group_digits.strip("0"):
                out.append(_GROUP_UNITS[group])
    return "".join(out)


def amount_in_words(fen: int) -> str:
    """The amount in capital Chinese numerals: 3000000 → 叁万元整, 123456 → 壹仟贰佰叁拾肆元伍角陆分.

    ``fen`` is an integer number of fen; a negative amount, a non-integer or more than 仟亿 is refused
    with a ValueError whose message is Chinese.
    """
    fen = _checked(fen)
    if fen == 0:
        return "零元整"
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = _yuan_in_words(yuan)
    if yuan:
        words += "元"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen_digit and yuan:
        words += "零"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    if not cents:
        words += "整"
    return words


def yuan_figures(fen: int) -> str:
    """The amount in figures as printed on documents, without separators: 3000000 → "30000.00"."""
    whole, cents = divmod(_checked(fen), 100)
    return f"{whole}.{cents:02d}"


def amount_with_words(fen: int) -> str:
    """Figures and capitals together, as a document states an amount: "30000.00元（叁万元整）"."""
    return f"{yuan_figures(fen)}元（{amount_in_words(fen)}）"
