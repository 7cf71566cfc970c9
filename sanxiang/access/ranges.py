"""The ``Range`` header of a media request (RFC 9110 §14): one byte range, as players send while seeking."""

from __future__ import annotations

import re

_SINGLE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiableError(Exception):
    """The range lies wholly outside the file: answered with 416 and ``Content-Range: bytes */size``."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, stop)`` with ``stop`` exclusive, or ``None`` to send the whole file.

    A missing, malformed or multi-range header is ignored and the whole file is sent (RFC 9110 §14.2 lets a
    server ignore a range it does not support); a suffix range ``-n`` is the last ``n`` bytes.
    """
    if not header:
        return None
    match = _SINGLE.match(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiableError
        return max(size - suffix, 0), size
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiableError
    stop = size if not last else min(int(last) + 1, size)
    return start, stop
