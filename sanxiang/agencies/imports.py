"""Importing an agency's 权责清单 and 随机抽查事项清单 from the spreadsheets agencies actually keep.

Two steps. ``parse_*`` is pure: it reads an .xlsx or .csv, finds the header under any title rows, maps the
headers (synonyms, spaces, full-width characters, two-row group headers, duplicated columns) onto fields and
validates every row, reporting each problem by the row number Excel shows. ``*_import`` writes: all or
nothing, in one transaction with its audit event, the file taken as the agency's current list.

Text is normalised as follows. Cells are stripped; floats that are whole numbers ("1.0") become integers.
Line breaks inside a cell are Excel's wrapped text: in names, units and other short fields they are joined
(without a space between two Chinese characters, with one otherwise); in 设定依据/检查依据 and 备注 they are
kept, because agencies put one article per line there. Blank rows, the header or title repeated on a new
page, and group headings or notes written across a whole row (“一、行政处罚”, “注：……”) are skipped; the
preview lists the skipped headings.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sanxiang import audit
from sanxiang.agencies.models import Agency, PowerItem, PowerKind, RandomCheckItem, Section
from sanxiang.core.tabular import TooManyRows, UnknownEncoding, read_csv_grid

MAX_ROWS = 10000
HEADER_SEARCH_ROWS = 12
JOIN = "；"


class ListImportError(ValueError):
    """The file cannot be imported; ``errors`` says why, in Chinese, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Column:
    """One field of a list: its label as printed in our template, the other headers agencies use for it."""

    field: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    multiline: bool = False
    single: bool = False  # several columns with this header: take the first value instead of joining them
    max_length: int | None = None


@dataclass(frozen=True)
class ListSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    fill_down: tuple[str, ...] = ()  # group columns: a blank cell repeats the row above (merged in Excel)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    header_row: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    deactivated: int
    sha256: str


def _length(model: Any, name: str) -> int | None:
    max_length: int | None = model._meta.get_field(name).max_length
    return max_length


POWER_LIST = ListSpec(
    name=gettext_noop("权责清单"),
    columns=(
        Column("order", gettext_noop("序号"), ("编号", "排序"), single=True),
        Column(
            "code",
            gettext_noop("事项编码"),
            ("编码", "权力编码", "职权编码", "事项代码", "权力事项编码", "基本编码"),
            single=True,
            max_length=_length(PowerItem, "code"),
        ),
        Column(
            "name",
            gettext_noop("事项名称"),
            ("权力事项名称", "职权名称", "职权事项名称", "权责事项名称", "权力名称", "权力事项", "项目名称"),
            required=True,
            single=True,
            max_length=_length(PowerItem, "name"),
        ),
        Column(
            "kind",
            gettext_noop("职权类型"),
            ("权力类型", "事项类型", "职权类别", "权力类别", "类型", "权力分类"),
            required=True,
            single=True,
        ),
        Column(
            "legal_basis",
            gettext_noop("设定依据"),
            (
                "实施依据",
                "法律依据",
                "依据",
                "设定和实施依据",
                "设定依据及实施依据",
                "法定依据",
                "实施依据及设定依据",
            ),
            required=True,
            multiline=True,
        ),
        Column(
            "unit",
            gettext_noop("承办股室"),
            (
                "承办机构",
                "实施主体",
                "检查主体",
                "责任股室",
                "承办科室",
                "责任科室",
                "承办单位",
                "实施机构",
                "内设机构",
                "责任主体",
                "承办股（室）",
            ),
            single=True,
            max_length=_length(PowerItem, "responsible_unit"),
        ),
        Column("remark", gettext_noop("备注"), ("说明",), multiline=True),
    ),
    key=("name", "kind"),
)

