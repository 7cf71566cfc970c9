"""Reading a bank statement (银行对账单 / 交易明细) and finding decision numbers in its memos.

Pure functions, no database. Banks export CSV (UTF-8 or GBK) or XLSX with a title block above the header and
headers that differ from bank to bank (交易日期 or 记账日期, 贷方金额 or 金额, 流水号 or 交易流水号 …).
``parse_statement`` finds the header, maps it, and returns the incoming (credit) rows; every problem is
reported by the row number the spreadsheet shows.

Fines are paid into the bank, never to the agency (行政处罚法 Art.67, 罚缴分离), so a statement line is the
evidence of payment: its transaction number identifies it, and the same transaction is never applied twice.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sanxiang.core.tabular import TooManyRows, UnknownEncoding, read_csv_grid

MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 15


class StatementError(ValueError):
    """The file cannot be read as a bank statement; ``errors`` says why, in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# field -> headers banks use for it (compared after normalising spaces, width and brackets).
HEADERS: dict[str, tuple[str, ...]] = {
    "booked_on": ("交易日期", "记账日期", "入账日期", "交易时间", "记账时间", "日期", "交易日"),
    "credit": ("贷方金额", "贷方发生额", "收入金额", "收入", "存入金额", "入账金额", "贷方"),
    "debit": ("借方金额", "借方发生额", "支出金额", "支出", "借方"),
    "amount": ("金额", "交易金额", "发生额"),
    "transaction_number": (
        "流水号",
        "交易流水号",
        "银行流水号",
        "交易流水",
        "交易序号",
        "凭证号",
        "交易参考号",
        "回单编号",
        "回单号",
    ),
    "memo": ("摘要", "附言", "备注", "用途", "交易附言", "交易摘要", "摘要/附言"),
    "payer_name": ("付款人", "对方户名", "付款人名称", "对方账户名称", "对方名称", "付款方户名", "付款方"),
}
REQUIRED = ("booked_on", "transaction_number", "memo")


@dataclass(frozen=True)
class StatementRow:
    """One incoming transfer: the bank's transaction number, the day it was booked, amount in fen, memo."""

    row: int
    booked_on: datetime.date
    amount_fen: int
    transaction_number: str
    memo: str
    payer_name: str


@dataclass
class ParsedStatement:
    rows: list[StatementRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    header_row: int = 0
    skipped_outgoing: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------------------
# Decision numbers


_OPENING = "〔【[［﹝〖"
_CLOSING = "〕】]］﹞〗"
_NUMBER_TABLE = str.maketrans({**dict.fromkeys(_OPENING, "["), **dict.fromkeys(_CLOSING, "]")})
_SPACES = re.compile(r"\s+")
_SERIAL = re.compile(r"\](?:第)?0*(\d+)")


def normalise_number(text: str) -> str:
    """A decision number or memo in one canonical spelling, for matching only (never stored or shown).

    Full-width characters become ASCII (NFKC: （）→ ()), every kind of square bracket (〔〕【】[]［］) becomes
    [ ], spaces are removed, and the serial loses a 第 and leading zeros: “( 舒 )应急罚[2026]第012号” and
    “（舒）应急罚〔2026〕12号” are the same number.
    """
    text = unicodedata.normalize("NFKC", text).translate(_NUMBER_TABLE)
    text = _SPACES.sub("", text)
    return _SERIAL.sub(r"]\1", text)


def number_key(decision_number: str) -> str:
    """The part of a decision number looked for in memos: normalised, without the final 号."""
    key = normalise_number(decision_number)
    return key.removesuffix("号")


def find_numbers(memo: str, keys: dict[str, Any]) -> list[Any]:
    """The values of ``keys`` (``number_key`` → anything) whose number appears in ``memo``.

    A key only counts where the next character is not a digit, so “…〔2026〕1号” is not found in
    “…〔2026〕12号”; the 号 itself may be missing from the memo.
    """
    text = normalise_number(memo)
    found = []
    for key, value in keys.items():
        start = text.find(key)
        while start != -1:
            end = start + len(key)
            if end >= len(text) or not text[end].isdigit():
                found.append(value)
                break
            start = text.find(key, start + 1)
    return found


# ---------------------------------------------------------------------------------------------------------
# Cells


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s:：*＊]", "", text)
    # "金额(元)", "贷方金额（人民币）": the unit in brackets does not change the column.
    return re.sub(r"\(.*?\)", "", text)


_HEADER_TABLE = {_norm_header(alias): name for name, aliases in HEADERS.items() for alias in aliases}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)"),
)


