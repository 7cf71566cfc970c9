"""Document numbers (文书编号) such as （舒）应急罚〔2026〕12号: format, parse, allocate.

A number is ``（{机关简称}）{文书代码}〔{年度}〕{序号}号`` (domain.md §3.2): the agency's
short name in full-width parentheses, the document code (应急罚; before the 2018 reform 安监罚,
around 2010 安监管罚告), the year in the brackets 〔〕 (U+3014/U+3015), and the serial.

**Allocation.** Serials are drawn from one :class:`~sanxiang.documents.models.NumberSeries` row per (agency,
code, year) for the whole system, inside the transaction that issues the document: the row stays locked until
that transaction ends, so two officers issuing at the same moment queue instead of taking the same serial, and
a rolled-back issue gives its serial back. The serials of a series are therefore unique and gapless.

**Numbers are never reused.** A voided document keeps its number: the void is a new record linked to it, and
the series never goes back, so a number once issued names one document for ever (国办发〔2018〕118号 on
whole-process records; DESIGN.md "Corrections are new records").

**Parsing.** :func:`parse` reads the forms found on published documents and in imported
records — ASCII or full-width parentheses; the year in 〔〕, ［］, [], ﹝﹞ or 【】 (mixed
too); spaces anywhere; full-width digits; ``第`` before the serial; a missing 号; sub-unit
serials such as ``执法二中队-9`` — so that a number quoted in an evidence list can be linked
to its document. :func:`find_all` finds the numbers quoted in running text. ``format`` of
what ``parse`` read gives back the canonical text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext

from sanxiang.agencies.models import Agency
from sanxiang.documents.models import NumberSeries

__all__ = [
    "DocumentNumber",
    "NumberFormatError",
    "TransactionRequiredError",
    "adopt_counters",
    "allocate",
    "allocate_number",
    "find_all",
    "format",
    "parse",
]

# Brackets seen around the year on published documents. NFKC (applied first) already folds ［］ into [] and
# ﹝﹞ into 〔〕, and full-width parentheses into ASCII ones; the others are listed for text read without it.
_OPEN_PAREN = "(（"
_CLOSE_PAREN = ")）"
_OPEN_YEAR = "〔［[﹝【"
_CLOSE_YEAR = "〕］]﹞】"
_HYPHENS = "-－‐‑‒–—"
_DELIMITERS = set(_OPEN_PAREN + _CLOSE_PAREN + _OPEN_YEAR + _CLOSE_YEAR)

_SERIAL = re.compile(r"(?:第)?(?P<serial>\d+)")
# A sub-unit serial keeps its unit's name whole, 第 included (第一中队-3).
_SUB_UNIT_SERIAL = re.compile(rf"(?P<unit>\w*?[^\W\d_]\w*?)[{_HYPHENS}](?P<serial>\d+)")
# Per-case numbering: the second document of a code in case 12 is 12-2 (documents.services, SerialScope).
_CASE_SERIAL = re.compile(rf"(?P<case>\d+)[{_HYPHENS}](?P<serial>\d+)")
_TEXT_AFTER_HAO = re.compile(r"(?:第)?\d+号(?P<rest>.+)")

# A number inside running text: the same parts with optional spaces between them. Each match is handed to
# parse(), so what find_all returns is exactly what parse would make of the quoted text.
_QUOTED = re.compile(
    rf"[{_OPEN_PAREN}]\s*[^\s{re.escape(''.join(_DELIMITERS))}]{{1,20}}?\s*[{_CLOSE_PAREN}]\s*"
    rf"(?:[^\W\d_](?:\s*[^\W\d_]){{0,19}})\s*"
    rf"[{re.escape(_OPEN_YEAR)}]\s*\d{{4}}\s*[{re.escape(_CLOSE_YEAR)}]\s*"
    rf"(?:第\s*)?(?:\w*?[^\W\d_]\w*?\s*[{_HYPHENS}]\s*|\d+\s*[{_HYPHENS}]\s*)?\d+(?:\s*号)?"
)


class NumberFormatError(ValueError):
    """Text that is not a document number, or parts that cannot make one; the message says why, in Chinese."""


class TransactionRequiredError(RuntimeError):
    """A serial asked for outside a transaction: nothing would hold the series row until it is used."""


@dataclass(frozen=True)
class DocumentNumber:
    """The parts of one document number; ``serial`` is text so that 执法二中队-9 survives."""

    agency: str
    code: str
    year: int
    serial: str

    @property
    def serial_int(self) -> int | None:
        """The serial as a number, or None for a sub-unit serial such as 执法二中队-9."""
        return int(self.serial) if self.serial.isdigit() else None

    def __str__(self) -> str:
        return format(agency=self.agency, code=self.code, year=self.year, serial=self.serial)


# ----------------------------------------------------------------------------------------------------
# Format and parse


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def _check_agency(agency: str) -> str:
    if not agency:
        raise NumberFormatError(gettext("缺少机关简称，如“（舒）”。"))
    if not all(char.isalnum() for char in agency):
        raise NumberFormatError(gettext("机关简称“%(agency)s”只能由文字组成。") % {"agency": agency})
    return agency


def _check_code(code: str) -> str:
    if not code:
        raise NumberFormatError(gettext("缺少文书代码，如“应急罚”。"))
    if not all(_is_han(char) for char in code):
        raise NumberFormatError(gettext("文书代码“%(code)s”只能由汉字组成。") % {"code": code})
    return code


def _check_year(year: str) -> int:
    if not year:
        raise NumberFormatError(gettext("缺少年份。"))
    if not (len(year) == 4 and year.isascii() and year.isdigit() and year[0] != "0"):
        raise NumberFormatError(gettext("年份“%(year)s”应为四位数字，如 2026。") % {"year": year})
    return int(year)


def _check_serial(serial: str) -> str:
    """The serial in canonical form: digits without leading zeros, or ``单位-数字`` with an ASCII hyphen."""
    if not serial:
        raise NumberFormatError(gettext("缺少序号。"))
    plain = _SERIAL.fullmatch(serial)
    in_case = None if plain else _CASE_SERIAL.fullmatch(serial)
    if in_case is not None and serial.isascii() and int(in_case["case"]) >= 1 and int(in_case["serial"]) >= 2:
        return f"{int(in_case['case'])}-{int(in_case['serial'])}"
    sub_unit = None if plain else _SUB_UNIT_SERIAL.fullmatch(serial)
    match = plain or sub_unit
    if match is None or not match["serial"].isascii():
        raise NumberFormatError(
            gettext("序号“%(serial)s”无效：应为数字，或单位名加数字，如“执法二中队-9”。") % {"serial": serial}
        )
    number = int(match["serial"])
    if number < 1:
        raise NumberFormatError(gettext("序号应从 1 开始。"))
    return f"{sub_unit['unit']}-{number}" if sub_unit else str(number)


def format(*, agency: str, code: str, year: int, serial: int | str) -> str:
    """``（舒）应急罚〔2026〕12号``: full-width parentheses, 〔〕 and no spaces (domain.md §3.2).

    ``agency`` is the agency's short name (``Agency.short_name``); ``serial`` a positive number or a sub-unit
    serial such as ``执法二中队-9``. Parts that could not be read back raise :class:`NumberFormatError`.
    """
    if isinstance(serial, bool) or not isinstance(serial, int | str):
        raise NumberFormatError(gettext("序号应为正整数或单位名加数字。"))
    _check_agency(agency)
    _check_code(code)
    checked_year = _check_year(str(year))
    checked_serial = _check_serial(str(serial))
    return f"（{agency}）{code}〔{checked_year}〕{checked_serial}号"


def _normalised(text: str) -> str:
    """Full-width digits, letters and hyphens to ASCII; ﹝﹞ to 〔〕; spaces of any width removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _take_until(text: str, closing: str, start: int, message: str) -> tuple[str, int]:
    """The text from ``start`` up to the first of ``closing``, and the index after that character."""
    for index in range(start, len(text)):
        if text[index] in closing:
            return text[start:index], index + 1
    raise NumberFormatError(message)


