"""Field validators specific to parties."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,30}[0-9]$")


def validate_phone(value: str) -> None:
    """A mobile or fixed-line number: digits, spaces and hyphens, optionally led by ``+``."""
    if not _PHONE.match(value):
        raise ValidationError(
            _("联系电话格式不正确：只能包含数字、空格和“-”，如 13800001234 或 0564-8621234。"),
            code="phone",
        )
