"""Importing the 权责清单 and 随机抽查事项清单 from real-world spreadsheets."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sanxiang.accounts.models import UserRole
from sanxiang.agencies import imports
from sanxiang.agencies.imports import (
    ListImportError,
    parse_power_items,
    parse_random_check_items,
    power_items_import,
    random_check_items_import,
)
from sanxiang.agencies.models import PowerItem, RandomCheckItem, Section
from sanxiang.audit import EventType
from sanxiang.audit.models import Event

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"

POWER_HEADER = ["序号", "事项编码", "事项名称", "职权类型", "设定依据", "承办股室", "备注"]
PENALTY_97 = "对生产经营单位未按规定设置安全生产管理机构或者配备安全生产管理人员的行政处罚"
BASIS_97 = "《中华人民共和国安全生产法》第九十七条第一项"
RANDOM_HEADER = [
    "序号",
    "抽查类别",
    "抽查事项",
    "抽查对象",
    "检查依据",
    "承办机构",
    "检查方式",
    "抽查比例",
    "抽查频次",
]


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[str] = ()) -> bytes:
    """A workbook with ``rows`` from A1; each merge leaves only its top-left value, as Excel does."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                sheet.cell(row=r, column=c, value=value)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join(_csv_cell(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(ch in text for ch in ',"\n') else text


def power_row(n: int, name: str = PENALTY_97, kind: str = "行政处罚", basis: str = BASIS_97) -> list[Any]:
    return [n, f"3415230{n:02d}", name, kind, basis, "执法监督股", ""]


def random_row(n: int, category: str = "危险化学品", item: str = "危险化学品安全生产监督检查") -> list[Any]:
    return [
        n,
        category,
        item,
        "辖区内危险化学品经营（带储存）、使用单位",
        "《中华人民共和国安全生产法》第六十五条",
        "危险化学品安全监督管理股",
        "现场检查",
        "5%",
        "每年1次",
    ]


def values(result: imports.ParseResult, name: str) -> list[Any]:
    return [row.values[name] for row in result.rows]


# --- parsing: header quirks -----------------------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_and_row_numbers_count_them() -> None:
    content = xlsx(
        [
            ["舒城县应急管理局权责清单"],
            ["（2026年版）"],
            POWER_HEADER,
            power_row(1),
            power_row(2, name="对生产经营单位未如实记录安全生产教育和培训情况的行政处罚"),
        ],
        merges=["A1:G1", "A2:G2"],
    )
    result = parse_power_items("权责清单.xlsx", content)
    assert result.errors == []
    assert result.header_row == 3
    assert [row.row for row in result.rows] == [4, 5]
    assert values(result, "kind") == ["penalty", "penalty"]


def test_headers_with_spaces_line_breaks_full_width_characters_and_notes_are_recognised() -> None:
    header = ["序 号", "事项\n名称", "职权类型＊", "设定依据（法律、法规、规章）", "承办股室 ", "备\u3000注"]
    content = xlsx([header, [1, PENALTY_97, "行政处罚", BASIS_97, "执法监督股", "无"]])
    result = parse_power_items("a.xlsx", content)
    assert result.errors == []
    assert result.rows[0].values["name"] == PENALTY_97
    assert result.rows[0].values["legal_basis"] == BASIS_97
    assert result.rows[0].values["remark"] == "无"


def test_random_check_header_with_a_parenthetical_note_is_recognised() -> None:
    header = list(RANDOM_HEADER)
    header[2] = "抽查事项（检查内容）"
    header[4] = "检 查 依 据"
    result = parse_random_check_items("a.xlsx", xlsx([header, random_row(1)]))
    assert result.errors == []
    assert values(result, "item") == ["危险化学品安全生产监督检查"]


