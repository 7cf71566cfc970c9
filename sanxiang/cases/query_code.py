"""The query code (查询码) of a case: what a party enters with the case number to see its progress.

国办发〔2018〕118号 asks for 办理进度查询 among what is shown to the public during enforcement (事中公示). The
code is printed on the documents the party receives; it is not stored but derived: a keyed HMAC-SHA256 of the
case's id under ``settings.QUERY_CODE_KEY`` (by default derived from the secret key), cut to 8 characters of
Crockford's base32 (40 bits). Without the key nobody can compute another case's code, and the portal refuses
and rate-limits wrong codes, so 40 bits are far beyond what can be guessed.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import Any

from django.conf import settings

__all__ = ["ALPHABET", "LENGTH", "case_query_code", "normalise_query_code", "query_code_matches"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
LENGTH = 8
# What a reader may type for a character that is not in the alphabet (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _key() -> bytes:
    own = getattr(settings, "QUERY_CODE_KEY", "")
    if own:
        return str(own).encode()
    return hashlib.sha256(b"sanxiang.query-code:" + str(settings.SECRET_KEY).encode()).digest()


def case_query_code(case: Any) -> str:
    """The case's code, printed as ``ABCD-EFGH``."""
    digest = hmac.new(_key(), f"case:{case.pk}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest[:5], "big")
    chars = [ALPHABET[(value >> shift) & 31] for shift in range(35, -1, -5)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def normalise_query_code(text: str) -> str:
    """What the party typed, as the code is printed: upper case, look-alike letters read, no separators."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum()).translate(
        _READ_AS
    )
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == LENGTH else plain


def query_code_matches(case: Any, text: str) -> bool:
    """Whether ``text`` is the case's code, compared in constant time."""
    return hmac.compare_digest(case_query_code(case), normalise_query_code(text))
