"""Chinese identity numbers: 公民身份号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Validators raise :class:`~django.core.exceptions.ValidationError` with a Chinese message that says what is
wrong (length, character, check character, birth date), so that a form can show it as it is.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weights are 3^i mod 31.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_SPACES = re.compile(r"\s+")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


def normalise_resident_id(value: str) -> str:
    """Drop spaces (also full-width ones) and write the check character ``x`` as ``X``."""
    return _SPACES.sub("", value or "").upper()


def normalise_credit_code(value: str) -> str:
    """Drop spaces and upper-case; the code itself uses upper-case letters only."""
    return _SPACES.sub("", value or "").upper()


def resident_id_check_digit(first17: str) -> str:
    """The MOD 11-2 check character (``0``–``9`` or ``X``) for the first 17 digits of a 公民身份号码."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("first17 must be 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def credit_code_check_char(first17: str) -> str:
    """The MOD 31 check character for the first 17 characters of a 统一社会信用代码."""
    if len(first17) != 17 or any(c not in CREDIT_CODE_CHARSET for c in first17):
        raise ValueError("first17 must be 17 characters of the GB 32100 character set")
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def _birth_date(resident_id: str) -> datetime.date | None:
    digits = resident_id[6:14]
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_resident_id(value: str, *, today: datetime.date | None = None) -> None:
    """Check a 公民身份号码: 18 characters, digits, a real birth date not after today, the check digit.

    A lower-case ``x`` and spaces are accepted here; store the value through :func:`normalise_resident_id`.
    """
    rid = normalise_resident_id(value)
    if len(rid) != 18:
        raise ValidationError(
            _("公民身份号码应为18位，当前为%(length)s位。"),
            code="resident_id_length",
            params={"length": len(rid)},
        )
    for position, char in enumerate(rid[:17], start=1):
        if not (char.isascii() and char.isdigit()):
            raise ValidationError(
                _("公民身份号码前17位应为数字，第%(position)s位“%(char)s”不是数字。"),
                code="resident_id_character",
                params={"position": position, "char": char},
            )
    if rid[17] not in "0123456789X":
        raise ValidationError(
            _("公民身份号码第18位（校验码）应为数字或X，当前为“%(char)s”。"),
            code="resident_id_character",
            params={"char": rid[17]},
        )
    birth = _birth_date(rid)
    if birth is None:
        raise ValidationError(
            _("公民身份号码中的出生日期%(digits)s不是有效日期。"),
            code="resident_id_birth_date",
            params={"digits": rid[6:14]},
        )
    if birth > (today or timezone.localdate()):
        raise ValidationError(
            _("公民身份号码中的出生日期%(date)s晚于今天。"),
            code="resident_id_birth_date",
            params={"date": birth.isoformat()},
        )
    expected = resident_id_check_digit(rid[:17])
    if rid[17] != expected:
        raise ValidationError(
            _("公民身份号码校验码错误：第18位应为“%(expected)s”，实际为“%(actual)s”。"),
            code="resident_id_check_digit",
            params={"expected": expected, "actual": rid[17]},
        )


def validate_credit_code(value: str) -> None:
    """Check a 统一社会信用代码: 18 characters of the GB 32100 set and the MOD 31 check character.

    The 组织机构代码 embedded in positions 9–17 has its own check digit, which is deliberately *not*
    checked: codes issued to 个体工商户 and many other registrants carry a body that does not pass it,
    while the MOD 31 check covers the whole code.
    """
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)s位。"),
            code="credit_code_length",
            params={"length": len(code)},
        )
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CODE_CHARSET:
            raise ValidationError(
                _(
                    "统一社会信用代码第%(position)s位“%(char)s”不是有效字符"
                    "（只能使用数字和除I、O、S、V、Z以外的大写字母）。"
                ),
                code="credit_code_character",
                params={"position": position, "char": char},
            )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验码错误：第18位应为“%(expected)s”，实际为“%(actual)s”。"),
            code="credit_code_check_char",
            params={"expected": expected, "actual": code[17]},
        )


def resident_id_birth_date(resident_id: str) -> datetime.date:
    """The birth date written in positions 7–14 of a 公民身份号码."""
    birth = _birth_date(normalise_resident_id(resident_id))
    if birth is None:
        raise ValueError("resident id carries no valid birth date")
    return birth


def resident_id_sex(resident_id: str) -> Sex:
    """The sex given by the 17th digit (the sequence code): odd for men, even for women."""
    rid = normalise_resident_id(resident_id)
    if len(rid) != 18 or not rid[16].isdigit():
        raise ValueError("resident id must have 18 characters")
    return Sex.MALE if int(rid[16]) % 2 else Sex.FEMALE


def age_on(resident_id: str, on: datetime.date) -> int:
    """Full years of age (周岁) on ``on``, as 行政处罚法 Art.30 counts them (不满十四周岁 / 十四至十八周岁).

    A 周岁 is completed only from the day *after* the birthday (最高人民法院 法释〔2006〕1号 Art.2, read
    across from criminal law; 民法典 Art.201 gives the same), so on their fourteenth birthday a person is
    still 13. Someone born on 29 February completes a year on 1 March in a common year (民法典 Art.202: with
    no corresponding day the period ends on the last day of the month).
    """
    birth = resident_id_birth_date(resident_id)
    if on < birth:
        raise ValueError("date is before the birth date")
    try:
        birthday = birth.replace(year=on.year)
    except ValueError:  # 29 February in a common year
        birthday = datetime.date(on.year, 2, 28)
    return max(0, on.year - birth.year - (1 if on <= birthday else 0))


def mask_resident_id(resident_id: str) -> str:
    """Masked for display: the address code and the last four characters stay (``341523********0014``)."""
    rid = normalise_resident_id(resident_id)
    if len(rid) <= 10:
        return "*" * len(rid)
    return rid[:6] + "*" * (len(rid) - 10) + rid[-4:]