def test_header_synonyms_are_recognised() -> None:
    header = ["编号", "检查类别", "检查事项", "检查对象", "法律依据", "实施主体", "抽查方式"]
    row = [
        "1",
        "工贸",
        "工贸企业安全生产监督检查",
        "冶金等工贸企业",
        "《安全生产法》第六十五条",
        "基础股",
        "现场",
    ]
    result = parse_random_check_items("a.csv", csv_bytes([header, row]))
    assert result.errors == []
    parsed = result.rows[0].values
    assert parsed["targets"] == "冶金等工贸企业"
    assert parsed["basis"] == "《安全生产法》第六十五条"
    assert parsed["responsible_unit"] == "基础股"
    assert parsed["method"] == "现场"


def test_power_list_accepts_implementation_basis_and_unit_synonyms() -> None:
    header = ["序号", "权力事项名称", "权力类型", "实施依据", "实施主体"]
    result = parse_power_items("a.csv", csv_bytes([header, [1, PENALTY_97, "行政处罚", BASIS_97, "某股"]]))
    assert result.errors == []
    assert result.rows[0].values["unit"] == "某股"


def test_two_remark_columns_are_combined() -> None:
    header = [*RANDOM_HEADER, "备注", "备注"]
    row = [*random_row(1), "重点行业", "每季度调整"]
    result = parse_random_check_items("a.xlsx", xlsx([header, row]))
    assert result.errors == []
    assert result.rows[0].values["remark"] == "重点行业\n每季度调整"


def test_a_header_row_repeated_in_the_middle_is_skipped() -> None:
    rows = [RANDOM_HEADER, random_row(1), RANDOM_HEADER, random_row(2, item="危险化学品使用单位监督检查")]
    result = parse_random_check_items("a.xlsx", xlsx(rows))
    assert result.errors == []
    assert [row.row for row in result.rows] == [2, 4]


def test_a_two_row_header_with_a_group_label_is_combined() -> None:
    top = ["序号", "抽查", "抽查", "抽查", "检查依据", "承办机构"]
    bottom = ["", "类别", "事项", "对象", "", ""]
    row = random_row(1)[:6]
    content = xlsx(
        [["舒城县应急管理局随机抽查事项清单"], top, bottom, row],
        merges=["A1:F1", "B2:D2", "A2:A3", "E2:E3", "F2:F3"],
    )
    result = parse_random_check_items("a.xlsx", content)
    assert result.errors == []
    assert result.header_row == 3
    assert result.rows[0].values["category"] == "危险化学品"
    assert result.rows[0].values["targets"] == "辖区内危险化学品经营（带储存）、使用单位"


def test_a_run_together_header_over_two_columns_is_split() -> None:
    header = ["序号", "抽查类别", "抽查事项抽查对象", None, "检查依据", "承办机构"]
    row = random_row(1)[:6]
    for content, name in (
        (xlsx([header, row], merges=["C1:D1"]), "a.xlsx"),
        (csv_bytes([header, row]), "a.csv"),
    ):
        result = parse_random_check_items(name, content)
        assert result.errors == [], name
        assert result.rows[0].values["item"] == "危险化学品安全生产监督检查"
        assert result.rows[0].values["targets"] == "辖区内危险化学品经营（带储存）、使用单位"


def test_unknown_columns_are_ignored_and_reported() -> None:
    result = parse_random_check_items(
        "a.csv", csv_bytes([[*RANDOM_HEADER, "联系人"], [*random_row(1), "张三"]])
    )
    assert result.errors == []
    assert result.ignored_headers == ["联系人"]


def test_a_run_together_header_at_the_end_may_take_in_blank_columns() -> None:
    header = ["序号", "抽查类别", "检查依据", "承办机构", "抽查事项抽查对象", None, None]
    row = [1, "危险化学品", "《安全生产法》第六十五条", "某股", "危险化学品安全生产监督检查", "经营单位"]
    result = parse_random_check_items("a.csv", csv_bytes([header, row]))
    assert result.errors == []
    assert result.rows[0].values["targets"] == "经营单位"


# --- parsing: cell quirks -------------------------------------------------------------------------------


