"""办理进度查询 (progress query): a party sees the stage and dates of its case, nothing else.

The party enters the case number (立案编号) or the decision number printed on its documents, and the
query code printed beside it (:mod:`sanxiang.cases.query_code`). What it gets back is a :class:`Progress`:
the public phase of the case and the dates of its milestones (国办发〔2018〕118号, 事中公示: 办理进度查询).
No names, facts, amounts or internal steps.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Case
from sanxiang.cases.query_code import query_code_matches
from sanxiang.cases.workflow import Stage
from sanxiang.documents import numbering

__all__ = ["PHASES", "Milestone", "Progress", "case_progress", "normalise_case_number"]

# The public phase of each internal stage: the party learns where its case is, not who must act inside.
_S = Stage
PHASES: dict[str, Promise] = {
    **dict.fromkeys((_S.LEAD, _S.FILING_SUBMITTED, _S.FILING_REVIEWED), _("受理审查")),
    **dict.fromkeys((_S.INVESTIGATION, _S.INVESTIGATION_REPORTED), _("调查取证")),
    **dict.fromkeys((_S.CASE_REVIEW, _S.PENALTY_PROPOSED), _("审查处理意见")),
    **dict.fromkeys(
        (_S.NOTIFIED, _S.HEARING_REQUESTED, _S.HEARING_SCHEDULED, _S.HEARING_NOTIFIED),
        _("已告知，陈述申辩、听证阶段"),
    ),
    **dict.fromkeys(
        (_S.DEFENCE_CONCLUDED, _S.LEGAL_REVIEW, _S.LEGAL_REVIEWED, _S.DISCUSSED), _("待作出决定")
    ),
    **dict.fromkeys((_S.DECIDED, _S.ON_SPOT_DECIDED), _("已作出决定，待送达")),
    **dict.fromkeys((_S.DELIVERED, _S.COURT_ENFORCEMENT), _("决定已送达，执行阶段")),
    **dict.fromkeys((_S.EXECUTED, _S.CONCLUDED, _S.CLOSING_SUBMITTED), _("待结案")),
    **dict.fromkeys((_S.CLOSED, _S.ARCHIVED), _("已办结")),
}


@dataclass(frozen=True)
class Milestone:
    label: Promise
    day: datetime.date


@dataclass(frozen=True)
class Progress:
    number: str
    agency_name: str
    phase: Promise
    milestones: tuple[Milestone, ...]
    decision_due_on: datetime.date | None  # while no decision is made (行政处罚法第六十条)


def normalise_case_number(text: str) -> str:
    """The number as the system writes it (full-width brackets, 〔〕), else the text as typed, trimmed."""
    try:
        return str(numbering.parse(text))
    except numbering.NumberFormatError:
        return text.strip()


def _progress(case: Case) -> Progress:
    dates = (
        (_("立案"), case.filed_on),
        (_("行政处罚告知"), case.notified_on),
        (_("听证"), case.hearing_held_on),
        (_("作出决定"), case.decided_on),
        (_("送达决定书"), case.delivered_on),
        (_("执行完毕"), case.executed_on),
        (_("结案"), case.closed_on),
    )
    return Progress(
        number=case.number or case.decision_number,
        agency_name=case.agency.name,
        phase=PHASES.get(case.stage, _("办理中")),
        milestones=tuple(Milestone(label, day) for label, day in dates if day is not None),
        decision_due_on=case.decision_due_on if case.decided_on is None else None,
    )


def case_progress(*, number: str, code: str) -> Progress | None:
    """The progress of the case numbered ``number`` (立案编号 or 决定书编号) if ``code`` is its query code."""
    wanted = normalise_case_number(number)
    if not wanted:
        return None
    candidates = Case.objects.select_related("agency").filter(Q(number=wanted) | Q(decision_number=wanted))
    for case in candidates[:5]:
        if query_code_matches(case, code):
            return _progress(case)
    return None
