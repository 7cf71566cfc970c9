"""Which acts of a case need an audio/video record (音像记录), and the warning where one is recommended.

国办发〔2018〕118号 (执法全过程记录, domain.md §1.2) asks for a 全程音像记录 of 查封扣押财产、强制拆除
and other on-site acts that directly affect personal freedom, life and health or major property rights,
and for AV recording 根据实际情况 of 现场执法、调查取证、举行听证、留置送达、公告送达 and other processes
likely to cause disputes. :data:`RULES` is that list as a table, one row per act of the 音像记录事项清单.

A *required* record is enforced where the act is completed (查封扣押: ``sanxiang.coercion``). A *recommended*
one never blocks anything: :func:`av_warning` says, where the act is recorded, that the case has no AV record
of it covering the act's time, and what to do.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.evidence.models import AVRecord, RecordedAct


class Need(enum.StrEnum):
    REQUIRED = "required"  # the act cannot be completed without a covering record
    RECOMMENDED = "recommended"  # a warning when none covers the act


@dataclass(frozen=True)
class Rule:
    act: RecordedAct
    need: Need
    source: str  # what asks for the record, e.g. "国办发〔2018〕118号: 查封扣押财产…全程音像记录"


RULES: dict[str, Rule] = {
    rule.act: rule
    for rule in (
        # 查封扣押财产、强制拆除等直接涉及重大财产权益的现场执法活动: 全程音像记录.
        Rule(RecordedAct.SEAL_SEIZE, Need.REQUIRED, "国办发〔2018〕118号：查封扣押财产应当全程音像记录"),
        # 现场执法、调查取证、举行听证、留置送达和公告送达等容易引发争议的过程: 根据实际情况音像记录.
        Rule(RecordedAct.HEARING, Need.RECOMMENDED, "国办发〔2018〕118号：举行听证"),
        Rule(RecordedAct.DELIVERY, Need.RECOMMENDED, "国办发〔2018〕118号：留置送达、公告送达"),
        Rule(RecordedAct.PRESERVATION, Need.RECOMMENDED, "国办发〔2018〕118号：现场执法、调查取证"),
        Rule(RecordedAct.SITE_INSPECTION, Need.RECOMMENDED, "国办发〔2018〕118号：现场执法"),
        Rule(RecordedAct.SAMPLING, Need.RECOMMENDED, "国办发〔2018〕118号：调查取证"),
    )
}


def need(act: str) -> Need | None:
    """Whether an AV record of ``act`` is required, recommended, or neither (``None``)."""
    rule = RULES.get(act)
    return rule.need if rule is not None else None


def _covering(case: Any, act: str, at: datetime.datetime | datetime.date) -> bool:
    """Whether the case has an AV record of ``act`` running at ``at``, or on the day ``at`` if a date."""
    records = AVRecord.objects.filter(case=case, act=act)
    if isinstance(at, datetime.datetime):
        return records.filter(started_at__lte=at, ended_at__gte=at).exists()
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(at, datetime.time.min, zone)
    end = start + datetime.timedelta(days=1)
    return records.filter(started_at__lt=end, ended_at__gte=start).exists()


def av_warning(case: Any, act: str, at: datetime.datetime | datetime.date | None) -> str | None:
    """The warning to show where ``act`` of ``case`` is recorded, or ``None``.

    Only for acts where a record is recommended (a required one is enforced, not warned of), when the case has
    no AV record of that act covering ``at`` — an instant, or a day for acts recorded by date.
    """
    if case is None or at is None or need(act) is not Need.RECOMMENDED:
        return None
    if _covering(case, act, at):
        return None
    return _(
        "本案尚无覆盖该时间的“%(act)s”音像记录。依照国办发〔2018〕118号，%(act)s宜进行音像记录："
        "请在本案证据中上传执法记录仪录像，并登记为“%(act)s”音像记录，摄录起止时间须覆盖该事项。"
        "没有录像的，请在案卷中说明原因。"
    ) % {"act": RecordedAct(act).label}
