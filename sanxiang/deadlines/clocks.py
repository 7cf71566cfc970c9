"""The statutory clocks, one named function each, citing the article it implements.

Periods of 二日、三日、五日、七日 in the 行政处罚法 are working days (Art.85), as are the 行政强制法
periods of ten days or fewer (Art.69); other periods are calendar days. In every case the start day is not
counted and a period ending on a rest day ends on the next working day (民事诉讼法 Art.85).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from sanxiang.deadlines.calendar import (
    add_calendar_days,
    add_calendar_days_provisional,
    add_months,
    add_working_days,
    subtract_working_days,
)

__all__ = [
    "LATE_FEE_DAILY_PERCENT",
    "cash_handover_due",
    "coercion_extension_end",
    "coercion_period_end",
    "coercion_ten_days",
    "complaint_response_due",
    "decision_due",
    "decision_due_provisional",
    "delivery_due",
    "hearing_notice_latest",
    "hearing_request_due",
    "late_fee",
    "legal_review_due",
    "litigation_due",
    "payment_due",
    "preservation_decision_due",
    "publication_due_other",
    "publication_due_penalty",
    "reconsideration_due",
    "withdrawal_due",
]

LATE_FEE_DAILY_PERCENT = 3


def publication_due_penalty(decided_on: datetime.date) -> datetime.date:
    """Publish a penalty decision within 7 working days of the decision.

    行政处罚法 Art.48 (decisions with social impact are published), 安全生产法 Art.78 (within 7 个工作日).
    """
    return add_working_days(decided_on, 7)


def publication_due_other(decided_on: datetime.date) -> datetime.date:
    """Publish other decisions and inspection results within 20 working days.

    国发〔2019〕5号 (双随机、一公开: results within 20 working days; wording unverified, domain.md Gaps 5).
    """
    return add_working_days(decided_on, 20)


def withdrawal_due(revoked_on: datetime.date) -> datetime.date:
    """Withdraw a published decision within 3 working days of its 变更、撤销、确认违法或确认无效.

    行政处罚法 Art.48 (三日内撤回并公开说明理由) read with Art.85 (三日 = working days).
    """
    return add_working_days(revoked_on, 3)


def hearing_request_due(notified_on: datetime.date) -> datetime.date:
    """Last day for the party to request a hearing: 5 working days after the notice.

    行政处罚法 Art.64(一) (告知后五日内提出) read with Art.85.
    """
    return add_working_days(notified_on, 5)


def hearing_notice_latest(hearing_on: datetime.date) -> datetime.date:
    """Latest day to notify the party of the hearing: the 7th working day before it.

    行政处罚法 Art.64(二) (举行听证的七日前通知) read with Art.85. Counted back from the hearing day, which is
    itself not counted, so that 7 working days run from the day after the notice up to the hearing.
    """
    return subtract_working_days(hearing_on, 7)


def preservation_decision_due(preserved_on: datetime.date) -> datetime.date:
    """Decide on evidence under 先行登记保存 within 7 working days.

    行政处罚法 Art.56 (七日内及时作出处理决定) read with Art.85.
    """
    return add_working_days(preserved_on, 7)


def delivery_due(decided_on: datetime.date) -> datetime.date:
    """Deliver a decision to an absent party within 7 working days of the decision.

    行政处罚法 Art.61 (七日内依照民事诉讼法的有关规定送达) read with Art.85.
    """
    return add_working_days(decided_on, 7)


def cash_handover_due(collected_on: datetime.date) -> datetime.date:
    """Hand fines collected on the spot to the agency, and the agency to the bank, within 2 working days.

    行政处罚法 Art.71 (二日内) read with Art.85. Fines collected on water run from the day of landing.
    """
    return add_working_days(collected_on, 2)


def payment_due(received_on: datetime.date) -> datetime.date:
    """Last day to pay a fine: 15 calendar days after receiving the decision.

    行政处罚法 Art.67 (收到行政处罚决定书之日起十五日内); 十五日 is not in Art.85's list.
    """
    return add_calendar_days(received_on, 15)


def decision_due(filed_on: datetime.date) -> datetime.date:
    """Decide a case within 90 calendar days of filing (立案), unless a sector rule says otherwise.

    行政处罚法 Art.60.
    """
    return add_calendar_days(filed_on, 90)


def decision_due_provisional(filed_on: datetime.date) -> tuple[datetime.date, bool]:
    """:func:`decision_due`, or its nominal day and ``True`` while that year's holidays are not loaded.

    行政处罚法 Art.60; see :func:`sanxiang.deadlines.calendar.add_calendar_days_provisional`.
    """
    return add_calendar_days_provisional(filed_on, 90)


def coercion_period_end(decided_on: datetime.date) -> datetime.date:
    """End of a 查封、扣押: at most 30 days.

    行政强制法 Art.25; time for testing or appraisal is excluded and must be stated in writing.
    """
    return add_calendar_days(decided_on, 30)


def coercion_extension_end(period_end: datetime.date) -> datetime.date:
    """End of a 查封、扣押 extended once, with the 负责人's approval, by at most 30 more days.

    行政强制法 Art.25.
    """
    return add_calendar_days(period_end, 30)


def coercion_ten_days(start: datetime.date, days: int = 10) -> datetime.date:
    """End of a 行政强制法 period of ten days or fewer (e.g. 十日 after a 催告书, Art.54): working days.

    行政强制法 Art.69 (十日以内期限的规定是指工作日，不含法定节假日).
    """
    if not 1 <= days <= 10:
        raise ValueError(_("行政强制法第六十九条只适用于十日以内的期限，收到 %(days)s 日") % {"days": days})
    return add_working_days(start, days)


def reconsideration_due(known_on: datetime.date) -> datetime.date:
    """Last day to apply for 行政复议: 60 days after the party knew of the act.

    行政复议法 (2023) Art.20.
    """
    return add_calendar_days(known_on, 60)


def litigation_due(known_on: datetime.date) -> datetime.date:
    """Last day to bring 行政诉讼: 6 months after the party knew of the act.

    行政诉讼法 Art.46 (六个月; the old 三个月 of the 2016 document templates is superseded).
    """
    return add_months(known_on, 6)


def legal_review_due(submitted_on: datetime.date, days: int = 5) -> datetime.date:
    """Finish a 法制审核 within ``days`` working days of submission (5 by default).

    The period is set by local rules implementing 国办发〔2018〕118号 (unverified); the default is theirs.
    """
    return add_working_days(submitted_on, days)


def complaint_response_due(received_on: datetime.date, days: int = 15) -> datetime.date:
    """Answer a complaint or report (投诉举报) within ``days`` working days of its receipt (15 by default).

    A local rule (settings.COMPLAINT_RESPONSE_DAYS); 《信访工作条例》 (2022) Art.32 gives 15 days to tell the
    person whether the matter is accepted (unverified).
    """
    return add_working_days(received_on, days)


def late_fee(fine_fen: int, overdue_days: int) -> int:
    """加处罚款 in fen: 3% of the fine per overdue day, never more than the fine (行政处罚法 Art.72).

    Rounded down to the fen. ``overdue_days`` must already exclude days spent in 复议 or 诉讼 (Art.73).
    """
    if isinstance(fine_fen, bool) or not isinstance(fine_fen, int) or fine_fen < 0:
        raise ValueError(_("罚款金额必须是非负整数（分），收到 %(fine_fen)s") % {"fine_fen": repr(fine_fen)})
    if isinstance(overdue_days, bool) or not isinstance(overdue_days, int) or overdue_days < 0:
        raise ValueError(
            _("逾期天数必须是非负整数，收到 %(overdue_days)s") % {"overdue_days": repr(overdue_days)}
        )
    return min(fine_fen * LATE_FEE_DAILY_PERCENT * overdue_days // 100, fine_fen)