RANDOM_CHECK_LIST = ListSpec(
    name=gettext_noop("随机抽查事项清单"),
    columns=(
        Column("order", gettext_noop("序号"), ("编号",), single=True),
        Column(
            "category",
            gettext_noop("抽查类别"),
            ("类别", "检查类别", "事项类别", "抽查类型", "检查项目"),
            required=True,
            single=True,
            max_length=_length(RandomCheckItem, "category"),
        ),
        Column(
            "item",
            gettext_noop("抽查事项"),
            ("检查事项", "抽查事项名称", "检查事项名称", "检查子项", "抽查内容"),
            required=True,
            single=True,
            max_length=_length(RandomCheckItem, "item"),
        ),
        Column(
            "targets",
            gettext_noop("抽查对象"),
            ("检查对象", "对象", "抽查对象范围", "检查对象范围"),
            required=True,
            max_length=_length(RandomCheckItem, "targets"),
        ),
        Column(
            "basis",
            gettext_noop("检查依据"),
            ("抽查依据", "实施依据", "法律依据", "设定依据", "依据", "法定依据"),
            required=True,
            multiline=True,
        ),
        Column(
            "responsible_unit",
            gettext_noop("承办机构"),
            ("实施主体", "检查主体", "抽查主体", "承办股室", "责任股室", "承办单位", "实施机构", "责任主体"),
            required=True,
            single=True,
            max_length=_length(RandomCheckItem, "responsible_unit"),
        ),
        Column(
            "method",
            gettext_noop("检查方式"),
            ("抽查方式", "方式"),
            max_length=_length(RandomCheckItem, "method"),
        ),
        Column(
            "ratio",
            gettext_noop("抽查比例"),
            ("比例", "抽查比例及频次", "抽查比例和频次"),
            max_length=_length(RandomCheckItem, "ratio"),
        ),
        Column(
            "frequency",
            gettext_noop("抽查频次"),
            ("频次", "检查频次", "抽查频率"),
            max_length=_length(RandomCheckItem, "frequency"),
        ),
        Column("remark", gettext_noop("备注"), ("说明",), multiline=True),
    ),
    key=("category", "item"),
    fill_down=("category",),
)

# Labels agencies print in the 职权类型 column, normalised (see _norm_header), mapped to PowerKind.
KIND_LABELS: dict[str, str] = {
    "行政处罚": PowerKind.PENALTY.value,
    "处罚": PowerKind.PENALTY.value,
    "行政强制": PowerKind.COERCION.value,
    "行政强制措施": PowerKind.COERCION.value,
    "行政强制执行": PowerKind.COERCION.value,
    "强制": PowerKind.COERCION.value,
    "行政检查": PowerKind.INSPECTION.value,
    "监督检查": PowerKind.INSPECTION.value,
    "检查": PowerKind.INSPECTION.value,
    "行政许可": PowerKind.PERMIT.value,
    "许可": PowerKind.PERMIT.value,
    "其他": PowerKind.OTHER.value,
    "其他行政权力": PowerKind.OTHER.value,
    "其他权力": PowerKind.OTHER.value,
    "其他职权": PowerKind.OTHER.value,
}
# The labels of PowerKind as the file writes them (Chinese whatever the interface language).
KIND_CHOICES_TEXT = "行政处罚/行政强制/行政检查/行政许可/其他"


# ---------------------------------------------------------------------------------------------------------
# Text normalisation


_SPACE_RE = re.compile(r"\s+")
_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_HEADER_JUNK = "*★☆※:："


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or "\uf900" <= char <= "\ufaff"


def _norm_header(value: str) -> str:
    """Headers compare without spaces, line breaks, full-width forms or required-field markers."""
    text = unicodedata.normalize("NFKC", value)
    text = _SPACE_RE.sub("", text)
    return text.strip(_HEADER_JUNK)


def _header_forms(value: str) -> list[str]:
    """The header itself, then without its parenthetical note: 抽查事项（检查内容） → 抽查事项."""
    text = _norm_header(value)
    bare = _PAREN_RE.sub("", text).strip(_HEADER_JUNK)
    return [text, bare] if bare and bare != text else [text]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ")