def parse(text: str) -> DocumentNumber:
    """The parts of a document number written in any of the forms found on published documents.

    Raises :class:`NumberFormatError` (a ValueError) naming, in Chinese, the first part that is wrong.
    """
    raw = text.strip()
    if not raw:
        raise NumberFormatError(gettext("文书编号为空。"))
    number = _normalised(raw)
    if number[0] not in _OPEN_PAREN:
        raise NumberFormatError(
            gettext("“%(text)s”不是文书编号：应以括号中的机关简称开头，如“（舒）应急罚〔2026〕12号”。")
            % {"text": raw}
        )
    agency, after_agency = _take_until(number, _CLOSE_PAREN, 1, gettext("机关简称缺少右括号“）”。"))
    code, after_code = _take_until(
        number, _OPEN_YEAR, after_agency, gettext("缺少年份及其括号，如“〔2026〕”。")
    )
    year, after_year = _take_until(number, _CLOSE_YEAR, after_code, gettext("年份缺少右括号“〕”。"))
    serial = number[after_year:]
    trailing = _TEXT_AFTER_HAO.fullmatch(serial)
    if trailing:
        raise NumberFormatError(gettext("“号”之后不应再有文字：%(rest)s") % {"rest": trailing["rest"]})
    serial = serial.removesuffix("号")
    return DocumentNumber(
        agency=_check_agency(agency),
        code=_check_code(code),
        year=_check_year(year),
        serial=_check_serial(serial),
    )