def test_merged_category_cells_are_filled_down() -> None:
    rows = [
        RANDOM_HEADER,
        random_row(1),
        random_row(2, category=None, item="危险化学品使用单位监督检查"),  # type: ignore[arg-type]
        random_row(3, category=None, item="加油站安全生产监督检查"),  # type: ignore[arg-type]
        random_row(4, category="工贸", item="工贸企业安全生产监督检查"),
    ]
    result = parse_random_check_items("a.xlsx", xlsx(rows, merges=["B2:B4"]))
    assert result.errors == []
    assert values(result, "category") == ["危险化学品", "危险化学品", "危险化学品", "工贸"]


def test_blank_category_cells_in_a_csv_repeat_the_row_above() -> None:
    rows = [RANDOM_HEADER, random_row(1), random_row(2, category="", item="加油站安全生产监督检查")]
    result = parse_random_check_items("a.csv", csv_bytes(rows))
    assert values(result, "category") == ["危险化学品", "危险化学品"]


def test_blank_rows_are_skipped_without_shifting_row_numbers() -> None:
    rows = [POWER_HEADER, [], power_row(1), ["", "", "  ", "", "", "", ""], power_row(2, kind="行政检查")]
    for content, name in ((xlsx(rows), "a.xlsx"), (csv_bytes(rows), "a.csv")):
        result = parse_power_items(name, content)
        assert result.errors == [], name
        assert [row.row for row in result.rows] == [3, 5]


def test_group_headings_and_notes_across_a_row_are_skipped() -> None:
    rows = [
        POWER_HEADER,
        ["一、行政处罚（2项）"],
        power_row(1),
        power_row(2, name="对生产经营单位未如实记录安全生产教育和培训情况的行政处罚"),
        ["注：本清单按《安徽省权责清单管理办法》编制。"],
    ]
    result = parse_power_items("a.xlsx", xlsx(rows, merges=["A2:G2"]))
    assert result.errors == []
    assert [row.row for row in result.rows] == [3, 4]
    assert [row for row, _ in result.skipped_rows] == [2, 5]


def test_a_row_with_only_a_name_is_not_mistaken_for_a_heading() -> None:
    result = parse_power_items("a.csv", csv_bytes([POWER_HEADER, power_row(1), ["", "", "只填了名称"]]))
    assert result.errors == ["第 3 行：缺少“职权类型”", "第 3 行：缺少“设定依据”"]


def test_wrapped_text_is_joined_in_names_and_kept_in_legal_basis() -> None:
    basis = "《中华人民共和国安全生产法》第九十七条\n《安全生产培训管理办法》第三十六条 "
    row = [
        1,
        "",
        "对生产经营单位未按规定设置安全生产\n管理机构的行政处罚",
        "行政\n处罚",
        basis,
        "执法\n监督股",
        "",
    ]
    result = parse_power_items("a.xlsx", xlsx([POWER_HEADER, row]))
    assert result.errors == []
    parsed = result.rows[0].values
    assert parsed["name"] == "对生产经营单位未按规定设置安全生产管理机构的行政处罚"
    assert (
        parsed["legal_basis"] == "《中华人民共和国安全生产法》第九十七条\n《安全生产培训管理办法》第三十六条"
    )
    assert parsed["unit"] == "执法监督股"


def test_wrapped_latin_text_is_joined_with_a_space() -> None:
    row = [1, "", "对 LNG\nstation 的行政检查", "行政检查", BASIS_97, "", ""]
    result = parse_power_items("a.csv", csv_bytes([POWER_HEADER, row]))
    assert result.rows[0].values["name"] == "对 LNG station 的行政检查"


def test_trailing_spaces_are_stripped_and_float_order_becomes_an_integer() -> None:
    rows: list[list[Any]] = [POWER_HEADER, [1.0, " 3415 ", f"{PENALTY_97}  ", "行政处罚 ", BASIS_97, "", ""]]
    result = parse_power_items("a.xlsx", xlsx(rows))
    parsed = result.rows[0].values
    assert (parsed["order"], parsed["code"], parsed["name"], parsed["kind"]) == (
        1,
        "3415",
        PENALTY_97,
        "penalty",
    )
    result = parse_power_items(
        "a.csv", csv_bytes([POWER_HEADER, ["2.0", "", PENALTY_97, "行政处罚", BASIS_97]])
    )
    assert result.rows[0].values["order"] == 2


