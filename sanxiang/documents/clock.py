"""The date and time documents are drafted and issued on: the cases' own "today" (one clock for a case).

Tests and the demo set :func:`sanxiang.cases.workflow.today`; a document issued then is dated that day.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from sanxiang.cases import workflow

__all__ = ["now", "today"]


def today() -> datetime.date:
    return workflow.today()


def now() -> datetime.datetime:
    """Now, or the current time of day on the cases' today when that is another day."""
    current = timezone.localtime()
    day = workflow.today()
    if current.date() == day:
        return current
    return datetime.datetime.combine(day, current.time().replace(microsecond=0), tzinfo=current.tzinfo)
