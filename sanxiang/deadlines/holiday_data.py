"""Holiday files: parse a year's arrangement from JSON or CSV and validate it before anything is written.

JSON (the shipped ``data/<year>.json``)::

    {"year": 2026,
     "notice": {"title": "…", "number": "…", "url": "https://…", "issued_on": "2025-11-04"},
     "days": [{"date": "2026-01-01", "kind": "holiday", "name": "元旦"}, …]}

CSV: one day a line, ``date,kind,name`` (a header line with those names is optional); the notice reference is
given separately. ``kind`` is ``holiday`` / ``adjusted_workday`` or the Chinese labels 休息日 / 调休上班日.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sanxiang.deadlines.models import DayKind

SHIPPED_DIR = Path(__file__).resolve().parent / "data"

_KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY,
    "休息日": DayKind.HOLIDAY,
    "法定节假日": DayKind.HOLIDAY,
    "法定节假日/休息日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "adjusted_workday": DayKind.ADJUSTED_WORKDAY,
    "调休上班日": DayKind.ADJUSTED_WORKDAY,
    "上班": DayKind.ADJUSTED_WORKDAY,
}
MAX_NAME_LENGTH = 50


class HolidayDataError(ValueError):
    """A holiday file or arrangement that must not be loaded; the message says why, in Chinese."""


@dataclass(frozen=True)
class DayData:
    date: datetime.date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class YearData:
    """One year's arrangement as read from a file, before validation against the database."""

    year: int
    days: tuple[DayData, ...]
    notice_title: str = ""
    notice_number: str = ""
    notice_url: str = ""
    issued_on: datetime.date | None = None
    source: str = field(default="", compare=False)

    @property
    def holiday_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.HOLIDAY)

    @property
    def adjusted_workday_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.ADJUSTED_WORKDAY)


def parse_kind(value: str, *, where: str) -> DayKind:
    kind = _KIND_ALIASES.get(value.strip())
    if kind is None:
        raise HolidayDataError(
            _("%(where)s：类型“%(value)s”无效，应为 holiday（休息日）或 adjusted_workday（调休上班日）")
            % {"where": where, "value": value}
        )
    return kind