def test_a_missing_order_takes_the_position_in_the_file() -> None:
    rows = [POWER_HEADER, power_row(1), ["", "", "另一事项", "行政检查", BASIS_97]]
    result = parse_power_items("a.csv", csv_bytes(rows))
    assert values(result, "order") == [1, 2]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("行政处罚", "penalty"),
        ("行政强制", "coercion"),
        ("行政强制措施", "coercion"),
        ("行政强制措施（查封、扣押）", "coercion"),
        ("行政检查", "inspection"),
        ("行政检查（监督检查）", "inspection"),
        ("行政许可", "permit"),
        ("其他", "other"),
        ("其他行政权力", "other"),
    ],
)
def test_kind_label_variants_are_mapped(label: str, kind: str) -> None:
    result = parse_power_items("a.csv", csv_bytes([POWER_HEADER, power_row(1, kind=label)]))
    assert result.errors == []
    assert result.rows[0].values["kind"] == kind


# --- parsing: errors ------------------------------------------------------------------------------------


def test_an_unknown_kind_is_an_error_for_that_row() -> None:
    rows = [["舒城县应急管理局权责清单"], POWER_HEADER, power_row(1), power_row(2, kind="行政裁决")]
    result = parse_power_items("a.xlsx", xlsx(rows))
    assert result.errors == [
        "第 4 行：职权类型“行政裁决”无法识别，应为 行政处罚/行政强制/行政检查/行政许可/其他"
    ]


def test_every_bad_row_is_reported_by_its_excel_row_number() -> None:
    rows = [
        ["舒城县应急管理局权责清单"],
        POWER_HEADER,
        power_row(1),
        power_row(2, basis=""),
        [],
        power_row(3, name=""),
        ["一", "", "某事项", "行政检查", BASIS_97],
        power_row(5, name="X" * 301),
    ]
    result = parse_power_items("a.xlsx", xlsx(rows))
    assert result.errors == [
        "第 4 行：缺少“设定依据”",
        "第 6 行：缺少“事项名称”",
        "第 7 行：“序号”应为整数，现为“一”",
        "第 8 行：“事项名称”超过 300 字（现为 301 字）",
    ]


def test_the_same_item_twice_in_a_file_is_an_error() -> None:
    rows = [RANDOM_HEADER, random_row(1), random_row(2)]
    result = parse_random_check_items("a.csv", csv_bytes(rows))
    assert result.errors == ["第 3 行：与第 2 行重复（抽查类别、抽查事项相同）"]


def test_missing_required_columns_are_listed_with_the_columns_found() -> None:
    rows: list[list[Any]] = [["序号", "事项名称", "承办股室"], [1, PENALTY_97, "执法监督股"]]
    result = parse_power_items("a.xlsx", xlsx(rows))
    assert len(result.errors) == 1
    message = result.errors[0]
    assert message.startswith("缺少必需的列：职权类型、设定依据。")
    assert "权责清单应有的列：序号、事项编码、事项名称、职权类型、设定依据、承办股室、备注" in message
    assert "文件表头中找到的列：序号、事项名称、承办股室。" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.csv", b""), ("a.csv", "\ufeff\r\n,,\r\n".encode()), ("a.xlsx", xlsx([]))],
)
def test_an_empty_file_is_refused_clearly(name: str, content: bytes) -> None:
    assert parse_power_items(name, content).errors == ["文件为空，没有可导入的内容。"]


def test_a_header_without_data_rows_is_refused() -> None:
    assert parse_power_items("a.csv", csv_bytes([POWER_HEADER])).errors == ["表头（第 1 行）下没有数据行。"]


def test_unsupported_or_damaged_files_are_refused() -> None:
    assert parse_power_items("a.xls", b"\xd0\xcf\x11\xe0").errors[0].startswith("不支持旧版 Excel")
    assert parse_power_items("a.pdf", b"%PDF").errors == ["只能导入 .xlsx 或 .csv 文件。"]
    assert parse_power_items("a.xlsx", b"not a zip").errors[0].startswith("无法读取该 Excel 文件")