def _join_wrapped(text: str) -> str:
    """Wrapped text in a short field: join the lines, without a space between two Chinese characters."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        sep = "" if _is_cjk(out[-1]) or _is_cjk(line[0]) else " "
        out += sep + line
    return _SPACE_RE.sub(" ", out)


def _keep_lines(text: str) -> str:
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------------------
# Reading the grid


def _read_grid(file_name: str, content: bytes) -> list[list[str]]:
    """The sheet as rows of cell texts, row i being Excel's row i + 1. Raises ListImportError."""
    lower = file_name.lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        return _read_xlsx(content)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(content)
    if lower.endswith(".xls") or lower.endswith(".et") or lower.endswith(".wps"):
        raise ListImportError(
            [_("不支持旧版 Excel（.xls）或 WPS 格式，请在 Excel/WPS 中“另存为” .xlsx 后再导入。")]
        )
    raise ListImportError([_("只能导入 .xlsx 或 .csv 文件。")])


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl  # heavy; only the importer needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a file that is not a workbook
        raise ListImportError([_("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。")]) from exc
    try:
        sheet = workbook.active
        if sheet is None:
            raise ListImportError([_("Excel 文件中没有工作表。")])
        grid: list[list[str]] = []
        for values in sheet.iter_rows(min_row=1, values_only=True):
            if len(grid) >= MAX_ROWS:
                raise ListImportError(
                    [_("文件超过 %(max_rows)s 行，请检查是否选错了文件。") % {"max_rows": MAX_ROWS}]
                )
            grid.append([_cell_text(v) for v in values])
        # Read-only mode does not expose merged ranges, and gives None for all but the top-left cell of a
        # range; read the ranges from the sheet XML and copy the top-left value into the whole range.
        sheet_xml: bytes = sheet.parent._archive.read(sheet._worksheet_path)
    finally:
        workbook.close()
    for match in _MERGE_RE.finditer(sheet_xml):
        c1, r1 = _col_index(match.group(1)), int(match.group(2)) - 1
        c2 = _col_index(match.group(3)) if match.group(3) else c1
        r2 = int(match.group(4)) - 1 if match.group(4) else r1
        if r1 >= len(grid):
            continue
        top_left = grid[r1][c1] if c1 < len(grid[r1]) else ""
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = top_left
    return grid


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        return read_csv_grid(content, max_rows=MAX_ROWS, cell=_cell_text)
    except UnknownEncoding as exc:
        raise ListImportError([_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV。")]) from exc
    except TooManyRows as exc:
        raise ListImportError(
            [_("文件超过 %(max_rows)s 行，请检查是否选错了文件。") % {"max_rows": MAX_ROWS}]
        ) from exc


# ---------------------------------------------------------------------------------------------------------
# Finding and mapping the header


def _alias_table(spec: ListSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in spec.columns:
        for label in (column.label, *column.aliases):
            table.setdefault(_norm_header(label), column.field)
    return table


def _match(label: str, table: dict[str, str]) -> str | None:
    for form in _header_forms(label):
        if form in table:
            return table[form]
    return None


def _split_run_together(label: str, parts: int, table: dict[str, str]) -> list[str] | None:
    """A header cell spanning ``parts`` columns that names them all: 抽查事项抽查对象 → item, targets."""
    text = _header_forms(label)[-1]
    names = sorted(table, key=len, reverse=True)

    def split(rest: str, n: int) -> list[str] | None:
        if n == 0:
            return [] if not rest else None
        for name in names:
            if rest.startswith(name):
                tail = split(rest[len(name) :], n - 1)
                if tail is not None:
                    return [table[name], *tail]
        return None

    return split(text, parts)


def _map_header(labels: Sequence[str], table: dict[str, str]) -> list[str | None]:
    """Field for each column (None when not ours); handles run-together cells over several columns."""
    fields: list[str | None] = [_match(label, table) if label else None for label in labels]
    i = 0
    while i < len(labels):
        if fields[i] is not None or not labels[i]:
            i += 1
            continue
        # A run: the same text repeated (a merged cell filled out) or followed by blanks (the CSV of one).
        j = i + 1
        while j < len(labels) and (labels[j] == labels[i] or not labels[j]) and fields[j] is None:
            j += 1
        for width in range(j - i, 1, -1):  # the run may also take in blank columns after the table
            parts = _split_run_together(labels[i], width, table)
            if parts is not None:
                fields[i : i + width] = parts
                break
        i = j
    return fields


@dataclass
class _Header:
    row_index: int  # 0-based index of the last header row
    rows: int
    labels: list[str]
    fields: list[str | None]

    @property
    def score(self) -> int:
        return len({f for f in self.fields if f is not None})


def _combine_two_rows(top: Sequence[str], bottom: Sequence[str], table: dict[str, str]) -> list[str]:
    """Two-row header: a group label above (merged over its columns) and the sub-labels under it."""
    width = max(len(top), len(bottom))
    out: list[str] = []
    for c in range(width):
        upper = top[c] if c < len(top) else ""
        lower = bottom[c] if c < len(bottom) else ""
        if not lower or upper == lower:
            out.append(upper)
        elif upper and _match(upper + lower, table):
            out.append(upper + lower)
        elif _match(lower, table) or not upper:
            out.append(lower)
        else:
            out.append(upper if _match(upper, table) else lower)
    return out


def _find_header(grid: list[list[str]], table: dict[str, str]) -> _Header | None:
    best: _Header | None = None
    limit = min(len(grid), HEADER_SEARCH_ROWS)
    for r in range(limit):
        labels = [_norm_header(v) for v in grid[r]]
        candidates = [_Header(r, 1, labels, _map_header(labels, table))]
        if r + 1 < len(grid):
            lower = [_norm_header(v) for v in grid[r + 1]]
            combined = _combine_two_rows(labels, lower, table)
            candidates.append(_Header(r + 1, 2, combined, _map_header(combined, table)))
        for candidate in candidates:
            # Ties go to the single-row reading, then the earlier row: a title row above the header adds
            # nothing, and neither does the first data row below it.
            rank = (candidate.score, -candidate.rows, -candidate.row_index)
            if best is None or rank > (best.score, -best.rows, -best.row_index):
                best = candidate
    return best


# ---------------------------------------------------------------------------------------------------------
# Parsing


def _parse(spec: ListSpec, file_name: str, content: bytes) -> ParseResult:
    result = ParseResult()
    if not content or not content.strip():
        result.errors.append(_("文件为空，没有可导入的内容。"))
        return result
    try:
        grid = _read_grid(file_name, content)
    except ListImportError as exc:
        result.errors.extend(exc.errors)
        return result
    if not any(any(v.strip() for v in row) for row in grid):
        result.errors.append(_("文件为空，没有可导入的内容。"))
        return result

    table = _alias_table(spec)
    header = _find_header(grid, table)
    found_fields = {f for f in header.fields if f} if header else set()
    missing = [c.label for c in spec.columns if c.required and c.field not in found_fields]
    if header is None or missing:
        found = [label for label in (header.labels if header else []) if label]
        expected = "、".join(c.label for c in spec.columns)
        result.errors.append(
            _(
                "缺少必需的列：%(missing)s。%(list)s应有的列：%(expected)s（带“%(required)s”的为必需）；"
                "文件表头中找到的列：%(found)s。"
            )
            % {
                "missing": "、".join(missing),
                "list": _(spec.name),
                "expected": expected,
                "required": "、".join(c.label for c in spec.columns if c.required),
                "found": "、".join(dict.fromkeys(found)) or _("（无）"),
            }
        )
        return result
    result.header_row = header.row_index + 1
    result.ignored_headers = list(
        dict.fromkeys(
            label for label, f in zip(header.labels, header.fields, strict=False) if label and not f
        )
    )

    first_header_row = header.row_index + 1 - header.rows
    header_forms = {_norm_header(v) for v in header.labels if v}
    for row in grid[first_header_row : header.row_index + 1]:
        header_forms.update(_norm_header(v) for v in row if v.strip())
    above = [tuple(v.strip() for v in row) for row in grid[:first_header_row]]
    previous: dict[str, str] = {}
    seen: dict[tuple[str, ...], int] = {}
    position = 0
    for index in range(header.row_index + 1, len(grid)):
        cells = grid[index]
        row_number = index + 1
        if not any(v.strip() for v in cells):
            continue  # blank row
        if tuple(v.strip() for v in cells) in above:
            continue  # the title printed again (repeated on each page)
        nonblank = [_norm_header(v) for v in cells if v.strip()]
        if sum(v in header_forms for v in nonblank) * 2 > len(nonblank) and len(nonblank) >= 2:
            continue  # the header repeated in the middle of the data
        caption = _caption(cells)
        if caption:
            result.skipped_rows.append((row_number, caption))
            continue
        raw = _collect(spec, header.fields, cells)
        for name in spec.fill_down:
            if raw.get(name):
                previous[name] = raw[name]
            elif name in previous:
                raw[name] = previous[name]
        position += 1
        values, errors = _validate(spec, raw, row_number, position)
        result.errors.extend(errors)
        if errors:
            continue
        key = tuple(str(values[k]) for k in spec.key)
        if key in seen:
            names = "、".join(spec.column(k).label for k in spec.key)
            result.errors.append(
                _("第 %(row)s 行：与第 %(first)s 行重复（%(names)s相同）")
                % {"row": row_number, "first": seen[key], "names": names}
            )
            continue
        seen[key] = row_number
        result.rows.append(ParsedRow(row_number, values))
    if not result.rows and not result.errors:
        result.errors.append(
            _("表头（第 %(header_row)s 行）下没有数据行。") % {"header_row": result.header_row}
        )
    return result


_NOTE_RE = re.compile(r"^(注|说明|备注|附|填表|填报|制表|审核|联系人|[一二三四五六七八九十]+、)")


def _caption(cells: Sequence[str]) -> str:
    """A group heading or note across the row (一、行政处罚；注：…), not an item: its text, else ""."""
    texts = [v.strip() for v in cells if v.strip()]
    distinct = set(texts)
    if len(distinct) != 1:
        return ""
    text = texts[0]
    # One text over several cells is a merged row; a lone cell counts only when it reads like a note,
    # so that a row with just its name filled in is still reported as missing the rest.
    return text if len(texts) > 1 or _NOTE_RE.match(text) else ""


def _collect(spec: ListSpec, fields: Sequence[str | None], cells: Sequence[str]) -> dict[str, str]:
    """Cell texts by field; duplicated columns (two 备注) are joined, or the first value taken."""
    found: dict[str, list[str]] = {}
    for c, name in enumerate(fields):
        if name is None or c >= len(cells):
            continue
        column = spec.column(name)
        text = _keep_lines(cells[c]) if column.multiline else _join_wrapped(cells[c])
        if text and text not in found.setdefault(name, []):
            found[name].append(text)
    raw: dict[str, str] = {}
    for name, texts in found.items():
        column = spec.column(name)
        if not texts:
            raw[name] = ""
        elif column.single:
            raw[name] = texts[0]
        else:
            raw[name] = ("\n" if column.multiline else JOIN).join(texts)
    return raw


def _validate(
    spec: ListSpec, raw: dict[str, str], row: int, position: int
) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    for column in spec.columns:
        text = raw.get(column.field, "")
        if column.required and not text:
            errors.append(_("第 %(row)s 行：缺少“%(label)s”") % {"row": row, "label": column.label})
            continue
        if column.max_length is not None and len(text) > column.max_length:
            errors.append(
                _("第 %(row)s 行：“%(label)s”超过 %(max_length)s 字（现为 %(count)s 字）")
                % {"row": row, "label": column.label, "max_length": column.max_length, "count": len(text)}
            )
            continue
        values[column.field] = text
    order_text = raw.get("order", "")
    if not order_text:
        values["order"] = position
    elif re.fullmatch(r"\d{1,9}(\.0*)?", order_text):  # "2.0": a number Excel exported as a float
        values["order"] = int(float(order_text))
    else:
        errors.append(
            _("第 %(row)s 行：“序号”应为整数，现为“%(order_text)s”") % {"row": row, "order_text": order_text}
        )
    if "kind" in values:
        kind = _kind(values["kind"])
        if kind is None:
            errors.append(
                _("第 %(row)s 行：职权类型“%(kind)s”无法识别，应为 %(choices)s")
                % {"row": row, "kind": values["kind"], "choices": KIND_CHOICES_TEXT}
            )
        else:
            values["kind"] = kind
    return values, errors


def _kind(label: str) -> str | None:
    for form in _header_forms(label):
        if form in KIND_LABELS:
            return KIND_LABELS[form]
    # Longer labels that start with a known kind: 行政强制措施（查封、扣押） → coercion.
    bare = _header_forms(label)[-1]
    for known in sorted(KIND_LABELS, key=len, reverse=True):
        if len(known) >= 4 and bare.startswith(known):
            return KIND_LABELS[known]
    return None


def parse_power_items(file_name: str, content: bytes) -> ParseResult:
    """Read and validate a 权责清单 file without touching the database."""
    return _parse(POWER_LIST, file_name, content)


def parse_random_check_items(file_name: str, content: bytes) -> ParseResult:
    """Read and validate a 随机抽查事项清单 file without touching the database."""
    return _parse(RANDOM_CHECK_LIST, file_name, content)


# ---------------------------------------------------------------------------------------------------------
# Writing


def _section_lookup(agency: Agency) -> dict[str, Section]:
    return {_norm_header(s.name): s for s in Section.objects.filter(agency=agency)}


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _replace_list(
    *,
    model: Any,
    agency: Agency,
    rows: Iterable[dict[str, Any]],
    key: tuple[str, ...],
) -> tuple[int, int, int, int]:
    """Make the agency's active items equal to ``rows``: update by key, create, deactivate the rest."""
    existing: dict[tuple[Any, ...], Any] = {}
    for obj in model.objects.filter(agency=agency, is_active=True).order_by("pk"):
        existing.setdefault(tuple(getattr(obj, k) for k in key), obj)
    created = updated = unchanged = 0
    kept: set[int] = set()
    for values in rows:
        obj = existing.get(tuple(values[k] for k in key))
        if obj is None:
            obj = model.objects.create(agency=agency, **values)
            created += 1
        elif _apply(obj, values):
            obj.save()
            updated += 1
        else:
            unchanged += 1
        kept.add(obj.pk)
    deactivated = 0
    # One by one rather than queryset.update(), so that django-simple-history records each change.
    for obj in model.objects.filter(agency=agency, is_active=True).exclude(pk__in=kept):
        obj.is_active = False
        obj.save()
        deactivated += 1
    return created, updated, unchanged, deactivated


def _power_values(parsed: ParsedRow, sections: dict[str, Section]) -> dict[str, Any]:
    v = parsed.values
    section = sections.get(_norm_header(v.get("unit", ""))) if v.get("unit") else None
    return {
        "name": v["name"],
        "kind": v["kind"],
        "code": v.get("code", ""),
        "legal_basis": v["legal_basis"],
        "section": section,
        "responsible_unit": "" if section else v.get("unit", ""),
        "remark": v.get("remark", ""),
        "order": v["order"],
    }


def _random_values(parsed: ParsedRow) -> dict[str, Any]:
    names = [c.field for c in RANDOM_CHECK_LIST.columns]
    return {name: parsed.values.get(name, "") for name in names}


@transaction.atomic
def power_items_import(*, actor: Any, agency: Agency, file_name: str, content: bytes) -> ImportResult:
    """Replace the agency's 权责清单 with the file: update matching items (名称+职权类型), create new ones,
    deactivate the rest; all or nothing, with one POWER_ITEMS_IMPORTED audit event. Raises ListImportError."""
    parsed = parse_power_items(file_name, content)
    if parsed.errors:
        raise ListImportError(parsed.errors)
    # Two imports for one agency at once would each deactivate what the other created: serialise them.
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    sections = _section_lookup(agency)
    counts = _replace_list(
        model=PowerItem,
        agency=agency,
        rows=[_power_values(row, sections) for row in parsed.rows],
        key=("name", "kind"),
    )
    return _finish(audit.EventType.POWER_ITEMS_IMPORTED, actor, agency, file_name, content, counts)


@transaction.atomic
def random_check_items_import(*, actor: Any, agency: Agency, file_name: str, content: bytes) -> ImportResult:
    """Replace the agency's 随机抽查事项清单 with the file: update matching items (类别+事项), create new
    ones, deactivate the rest; all or nothing, with one RANDOM_CHECK_ITEMS_IMPORTED audit event.
    Raises ListImportError."""
    parsed = parse_random_check_items(file_name, content)
    if parsed.errors:
        raise ListImportError(parsed.errors)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    counts = _replace_list(
        model=RandomCheckItem,
        agency=agency,
        rows=[_random_values(row) for row in parsed.rows],
        key=("category", "item"),
    )
    return _finish(audit.EventType.RANDOM_CHECK_ITEMS_IMPORTED, actor, agency, file_name, content, counts)


def _finish(
    event_type: audit.EventType,
    actor: Any,
    agency: Agency,
    file_name: str,
    content: bytes,
    counts: tuple[int, int, int, int],
) -> ImportResult:
    created, updated, unchanged, deactivated = counts
    digest = hashlib.sha256(content).hexdigest()
    audit.record(
        event_type,
        actor=actor,
        agency=agency,
        data={
            "file": file_name,
            "sha256": digest,
            "created": created,
            "updated": updated,
            "deactivated": deactivated,
        },
    )
    return ImportResult(created, updated, unchanged, deactivated, digest)


LISTS = {
    "power": (POWER_LIST, parse_power_items, power_items_import),
    "random": (RANDOM_CHECK_LIST, parse_random_check_items, random_check_items_import),
}


def import_plan(*, list_type: str, agency: Agency, parsed: ParseResult) -> dict[str, int]:
    """What importing ``parsed`` would do, for the preview: counts of new, matched and deactivated items."""
    spec, model = (POWER_LIST, PowerItem) if list_type == "power" else (RANDOM_CHECK_LIST, RandomCheckItem)
    existing = {
        tuple(str(v) for v in values)
        for values in model.objects.filter(agency=agency, is_active=True).values_list(*spec.key)
    }
    incoming = {tuple(str(row.values[k]) for k in spec.key) for row in parsed.rows}
    return {
        "new": len(incoming - existing),
        "matched": len(incoming & existing),
        "deactivated": len(existing - incoming),
    }
