"""Reading the CSV files agencies and banks export: the encoding guessed, the delimiter sniffed, a row cap.

Callers turn the two exceptions into their own Chinese messages, which name the file's purpose.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any


class UnknownEncoding(ValueError):  # noqa: N818 (a reason, read by the caller)
    """The bytes are neither UTF-8, UTF-16 with a BOM, nor GB18030."""


class TooManyRows(ValueError):  # noqa: N818
    """The file has more rows than the caller accepts."""


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030, a superset of the GBK Excel writes."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnknownEncoding from exc


def read_csv_grid(content: bytes, *, max_rows: int, cell: Callable[[Any], str]) -> list[list[str]]:
    """The rows of a CSV (comma or tab separated) as lists of ``cell(value)``; at most ``max_rows`` rows."""
    text = decode_text(content)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    grid: list[list[str]] = []
    for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(grid) >= max_rows:
            raise TooManyRows
        grid.append([cell(v) for v in values])
    return grid