# --- parsing: encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding: str) -> None:
    content = csv_bytes([["舒城县应急管理局随机抽查事项清单"], RANDOM_HEADER, random_row(1)], encoding)
    result = parse_random_check_items("清单.csv", content)
    assert result.errors == []
    assert result.rows[0].values["responsible_unit"] == "危险化学品安全监督管理股"


def test_tab_separated_text_is_read() -> None:
    text = "\t".join(RANDOM_HEADER) + "\n" + "\t".join(str(v) for v in random_row(1)) + "\n"
    result = parse_random_check_items("a.csv", text.encode("gbk"))
    assert result.errors == []


# --- writing --------------------------------------------------------------------------------------------


def events(event_type: EventType) -> list[Event]:
    return list(Event.objects.filter(event_type=event_type))


def test_import_creates_items_matches_sections_and_records_one_audit_event(personas: Any) -> None:
    agency = personas.agency_a
    rows = [
        POWER_HEADER,
        power_row(1),
        [2, "", "对生产经营单位的监督检查", "行政检查（监督检查）", "《安全生产法》第六十五条", "综合股", ""],
    ]
    content = xlsx(rows)
    result = power_items_import(
        actor=personas.alice, agency=agency, file_name="权责清单.xlsx", content=content
    )
    assert (result.created, result.updated, result.deactivated) == (2, 0, 0)
    penalty, check = PowerItem.objects.filter(agency=agency).order_by("order")
    assert penalty.section == Section.objects.get(agency=agency, name="执法监督股")
    assert penalty.responsible_unit == ""
    assert check.section is None
    assert check.responsible_unit == "综合股"
    assert check.kind == "inspection"
    [event] = events(EventType.POWER_ITEMS_IMPORTED)
    assert event.actor_id == personas.alice.pk
    assert event.agency_id == agency.pk
    assert json.loads(event.data) == {
        "file": "权责清单.xlsx",
        "sha256": hashlib.sha256(content).hexdigest(),
        "created": 2,
        "updated": 0,
        "deactivated": 0,
    }


def test_reimport_updates_in_place_creates_new_and_deactivates_missing_items(personas: Any) -> None:
    agency = personas.agency_a
    first = [
        POWER_HEADER,
        power_row(1),
        power_row(2, name="旧事项", kind="行政检查"),
        power_row(3, kind="行政强制"),
    ]
    power_items_import(actor=None, agency=agency, file_name="v1.csv", content=csv_bytes(first))
    kept = PowerItem.objects.get(agency=agency, name=PENALTY_97, kind="penalty")
    second = [
        POWER_HEADER,
        power_row(1, basis="《安全生产法》第九十七条"),
        power_row(3, kind="行政强制"),
        power_row(4, name="新事项"),
    ]
    result = power_items_import(actor=None, agency=agency, file_name="v2.csv", content=csv_bytes(second))
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (1, 1, 1, 1)
    kept.refresh_from_db()
    assert kept.legal_basis == "《安全生产法》第九十七条"
    assert kept.history.count() == 2
    old = PowerItem.objects.get(agency=agency, name="旧事项")
    assert old.is_active is False
    assert old.history.first().is_active is False
    assert PowerItem.objects.filter(agency=agency, is_active=True).count() == 3
    assert [json.loads(e.data)["updated"] for e in events(EventType.POWER_ITEMS_IMPORTED)] == [0, 1]


def test_import_leaves_other_agencies_alone(personas: Any) -> None:
    PowerItem.objects.create(agency=personas.agency_b, name="乙县事项", kind="penalty", legal_basis="x")
    content = csv_bytes([POWER_HEADER, power_row(1)])
    power_items_import(actor=None, agency=personas.agency_a, file_name="a.csv", content=content)
    assert PowerItem.objects.get(agency=personas.agency_b).is_active is True


