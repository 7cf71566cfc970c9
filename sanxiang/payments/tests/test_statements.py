import datetime
import io

import openpyxl
import pytest

from sanxiang.payments.statements import (
    find_numbers,
    normalise_number,
    number_key,
    parse_amount_fen,
    parse_date,
    parse_statement,
)

NUMBER = "（甲县）应急罚〔2026〕12号"


@pytest.mark.parametrize(
    "memo",
    [
        "缴纳罚款（甲县）应急罚〔2026〕12号",
        "罚款 (甲县)应急罚[2026]12号 张三",
        "（ 甲县 ）应急罚【2026】12号",
        "甲县罚没款(甲县)应急罚〔2026〕第12号",
        "(甲县)应急罚［2026］012号",
        "（甲县）应急罚〔２０２６〕１２号",
        "（甲县）应急罚〔2026〕12",
        "（甲县） 应急罚 〔2026〕 12 号",
    ],
)
def test_a_decision_number_is_found_in_memos_however_it_is_spelt(memo):
    assert find_numbers(memo, {number_key(NUMBER): "case"}) == ["case"]


@pytest.mark.parametrize(
    "memo",
    [
        "（甲县）应急罚〔2026〕123号",  # another serial that starts with the same digits
        "（甲县）应急罚〔2025〕12号",  # another year
        "（乙县）应急罚〔2026〕12号",  # another agency
        "（甲县）应急罚〔2026〕",
        "",
    ],
)
def test_a_similar_number_is_not_taken_for_the_decision_number(memo):
    assert find_numbers(memo, {number_key(NUMBER): "case"}) == []


def test_a_memo_naming_two_decisions_finds_both():
    keys = {number_key(NUMBER): 1, number_key("（甲县）应急罚〔2026〕13号"): 2}
    assert find_numbers(f"{NUMBER}、（甲县）应急罚〔2026〕13号", keys) == [1, 2]


def test_normalised_numbers_agree_across_bracket_styles():
    assert normalise_number("（甲县）应急罚〔2026〕12号") == normalise_number("(甲县) 应急罚 [2026] 12 号")


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1,000.00", 100000), ("¥200", 20000), ("200.5元", 20050), ("０.０１", 1), ("", 0), ("-50.00", -5000)],
)
def test_amounts_are_read_as_exact_fen(text, fen):
    assert parse_amount_fen(text) == fen


@pytest.mark.parametrize("text", ["1.005", "一百元", "12,3.4.5"])
def test_amounts_that_are_not_exact_fen_are_refused(text):
    with pytest.raises(ValueError, match=r"."):
        parse_amount_fen(text)


@pytest.mark.parametrize(
    "text", ["2026-03-05", "2026/3/5", "2026.03.05", "2026年3月5日", "20260305", "2026-03-05 14:22:01"]
)
def test_dates_are_read_in_the_formats_banks_print(text):
    assert parse_date(text) == datetime.date(2026, 3, 5)


GBK_CSV = (
    "中国农业银行 账户交易明细\n"
    "账号：1234567890,,,,,\n"
    "交易日期,交易流水号,借方金额,贷方金额,对方户名,摘要\n"
    '2026-03-05,AB001,,"1,000.00",舒城县某某化工有限公司,罚款（甲县）应急罚〔2026〕12号\n'
    "2026-03-05,AB002,50.00,,本单位,手续费\n"
    "2026/3/6,AB003,,200.00,张三,(甲县)应急罚[2026]13号\n"
    '合计,,50.00,"1,200.00",,\n'
)


def test_a_gbk_csv_with_a_title_block_is_read_and_outgoing_rows_skipped():
    parsed = parse_statement("明细.csv", GBK_CSV.encode("gbk"))
    assert parsed.ok, parsed.errors
    assert parsed.header_row == 3
    assert parsed.skipped_outgoing == 1
    assert [(r.row, r.transaction_number, r.amount_fen, r.payer_name) for r in parsed.rows] == [
        (4, "AB001", 100000, "舒城县某某化工有限公司"),
        (6, "AB003", 20000, "张三"),
    ]
    assert parsed.rows[1].booked_on == datetime.date(2026, 3, 6)


def test_a_utf8_csv_with_bom_and_other_header_names_is_read():
    text = "\ufeff记账日期,流水号,金额（元）,付款人,附言\n20260305,X1,300,李四,（甲县）应急罚〔2026〕1号\n"
    parsed = parse_statement("s.csv", text.encode("utf-8"))
    assert parsed.ok, parsed.errors
    row = parsed.rows[0]
    assert (row.transaction_number, row.amount_fen, row.payer_name, row.memo) == (
        "X1",
        30000,
        "李四",
        "（甲县）应急罚〔2026〕1号",
    )


def test_an_xlsx_statement_is_read():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["交易明细"])
    sheet.append(["交易日期", "交易流水号", "贷方金额", "对方户名", "备注"])
    booked = datetime.datetime(2026, 3, 5, 10, 0)  # noqa: DTZ001 (Excel cells are naive)
    sheet.append([booked, 2026030500012, 1000.5, "某公司", "应急罚〔2026〕12号"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_statement("statement.xlsx", buffer.getvalue())
    assert parsed.ok, parsed.errors
    row = parsed.rows[0]
    assert (row.row, row.booked_on, row.transaction_number, row.amount_fen) == (
        3,
        datetime.date(2026, 3, 5),
        "2026030500012",
        100050,
    )


def test_a_file_without_the_needed_columns_is_refused_in_chinese():
    parsed = parse_statement("s.csv", "日期,金额\n2026-03-05,1\n".encode())
    assert not parsed.ok
    assert "未找到表头" in parsed.errors[0]


def test_bad_cells_are_reported_by_row():
    text = (
        "交易日期,流水号,金额,摘要\n2026-13-45,A1,10,x\n2026-03-05,A2,abc,x\n"
        "2026-03-05,A3,10,x\n2026-03-06,A3,10,y\n"
    )
    parsed = parse_statement("s.csv", text.encode())
    assert parsed.errors == [
        "第 2 行：无法识别交易日期“2026-13-45”。",
        "第 3 行：无法识别金额“abc”。",
        "第 5 行：交易流水号 A3 与第 4 行重复。",
    ]


def test_a_file_of_another_type_is_refused():
    parsed = parse_statement("s.pdf", b"%PDF-1.4")
    assert parsed.errors == ["只能导入 .xlsx 或 .csv 格式的对账单。"]


def test_a_broken_xlsx_is_refused():
    parsed = parse_statement("s.xlsx", b"not a workbook")
    assert "无法读取该 Excel 文件" in parsed.errors[0]