def parse_date(value: Any, *, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise HolidayDataError(
            _("%(where)s：日期“%(value)s”无效，应为 YYYY-MM-DD 格式") % {"where": where, "value": value}
        ) from None


def check_special_day(*, year: int, date: datetime.date, kind: str, name: str, where: str = "") -> None:
    """Refuse a special day that is outside its year, of an unknown kind, unnamed, or a weekday 调休上班日."""
    prefix = _("%(where)s：") % {"where": where} if where else ""
    if date.year != year:
        raise HolidayDataError(
            _("%(prefix)s日期 %(date)s 不属于 %(year)s 年")
            % {"prefix": prefix, "date": date.isoformat(), "year": year}
        )
    if kind not in DayKind.values:
        raise HolidayDataError(_("%(prefix)s类型“%(kind)s”无效") % {"prefix": prefix, "kind": kind})
    if not name.strip():
        raise HolidayDataError(
            _("%(prefix)s日期 %(date)s 缺少节日名称") % {"prefix": prefix, "date": date.isoformat()}
        )
    if len(name) > MAX_NAME_LENGTH:
        raise HolidayDataError(
            _("%(prefix)s节日名称不能超过 %(max_name_length)s 个字")
            % {"prefix": prefix, "max_name_length": MAX_NAME_LENGTH}
        )
    if kind == DayKind.ADJUSTED_WORKDAY and date.weekday() < 5:
        raise HolidayDataError(
            _("%(prefix)s%(date)s 是%(weekday)s，本来就是工作日，不能列为调休上班日")
            % {"prefix": prefix, "date": date.isoformat(), "weekday": date_format(date, "l")}
        )


def validate(data: YearData) -> None:
    """Check a whole year: sensible year, every day inside it, no date twice, at least one day."""
    if not 1949 <= data.year <= 2999:
        raise HolidayDataError(_("年度 %(year)s 无效") % {"year": data.year})
    if not data.days:
        raise HolidayDataError(_("%(year)s年的文件中没有任何日期") % {"year": data.year})
    if data.notice_url and not data.notice_url.startswith(("https://", "http://")):
        raise HolidayDataError(
            _("通知网址“%(notice_url)s”无效，应以 https:// 开头") % {"notice_url": data.notice_url}
        )
    seen: set[datetime.date] = set()
    for number, day in enumerate(data.days, start=1):
        where = _("第 %(number)s 个日期") % {"number": number}
        check_special_day(year=data.year, date=day.date, kind=day.kind, name=day.name, where=where)
        if day.date in seen:
            raise HolidayDataError(
                _("%(where)s：日期 %(date)s 重复出现") % {"where": where, "date": day.date.isoformat()}
            )
        seen.add(day.date)


def _years_of(days: list[DayData]) -> int:
    years = sorted({d.date.year for d in days})
    if len(years) > 1:
        raise HolidayDataError(
            _("文件中的日期跨越多个年度（%(years)s），一个文件只能包含一个年度")
            % {"years": "、".join(str(y) for y in years)}
        )
    if not years:
        raise HolidayDataError(_("文件中没有任何日期"))
    return years[0]


def parse_json(text: str, *, source: str = "") -> YearData:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HolidayDataError(
            _("文件不是有效的 JSON（第 %(lineno)s 行）") % {"lineno": exc.lineno}
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("days"), list):
        raise HolidayDataError(_("JSON 文件应包含 year、notice 和 days 三项，days 为日期列表"))
    days: list[DayData] = []
    for number, item in enumerate(raw["days"], start=1):
        where = _("第 %(number)s 个日期") % {"number": number}
        if not isinstance(item, dict):
            raise HolidayDataError(_("%(where)s：应为包含 date、kind、name 的对象") % {"where": where})
        days.append(
            DayData(
                date=parse_date(item.get("date", ""), where=where),
                kind=parse_kind(str(item.get("kind", "")), where=where),
                name=str(item.get("name", "")).strip(),
            )
        )
    year = raw.get("year")
    if year is None:
        year = _years_of(days)
    if isinstance(year, bool) or not isinstance(year, int):
        raise HolidayDataError(_("年度“%(year)s”无效，应为整数") % {"year": year})
    notice = raw.get("notice") or {}
    if not isinstance(notice, dict):
        raise HolidayDataError(_("notice 应为包含 title、number、url 的对象"))
    issued = notice.get("issued_on")
    data = YearData(
        year=year,
        days=tuple(days),
        notice_title=str(notice.get("title", "")).strip(),
        notice_number=str(notice.get("number", "")).strip(),
        notice_url=str(notice.get("url", "")).strip(),
        issued_on=parse_date(issued, where=_("发布日期")) if issued else None,
        source=source,
    )
    validate(data)
    return data


def parse_csv(
    text: str,
    *,
    source: str = "",
    notice_title: str = "",
    notice_number: str = "",
    notice_url: str = "",
) -> YearData:
    days: list[DayData] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        cells = [cell.strip() for cell in row]
        if number == 1 and [c.lower() for c in cells[:3]] == ["date", "kind", "name"]:
            continue
        where = _("第 %(number)s 行") % {"number": number}
        if len(cells) != 3:
            raise HolidayDataError(
                _("%(where)s：应有 3 列（date,kind,name），实有 %(count)s 列")
                % {"where": where, "count": len(cells)}
            )
        days.append(
            DayData(
                date=parse_date(cells[0], where=where),
                kind=parse_kind(cells[1], where=where),
                name=cells[2],
            )
        )
    data = YearData(
        year=_years_of(days),
        days=tuple(days),
        notice_title=notice_title.strip(),
        notice_number=notice_number.strip(),
        notice_url=notice_url.strip(),
        source=source,
    )
    validate(data)
    return data


def read_file(path: Path, **notice: str) -> YearData:
    """Parse a holiday file by its extension (.json or .csv); CSV takes the notice reference as keywords."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HolidayDataError(_("找不到文件：%(path)s") % {"path": path}) from None
    except UnicodeDecodeError:
        raise HolidayDataError(_("文件 %(name)s 不是 UTF-8 编码") % {"name": path.name}) from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json(text, source=path.name)
    if suffix == ".csv":
        return parse_csv(text, source=path.name, **notice)
    raise HolidayDataError(_("不支持的文件类型“%(suffix)s”，只接受 .json 或 .csv") % {"suffix": path.suffix})


def shipped_files() -> list[Path]:
    """The arrangements shipped with the application, oldest year first."""
    return sorted(SHIPPED_DIR.glob("*.json"))