def test_a_file_with_any_bad_row_imports_nothing(personas: Any) -> None:
    agency = personas.agency_a
    existing = PowerItem.objects.create(agency=agency, name="现有事项", kind="penalty", legal_basis="x")
    rows = [POWER_HEADER, power_row(1), power_row(2, kind="行政裁决"), power_row(3, basis="")]
    with pytest.raises(ListImportError) as caught:
        power_items_import(actor=None, agency=agency, file_name="a.csv", content=csv_bytes(rows))
    assert [e.split("：")[0] for e in caught.value.errors] == ["第 3 行", "第 4 行"]
    assert list(PowerItem.objects.filter(agency=agency)) == [existing]
    existing.refresh_from_db()
    assert existing.is_active is True
    assert events(EventType.POWER_ITEMS_IMPORTED) == []


def test_random_check_items_are_imported_and_reimported(personas: Any) -> None:
    agency = personas.agency_a
    rows = [RANDOM_HEADER, random_row(1), random_row(2, category="工贸", item="工贸企业安全生产监督检查")]
    result = random_check_items_import(
        actor=personas.alice, agency=agency, file_name="r.csv", content=csv_bytes(rows)
    )
    assert (result.created, result.updated, result.deactivated) == (2, 0, 0)
    item = RandomCheckItem.objects.get(agency=agency, category="工贸")
    assert (item.targets, item.ratio, item.frequency, item.order) == (
        "辖区内危险化学品经营（带储存）、使用单位",
        "5%",
        "每年1次",
        2,
    )
    changed = [RANDOM_HEADER, [*random_row(1)[:7], "10%", "每年2次"]]
    result = random_check_items_import(
        actor=None, agency=agency, file_name="r2.csv", content=csv_bytes(changed)
    )
    assert (result.created, result.updated, result.deactivated) == (0, 1, 1)
    assert RandomCheckItem.objects.get(agency=agency, category="危险化学品").ratio == "10%"
    assert [json.loads(e.data)["file"] for e in events(EventType.RANDOM_CHECK_ITEMS_IMPORTED)] == [
        "r.csv",
        "r2.csv",
    ]


def test_an_inactive_item_is_not_revived_but_created_anew(personas: Any) -> None:
    agency = personas.agency_a
    old = PowerItem.objects.create(
        agency=agency, name=PENALTY_97, kind="penalty", legal_basis="x", is_active=False
    )
    power_items_import(
        actor=None, agency=agency, file_name="a.csv", content=csv_bytes([POWER_HEADER, power_row(1)])
    )
    assert PowerItem.objects.filter(agency=agency, name=PENALTY_97).exclude(pk=old.pk).get().is_active


def test_the_sample_files_import_cleanly(personas: Any) -> None:
    power = (SAMPLES / "权责清单.xlsx").read_bytes()
    random = (SAMPLES / "随机抽查事项清单.csv").read_bytes()
    assert parse_power_items("权责清单.xlsx", power).errors == []
    assert parse_random_check_items("随机抽查事项清单.csv", random).errors == []
    result = power_items_import(
        actor=None, agency=personas.agency_a, file_name="权责清单.xlsx", content=power
    )
    assert result.created >= 10
    result = random_check_items_import(
        actor=None, agency=personas.agency_a, file_name="随机抽查事项清单.csv", content=random
    )
    assert result.created >= 5


# --- the command ----------------------------------------------------------------------------------------


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_list", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_by_agency_short_name_and_prints_counts(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "随机抽查事项清单.csv"
    path.write_bytes(csv_bytes([RANDOM_HEADER, random_row(1)], "gbk"))
    out, _ = run_command("random", str(path), "--agency", "甲县", "--actor", "alice")
    assert "新增 1" in out
    assert RandomCheckItem.objects.filter(agency=personas.agency_a).count() == 1
    [event] = events(EventType.RANDOM_CHECK_ITEMS_IMPORTED)
    assert event.actor_id == personas.alice.pk


