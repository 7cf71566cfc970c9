"""Document numbers: the forms found on published documents, the canonical form, and gapless allocation."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.agencies.models import Agency
from sanxiang.documents import numbering
from sanxiang.documents.models import NumberSeries
from sanxiang.documents.numbering import DocumentNumber, NumberFormatError

DECISION = DocumentNumber(agency="舒", code="应急罚", year=2026, serial="12")
SUB_UNIT = DocumentNumber(agency="舒", code="应急罚", year=2026, serial="执法二中队-9")

# (text as published, what it means)
PUBLISHED_FORMS = [
    ("（舒）应急罚〔2026〕12号", DECISION),
    ("(舒)应急罚[2026]12号", DECISION),
    ("(舒)应急罚〔2026〕12号", DECISION),
    ("（舒)应急罚〔2026〕12号", DECISION),
    ("（舒）应急罚［2026］12号", DECISION),
    ("（舒）应急罚[2026]12号", DECISION),
    ("（舒）应急罚﹝2026﹞12号", DECISION),
    ("（舒）应急罚【2026】12号", DECISION),
    ("（舒）应急罚〔2026]12号", DECISION),
    ("（舒）应急罚[2026〕12号", DECISION),
    ("（舒）应急罚【2026］12号", DECISION),
    ("（舒）应急罚〔2026〕12 号", DECISION),
    ("（舒） 应急罚 〔 2026 〕 12 号", DECISION),
    ("  ( 舒 )应急罚 [2026] 12号  ", DECISION),
    ("（舒）应急罚\u3000〔2026〕\u300012号", DECISION),
    ("（舒）应急罚〔２０２６〕１２号", DECISION),
    ("（舒）应急罚〔2026〕12", DECISION),
    ("（舒）应急罚〔2026〕第12号", DECISION),
    ("（舒）应急罚〔2026〕012号", DECISION),
    ("（舒）应急罚〔2026〕执法二中队-9号", SUB_UNIT),
    ("（舒）应急罚〔2026〕执法二中队－9号", SUB_UNIT),
    ("（舒）应急罚〔2026〕执法二中队 - 9 号", SUB_UNIT),
    ("（舒）应急罚〔2026〕执法二中队-9", SUB_UNIT),
    ("（舒）应急罚〔2026〕第一中队-3号", DocumentNumber("舒", "应急罚", 2026, "第一中队-3")),
    ("（舒）安监管罚告〔2010〕1号", DocumentNumber("舒", "安监管罚告", 2010, "1")),
    ("（舒）安监罚〔2017〕45号", DocumentNumber("舒", "安监罚", 2017, "45")),
    ("（甲县）应急责改〔2026〕3号", DocumentNumber("甲县", "应急责改", 2026, "3")),
    ("（舒）应急执行催告〔2026〕2号", DocumentNumber("舒", "应急执行催告", 2026, "2")),
]


@pytest.mark.parametrize(("text", "expected"), PUBLISHED_FORMS)
def test_every_published_form_is_read_into_its_parts(text: str, expected: DocumentNumber) -> None:
    assert numbering.parse(text) == expected


def test_the_canonical_form_has_full_width_parentheses_the_year_brackets_and_no_spaces() -> None:
    number = numbering.format(agency="舒", code="应急罚", year=2026, serial=12)
    assert number == "（舒）应急罚〔2026〕12号"
    assert "\u3014" in number and "\u3015" in number
    assert str(DECISION) == number


def test_a_sub_unit_serial_is_kept_as_text_and_has_no_integer() -> None:
    number = numbering.parse("（舒）应急罚〔2026〕执法二中队-9号")
    assert number.serial == "执法二中队-9"
    assert number.serial_int is None
    assert numbering.parse("（舒）应急罚〔2026〕9号").serial_int == 9


# (text, what the message must say)
NOT_NUMBERS = [
    ("", "文书编号为空"),
    ("   ", "文书编号为空"),
    ("预立案", "“预立案”不是文书编号"),
    ("应急罚〔2026〕12号", "应以括号中的机关简称开头"),
    ("（舒应急罚〔2026〕12号", "机关简称缺少右括号"),
    ("（）应急罚〔2026〕12号", "缺少机关简称"),
    ("（舒）〔2026〕12号", "缺少文书代码"),
    ("（舒）ABC〔2026〕12号", "文书代码“ABC”只能由汉字组成"),
    ("（舒）应急罚2026年12号", "缺少年份及其括号"),
    ("（舒）应急罚〔2026 12号", "年份缺少右括号"),
    ("（舒）应急罚〔〕12号", "缺少年份。"),
    ("（舒）应急罚〔26〕12号", "年份“26”应为四位数字"),
    ("（舒）应急罚〔二〇二六〕12号", "年份“二〇二六”应为四位数字"),
    ("（舒）应急罚〔2026〕号", "缺少序号"),
    ("（舒）应急罚〔2026〕", "缺少序号"),
    ("（舒）应急罚〔2026〕0号", "序号应从 1 开始"),
    ("（舒）应急罚〔2026〕十二号", "序号“十二”无效"),
    ("（舒）应急罚〔2026〕12-1号", "序号“12-1”无效"),
    ("（舒）应急罚〔2026〕12号之一", "“号”之后不应再有文字：之一"),
]


@pytest.mark.parametrize(("text", "message"), NOT_NUMBERS)
def test_text_that_is_not_a_number_is_refused_with_a_chinese_message(text: str, message: str) -> None:
    with pytest.raises(NumberFormatError, match=message):
        numbering.parse(text)


def test_a_number_format_error_is_a_value_error() -> None:
    assert issubclass(NumberFormatError, ValueError)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"agency": "", "code": "应急罚", "year": 2026, "serial": 1}, "缺少机关简称"),
        ({"agency": "舒）", "code": "应急罚", "year": 2026, "serial": 1}, "只能由文字组成"),
        ({"agency": "舒", "code": "应急 罚", "year": 2026, "serial": 1}, "只能由汉字组成"),
        ({"agency": "舒", "code": "应急罚", "year": 226, "serial": 1}, "应为四位数字"),
        ({"agency": "舒", "code": "应急罚", "year": 2026, "serial": 0}, "序号应从 1 开始"),
        ({"agency": "舒", "code": "应急罚", "year": 2026, "serial": -3}, "无效"),
        ({"agency": "舒", "code": "应急罚", "year": 2026, "serial": True}, "序号应为正整数"),
    ],
)
def test_parts_that_could_not_be_read_back_are_refused_by_format(parts: dict, message: str) -> None:
    with pytest.raises(NumberFormatError, match=message):
        numbering.format(**parts)


def test_numbers_quoted_in_an_evidence_list_are_found_in_order() -> None:
    text = (
        "证据清单：1. 现场检查记录（舒）应急检记〔2026〕5号；2. 责令限期整改指令书 (舒)应急责改 [2026] 3 号；"
        "3. 复查意见书（霍）应急复查﹝２０２５﹞执法二中队-9号，详见第（二）项。"
    )
    assert numbering.find_all(text) == [
        DocumentNumber("舒", "应急检记", 2026, "5"),
        DocumentNumber("舒", "应急责改", 2026, "3"),
        DocumentNumber("霍", "应急复查", 2025, "执法二中队-9"),
    ]


def test_running_text_without_a_number_yields_nothing() -> None:
    assert numbering.find_all("根据《安全生产法》第一百零二条（一）项，〔2026〕年度。") == []


# format → parse → format is the identity

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
agencies = st.text(HAN, min_size=1, max_size=6)
codes = st.text(HAN, min_size=1, max_size=6).map(lambda rest: "应急" + rest)
years = st.integers(min_value=1990, max_value=2099)
plain_serials = st.integers(min_value=1, max_value=999_999)
sub_unit_serials = st.builds(
    lambda unit, n: f"{unit}-{n}", st.text(HAN, min_size=1, max_size=6), plain_serials
)


@settings(max_examples=300, deadline=None)  # no deadline: a loaded CI machine is not a failure
@given(agency=agencies, code=codes, year=years, serial=st.one_of(plain_serials, sub_unit_serials))
def test_format_then_parse_then_format_gives_the_same_number(
    agency: str, code: str, year: int, serial: int | str
) -> None:
    text = numbering.format(agency=agency, code=code, year=year, serial=serial)
    parts = numbering.parse(text)
    assert (parts.agency, parts.code, parts.year, parts.serial) == (agency, code, year, str(serial))
    again = numbering.format(agency=parts.agency, code=parts.code, year=parts.year, serial=parts.serial)
    assert again == text
    assert numbering.find_all(f"见{text}。") == [parts]


# Allocation


@pytest.fixture
def agency(db: None) -> Agency:
    return Agency.objects.create(name="舒城县应急管理局", short_name="舒", region_code="341523")


@pytest.fixture
def other_agency(db: None) -> Agency:
    return Agency.objects.create(name="霍山县应急管理局", short_name="霍", region_code="341525")


def test_allocation_in_one_series_gives_1_2_3(agency: Agency) -> None:
    with transaction.atomic():
        serials = [numbering.allocate(agency=agency, code="应急罚", year=2026) for _ in range(3)]
    assert serials == [1, 2, 3]
    assert NumberSeries.objects.get(agency=agency, code="应急罚", year=2026).last == 3


def test_series_are_independent_per_agency_code_and_year(agency: Agency, other_agency: Agency) -> None:
    with transaction.atomic():
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 1
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 2
        assert numbering.allocate(agency=agency, code="应急罚", year=2027) == 1
        assert numbering.allocate(agency=other_agency, code="应急罚", year=2026) == 1
        assert numbering.allocate(agency=agency, code="应急责改", year=2026) == 1
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 3


def test_allocate_number_gives_the_formatted_number(agency: Agency, other_agency: Agency) -> None:
    with transaction.atomic():
        assert numbering.allocate_number(agency=agency, code="应急罚", year=2026) == "（舒）应急罚〔2026〕1号"
        assert numbering.allocate_number(agency=agency, code="应急罚", year=2026) == "（舒）应急罚〔2026〕2号"
        other = numbering.allocate_number(agency=other_agency, code="应急罚", year=2026)
        assert other == "（霍）应急罚〔2026〕1号"


class IssueFailedError(Exception):
    pass


def test_a_rolled_back_allocation_is_given_back(agency: Agency) -> None:
    with transaction.atomic():
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 1
    with pytest.raises(IssueFailedError), transaction.atomic():
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 2
        raise IssueFailedError
    with transaction.atomic():
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 2


def test_the_first_allocation_of_a_series_rolled_back_leaves_no_series(agency: Agency) -> None:
    with pytest.raises(IssueFailedError), transaction.atomic():
        numbering.allocate(agency=agency, code="应急查扣", year=2026)
        raise IssueFailedError
    assert not NumberSeries.objects.filter(code="应急查扣").exists()


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused_in_chinese() -> None:
    agency = Agency.objects.create(name="舒城县应急管理局", short_name="舒", region_code="341523")
    with pytest.raises(numbering.TransactionRequiredError, match="须在使用它的事务中分配"):
        numbering.allocate(agency=agency, code="应急罚", year=2026)
    assert not NumberSeries.objects.exists()


@pytest.mark.parametrize(("code", "year"), [("", 2026), ("YJF", 2026), ("应急罚", 26)])
def test_allocation_of_a_malformed_series_is_refused_and_creates_nothing(
    agency: Agency, code: str, year: int
) -> None:
    with pytest.raises(NumberFormatError), transaction.atomic():
        numbering.allocate(agency=agency, code=code, year=year)
    assert not NumberSeries.objects.exists()


def test_adopting_a_counter_raises_the_series_so_used_numbers_are_not_given_again(agency: Agency) -> None:
    NumberSeries.objects.create(agency=agency, code="应急责改", year=2026, last=9)
    changed = numbering.adopt_counters(
        NumberSeries,
        [
            (agency.pk, "应急罚", 2026, 7),  # new series: starts after 7
            (agency.pk, "应急责改", 2026, 4),  # the series is ahead: keeps 9
            (agency.pk, "应急立", 2025, 0),
        ],
    )
    assert changed == 2
    with transaction.atomic():
        assert numbering.allocate(agency=agency, code="应急罚", year=2026) == 8
        assert numbering.allocate(agency=agency, code="应急责改", year=2026) == 10
        assert numbering.allocate(agency=agency, code="应急立", year=2025) == 1


def test_adopting_the_same_counters_twice_changes_nothing_the_second_time(agency: Agency) -> None:
    rows = [(agency.pk, "应急罚", 2026, 7)]
    assert numbering.adopt_counters(NumberSeries, rows) == 1
    assert numbering.adopt_counters(NumberSeries, rows) == 0
    assert NumberSeries.objects.get(code="应急罚").last == 7