def find_all(text: str) -> list[DocumentNumber]:
    """The document numbers quoted in running text (an evidence list, a bank memo), in order of appearance.

    Text that only looks like a number (a bracketed year after a parenthesis, but no code or serial) is
    passed over, not reported.
    """
    found: list[DocumentNumber] = []
    for match in _QUOTED.finditer(unicodedata.normalize("NFKC", text)):
        try:
            found.append(parse(match.group(0)))
        except NumberFormatError:
            continue
    return found


# ----------------------------------------------------------------------------------------------------
# Allocate


def _increment(connection: BaseDatabaseWrapper, agency: Agency, code: str, year: int) -> int | None:
    """``last + 1`` of the series, or None when the series has no row yet.

    One UPDATE … RETURNING (PostgreSQL; SQLite ≥ 3.35) instead of the ORM's UPDATE and then SELECT: the row is
    locked from this statement until the transaction ends, so every statement after it lengthens the queue of
    concurrent issuers; a single round trip keeps that time short.
    """
    table, agency_id, code_, year_, last = map(
        connection.ops.quote_name, (NumberSeries._meta.db_table, "agency_id", "code", "year", "last")
    )
    # Only the model's own table and column names are interpolated; the values are parameters.
    sql = (
        f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608
        f"WHERE {agency_id} = %s AND {code_} = %s AND {year_} = %s RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, code, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def allocate(*, agency: Agency, code: str, year: int) -> int:
    """The next serial of the series (agency, code, year): unique and gapless, in the caller's transaction.

    The UPDATE takes the series row's lock and keeps it until the caller's transaction ends, so concurrent
    allocations of one series queue up and a rolled-back transaction gives its serial back. The first
    allocation of a series inserts its row inside a savepoint: when another transaction inserts it first, the
    unique constraint refuses ours, only the savepoint is undone, and the UPDATE then finds theirs.
    """
    _check_code(code)
    _check_year(str(year))
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise TransactionRequiredError(gettext("文书编号须在使用它的事务中分配。"))
    serial = _increment(connection, agency, code, year)
    if serial is None:
        try:
            with transaction.atomic():
                NumberSeries.objects.create(agency=agency, code=code, year=year, last=0)
        except IntegrityError:
            pass
        serial = _increment(connection, agency, code, year)
    if serial is None:  # the row was inserted (by us or by a committed rival) and rows are never deleted
        raise RuntimeError(f"number series {agency.pk}/{code}/{year} vanished")
    return serial


def allocate_number(*, agency: Agency, code: str, year: int) -> str:
    """The next number of the series, formatted: ``（舒）应急罚〔2026〕13号``. See :func:`allocate`."""
    serial = allocate(agency=agency, code=code, year=year)
    return format(agency=agency.short_name, code=code, year=year, serial=serial)


def adopt_counters(series_model: type[Any], counters: Iterable[tuple[int, str, int, int]]) -> int:
    """Raise each series to at least the last serial a counter gave: (agency_id, code, year, last) rows.

    Used by the migrations that moved the cases, inspections and coercion counters into NumberSeries, with
    the historical model passed in. Where a series already exists it keeps the larger of the two, so no
    number already handed out is handed out again. Returns how many series were created or raised.
    """
    changed = 0
    for agency_id, code, year, last in counters:
        row, created = series_model.objects.get_or_create(
            agency_id=agency_id, code=code, year=year, defaults={"last": last}
        )
        if created:
            changed += 1
        elif row.last < last:
            row.last = last
            row.save(update_fields=["last"])
            changed += 1
    return changed