def parse_date(text: str) -> datetime.date:
    """2026-03-05, 2026/3/5, 2026.03.05, 2026年3月5日, 20260305, each optionally followed by a time."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    raise ValueError(text)


def parse_amount_fen(text: str) -> int:
    """An amount in 元 as banks print it (“1,000.00”, “¥200”, “200.5元”) as integer fen; exact, or refused."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"[,\s¥￥元]|RMB|CNY", "", text)
    if not text:
        return 0
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(text)
    return int(fen)


# ---------------------------------------------------------------------------------------------------------
# Files


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        return read_csv_grid(content, max_rows=MAX_ROWS, cell=_cell_text)
    except UnknownEncoding as exc:
        raise StatementError([_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV。")]) from exc
    except TooManyRows as exc:
        raise StatementError([_("文件超过 %(max)s 行，请按日期分段导出。") % {"max": MAX_ROWS}]) from exc


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl  # heavy; only the importer needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a file that is not a workbook
        raise StatementError([_("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。")]) from exc
    try:
        sheet = workbook.active
        if sheet is None:
            raise StatementError([_("Excel 文件中没有工作表。")])
        grid: list[list[str]] = []
        for values in sheet.iter_rows(min_row=1, values_only=True):
            if len(grid) >= MAX_ROWS:
                raise StatementError([_("文件超过 %(max)s 行，请按日期分段导出。") % {"max": MAX_ROWS}])
            grid.append([_cell_text(v) for v in values])
    finally:
        workbook.close()
    return grid


def read_grid(file_name: str, content: bytes) -> list[list[str]]:
    if content[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    if file_name.lower().endswith((".csv", ".txt")):
        return _read_csv(content)
    raise StatementError([_("只能导入 .xlsx 或 .csv 格式的对账单。")])


def _find_header(grid: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, value in enumerate(values):
            name = _HEADER_TABLE.get(_norm_header(value))
            if name and name not in columns:
                columns[name] = position
        has_amount = "credit" in columns or "amount" in columns
        if has_amount and all(name in columns for name in REQUIRED):
            return index, columns
    return None


def parse_statement(file_name: str, content: bytes) -> ParsedStatement:
    """The incoming transfers of a statement. Outgoing rows (借方 only, or negative amounts) are skipped."""
    result = ParsedStatement()
    try:
        grid = read_grid(file_name, content)
    except StatementError as exc:
        result.errors = exc.errors
        return result
    found = _find_header(grid)
    if found is None:
        result.errors = [
            _(
                "未找到表头：对账单须有交易日期（或记账日期）、金额（或贷方金额）、流水号（或交易流水号）"
                "和摘要（或附言、备注）列。"
            )
        ]
        return result
    header_index, columns = found
    result.header_row = header_index + 1
    amount_column = columns.get("credit", columns.get("amount"))
    seen: dict[str, int] = {}

    def cell(values: list[str], name: str) -> str:
        position = columns.get(name)
        if position is None or position >= len(values):
            return ""
        return values[position]

    for index in range(header_index + 1, len(grid)):
        values = grid[index]
        row = index + 1
        if not any(values):
            continue
        number = cell(values, "transaction_number")
        raw_date = cell(values, "booked_on")
        raw_amount = (
            values[amount_column] if amount_column is not None and amount_column < len(values) else ""
        )
        if not number and not raw_amount:
            continue  # a total or a note under the table
        try:
            booked_on = parse_date(raw_date)
        except ValueError:
            if not number:
                continue  # “合计”, “本页小计” …
            result.errors.append(
                _("第 %(row)s 行：无法识别交易日期“%(value)s”。") % {"row": row, "value": raw_date}
            )
            continue
        try:
            amount = parse_amount_fen(raw_amount)
        except ValueError:
            result.errors.append(
                _("第 %(row)s 行：无法识别金额“%(value)s”。") % {"row": row, "value": raw_amount}
            )
            continue
        if amount <= 0:
            result.skipped_outgoing += 1
            continue
        if not number:
            result.errors.append(_("第 %(row)s 行：缺少交易流水号。") % {"row": row})
            continue
        if number in seen:
            result.errors.append(
                _("第 %(row)s 行：交易流水号 %(number)s 与第 %(first)s 行重复。")
                % {"row": row, "number": number, "first": seen[number]}
            )
            continue
        seen[number] = row
        result.rows.append(
            StatementRow(
                row=row,
                booked_on=booked_on,
                amount_fen=amount,
                transaction_number=number,
                memo=cell(values, "memo"),
                payer_name=cell(values, "payer_name"),
            )
        )
    if not result.rows and not result.errors:
        result.errors.append(_("对账单中没有收入（贷方）交易。"))
    return result