def test_command_accepts_the_agency_id_and_a_dry_run(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "权责清单.csv"
    path.write_bytes(csv_bytes([POWER_HEADER, power_row(1)]))
    out, _ = run_command("power", str(path), "--agency", str(personas.agency_b.pk), "--dry-run")
    assert "检查通过，共 1 项" in out
    assert not PowerItem.objects.exists()
    run_command("power", str(path), "--agency", str(personas.agency_b.pk))
    assert PowerItem.objects.get().agency == personas.agency_b


def test_command_prints_row_errors_and_fails(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "权责清单.csv"
    path.write_bytes(csv_bytes([POWER_HEADER, power_row(1, kind="行政裁决"), power_row(2, basis="")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="文件有 2 处问题，未导入任何内容"):
        call_command("import_list", "power", str(path), "--agency", "甲县", stdout=io.StringIO(), stderr=err)
    assert "第 2 行：职权类型“行政裁决”无法识别" in err.getvalue()
    assert "第 3 行：缺少“设定依据”" in err.getvalue()
    assert not PowerItem.objects.exists()


def test_command_refuses_an_unknown_agency(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([POWER_HEADER, power_row(1)]))
    with pytest.raises(CommandError, match="找不到简称或编号为“丙”的机关"):
        run_command("power", str(path), "--agency", "丙")


# --- the page -------------------------------------------------------------------------------------------


URL = "/agencies/lists/import/"


def upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_the_page_is_at_lists_import() -> None:
    assert reverse("agencies:import_list") == URL


def test_the_page_requires_login(client: Any, personas: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_officer_without_the_admin_role_cannot_import(client: Any, personas: Any) -> None:
    client.force_login(personas.alice)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"list_type": "power", "file": upload("a.csv", csv_bytes([POWER_HEADER, power_row(1)]))}
    )
    assert response.status_code == 403
    assert not PowerItem.objects.exists()


def test_an_admin_previews_then_confirms_an_import(client: Any, personas: Any) -> None:
    UserRole.objects.create(user=personas.alice, role="admin")
    client.force_login(personas.alice)
    page = client.get(URL)
    assert page.status_code == 200
    assert "导入清单" in page.content.decode()
    content = xlsx([["舒城县应急管理局权责清单"], POWER_HEADER, power_row(1)], merges=["A1:G1"])
    preview = client.post(URL, {"list_type": "power", "file": upload("权责清单.xlsx", content)})
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "表头在第 2 行" in text
    assert PENALTY_97 in text
    assert not PowerItem.objects.exists()
    confirm = client.post(
        URL, {"list_type": "power", "action": "confirm", "sha256": hashlib.sha256(content).hexdigest()}
    )
    assert "新增 1 项" in confirm.content.decode()
    assert PowerItem.objects.get().agency == personas.agency_a
    [event] = events(EventType.POWER_ITEMS_IMPORTED)
    assert event.actor_id == personas.alice.pk


def test_the_page_shows_errors_by_row_and_imports_nothing(client: Any, personas: Any) -> None:
    UserRole.objects.create(user=personas.alice, role="leader")
    client.force_login(personas.alice)
    content = csv_bytes([RANDOM_HEADER, random_row(1), random_row(2, item="")], "gbk")
    response = client.post(
        URL, {"list_type": "random", "file": upload("r.csv", content)}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "第 3 行：缺少“抽查事项”" in text
    assert "<html" not in text  # the HTMX partial only
    confirm = client.post(
        URL, {"list_type": "random", "action": "confirm", "sha256": hashlib.sha256(content).hexdigest()}
    )
    assert "待导入的文件已失效" in confirm.content.decode()
    assert not RandomCheckItem.objects.exists()


def test_charlie_cannot_import_into_agency_a(client: Any, personas: Any) -> None:
    UserRole.objects.create(user=personas.charlie, role="admin")
    client.force_login(personas.charlie)
    content = csv_bytes([POWER_HEADER, power_row(1)])
    client.post(URL, {"list_type": "power", "agency": personas.agency_a.pk, "file": upload("a.csv", content)})
    client.post(
        URL, {"list_type": "power", "action": "confirm", "sha256": hashlib.sha256(content).hexdigest()}
    )
    assert not PowerItem.objects.filter(agency=personas.agency_a).exists()
    assert PowerItem.objects.get().agency == personas.agency_b
