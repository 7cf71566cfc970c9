from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanxiang.audit import EventType
from sanxiang.audit.models import Event
from sanxiang.deadlines.calendar import CalendarMissing, is_working_day
from sanxiang.deadlines.models import DayKind, HolidayYear, SpecialDay

pytestmark = pytest.mark.django_db

D = datetime.date

CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-20,adjusted_workday,春节
"""


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_holidays", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def state() -> tuple[list[tuple[int, str, str]], list[tuple[D, str, str]], int]:
    years = list(HolidayYear.objects.order_by("year").values_list("year", "notice_number", "notice_url"))
    days = list(SpecialDay.objects.order_by("date").values_list("date", "kind", "name"))
    return years, days, Event.objects.count()


def test_loading_the_shipped_years_creates_2025_and_2026_with_their_notices() -> None:
    output = load()
    assert "2025年：已导入（休息日 28 天，调休上班日 5 天）" in output
    assert "2026年：已导入（休息日 33 天，调休上班日 6 天）" in output
    assert "新导入 2" in output
    y2026 = HolidayYear.objects.get(year=2026)
    assert y2026.notice_title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert y2026.notice_url == "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"
    assert HolidayYear.objects.get(year=2025).notice_url.endswith("202411/content_6986383.htm")
    assert y2026.days.filter(kind=DayKind.ADJUSTED_WORKDAY).count() == 6


def test_loading_records_one_audit_event_per_year_in_the_same_transaction() -> None:
    load()
    events = list(Event.objects.order_by("seq"))
    assert [e.event_type for e in events] == [EventType.HOLIDAY_CALENDAR_LOADED] * 2
    assert {e.subject_type for e in events} == {"deadlines.holidayyear"}
    data = json.loads(events[1].data)
    assert data["year"] == 2026
    assert data["holidays"] == 33
    assert data["adjusted_workdays"] == 6
    assert data["outcome"] == "created"


def test_loading_twice_changes_nothing_and_says_so() -> None:
    load()
    before = state()
    output = load()
    assert state() == before
    assert "未改动 2" in output
    assert "2026年：已是最新，未改动" in output


def test_a_new_year_is_imported_from_a_csv_file(tmp_path: Path) -> None:
    load()
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    with pytest.raises(CalendarMissing):
        is_working_day(D(2027, 2, 8))
    output = load(
        str(path), "--title", "国务院办公厅关于2027年部分节假日安排的通知", "--url", "https://www.gov.cn/x"
    )
    assert "2027年：已导入（休息日 4 天，调休上班日 1 天）" in output
    assert not is_working_day(D(2027, 2, 8))
    assert is_working_day(D(2027, 2, 20))
    assert is_working_day(D(2027, 3, 1))
    assert HolidayYear.objects.get(year=2027).notice_url == "https://www.gov.cn/x"
    assert Event.objects.filter(event_type=EventType.HOLIDAY_CALENDAR_LOADED).count() == 3


def test_a_new_year_is_imported_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps(
            {
                "year": 2027,
                "notice": {"title": "通知", "number": "国办发明电〔2026〕1号", "url": "https://www.gov.cn/y"},
                "days": [{"date": "2027-01-01", "kind": "休息日", "name": "元旦"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    load(str(path))
    assert HolidayYear.objects.get(year=2027).notice_number == "国办发明电〔2026〕1号"
    assert SpecialDay.objects.get(date=D(2027, 1, 1)).kind == DayKind.HOLIDAY


BAD_FILES = [
    ("2027.csv", "2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", "跨越多个年度"),
    ("2027.csv", "2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n", "重复出现"),
    ("2027.csv", "2027-01-01,vacation,元旦\n", "类型“vacation”无效"),
    ("2027.csv", "2027-01-04,adjusted_workday,元旦\n", "本来就是工作日"),
    ("2027.csv", "2027-13-01,holiday,元旦\n", "日期“2027-13-01”无效"),
    ("2027.csv", "2027-01-01,holiday\n", "应有 3 列"),
    ("2027.csv", "2027-01-01,holiday,\n", "缺少节日名称"),
    ("2027.csv", "date,kind,name\n", "没有任何日期"),
    ("2027.json", '{"year": 2027, "days": [', "不是有效的 JSON"),
    (
        "2027.json",
        '{"year": 2027, "days": [{"date": "2026-12-31", "kind": "holiday", "name": "x"}]}',
        "不属于 2027 年",
    ),
    ("2027.txt", "2027-01-01,holiday,元旦\n", "不支持的文件类型"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    load()
    before = state()
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        load(str(path))
    assert message in str(excinfo.value)
    assert "未做任何改动" in str(excinfo.value)
    assert state() == before


def test_a_missing_file_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        load(str(tmp_path / "nope.json"))


def test_a_year_edited_by_the_admin_is_not_overwritten_without_replace(tmp_path: Path) -> None:
    load()
    day = SpecialDay.objects.get(date=D(2026, 2, 14))
    SpecialDay.objects.filter(pk=day.pk).update(name="改过")
    before = state()
    shipped = Path(__file__).resolve().parent.parent / "data" / "2026.json"
    with pytest.raises(CommandError, match="--replace"):
        load(str(shipped))
    assert state() == before
    output = load(str(shipped), "--replace")
    assert "2026年：已按文件替换" in output
    assert SpecialDay.objects.get(date=D(2026, 2, 14)).name == "春节"
    last = Event.objects.order_by("-seq").first()
    assert last is not None
    assert json.loads(last.data)["outcome"] == "replaced"


def test_the_shipped_run_skips_an_edited_year_and_loads_the_rest() -> None:
    load()
    SpecialDay.objects.filter(date=D(2026, 2, 14)).update(name="改过")
    HolidayYear.objects.filter(year=2025).delete()
    err = StringIO()
    out = StringIO()
    call_command("load_holidays", stdout=out, stderr=err)
    assert "2026.json" in err.getvalue()
    assert "新导入 1" in out.getvalue()
    assert "跳过 1" in out.getvalue()
