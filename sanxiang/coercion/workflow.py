"""The two procedures as readable tables: (stage, action) → next stage, and who may perform the action.

查封、扣押 (行政强制法):

- Art.18: the leader approves before the act; or, Art.19, in an emergency the officers act on the spot,
  report to the leader within 24 hours and obtain the approval afterwards; a refusal means immediate release.
- Art.24: the decision (reasons, basis, period, the list of items in two copies) is made when the act is done.
- Art.25: at most 30 days, extended once by at most 30 days; testing or appraisal time excluded in writing.
- Art.27–28: the measure ends by release (items returned) or by a handling decision (没收, 销毁 …).

先行登记保存 (行政处罚法 Art.56): the 负责人 approves; a handling decision follows within 7 working days.

The services enforce the guards (what must be present); these tables say only which moves exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from sanxiang.accounts.models import Role
from sanxiang.cases.workflow import GuardFailed, Stage
from sanxiang.coercion.models import MeasureAction, MeasureStage, PreservationAction, PreservationStage

# A case in these stages takes no new measure or preservation.
CASE_ENDED = frozenset({Stage.CLOSED, Stage.ARCHIVED})


class TransitionNotAllowed(ValidationError):  # noqa: N818 (read as a sentence, like GuardFailed)
    """The action does not exist from the current stage."""


# GuardFailed is the case procedure's own (what the law requires is missing, in Chinese), re-exported here
# so that one exception type means "refused by a guard" everywhere.
__all__ = [
    "APPROVERS",
    "LEADERS",
    "MEASURE_DRAFT_STAGES",
    "MEASURE_OPEN_STAGES",
    "MEASURE_STEPS",
    "OFFICERS",
    "PRESERVATION_STEPS",
    "GuardFailed",
    "Step",
    "TransitionNotAllowed",
    "measure_actions",
    "measure_step",
    "preservation_actions",
    "preservation_step",
]


@dataclass(frozen=True)
class Step:
    target: str
    roles: frozenset[str]


OFFICERS = frozenset({Role.OFFICER, Role.SECTION_HEAD, Role.LEADER})
LEADERS = frozenset({Role.LEADER})
# 先行登记保存 needs the approval of the 负责人: the section head or a leader of the agency (Art.56).
APPROVERS = frozenset({Role.SECTION_HEAD, Role.LEADER})

M = MeasureStage
MA = MeasureAction

# 查封、扣押. A stage of None is the start: the measure is created by the action.
MEASURE_STEPS: dict[tuple[str | None, str], Step] = {
    (None, MA.REQUEST): Step(M.REQUESTED, OFFICERS),  # Art.18(一) 实施前须向行政机关负责人报告并经批准
    (None, MA.ACT_EMERGENCY): Step(M.EMERGENCY, OFFICERS),  # Art.19 情况紧急，当场实施
    (M.REQUESTED, MA.APPROVE): Step(M.APPROVED, LEADERS),
    (M.REQUESTED, MA.REFUSE): Step(M.REFUSED, LEADERS),
    (M.APPROVED, MA.IMPLEMENT): Step(M.IN_FORCE, OFFICERS),  # Art.18, 24
    (M.EMERGENCY, MA.REPORT): Step(M.REPORTED, OFFICERS),  # Art.19 二十四小时内向负责人报告
    (M.REPORTED, MA.APPROVE): Step(M.IN_FORCE, LEADERS),  # Art.19 补办批准手续
    (M.REPORTED, MA.REFUSE): Step(M.RELEASED, LEADERS),  # Art.19 认为不应当采取的，应当立即解除
    (M.IN_FORCE, MA.EXTEND): Step(M.IN_FORCE, LEADERS),  # Art.25
    (M.IN_FORCE, MA.EXCLUDE_DAYS): Step(M.IN_FORCE, OFFICERS),  # Art.25 检测、检验、检疫或者技术鉴定期间
    (M.IN_FORCE, MA.RELEASE): Step(M.RELEASED, OFFICERS),  # Art.27, 28
    (M.IN_FORCE, MA.HANDLE): Step(M.HANDLED, OFFICERS),  # Art.27 没收、销毁等
}

# Stages in which the measure still binds the party's property: a case cannot be closed while one is open.
MEASURE_OPEN_STAGES = frozenset({M.EMERGENCY, M.REPORTED, M.IN_FORCE})
# Stages in which the decision and its list of items can still be prepared.
MEASURE_DRAFT_STAGES = frozenset({M.REQUESTED, M.APPROVED, M.EMERGENCY})

P = PreservationStage
PA = PreservationAction

PRESERVATION_STEPS: dict[tuple[str | None, str], Step] = {
    (None, PA.REQUEST): Step(P.REQUESTED, OFFICERS),
    (P.REQUESTED, PA.APPROVE): Step(P.PRESERVED, APPROVERS),  # Art.56 经行政机关负责人批准
    (P.REQUESTED, PA.REFUSE): Step(P.REFUSED, APPROVERS),
    (P.PRESERVED, PA.HANDLE): Step(P.HANDLED, OFFICERS),  # Art.56 七日内及时作出处理决定
}


def measure_step(stage: str | None, action: str) -> Step:
    try:
        return MEASURE_STEPS[(stage, action)]
    except KeyError:
        raise TransitionNotAllowed(
            gettext("查封扣押当前状态为“%(stage)s”，不能执行“%(action)s”。")
            % {"stage": _label(MeasureStage, stage), "action": _label(MeasureAction, action)}
        ) from None


def preservation_step(stage: str | None, action: str) -> Step:
    try:
        return PRESERVATION_STEPS[(stage, action)]
    except KeyError:
        raise TransitionNotAllowed(
            gettext("先行登记保存当前状态为“%(stage)s”，不能执行“%(action)s”。")
            % {"stage": _label(PreservationStage, stage), "action": _label(PreservationAction, action)}
        ) from None


def measure_actions(stage: str | None) -> list[str]:
    return [action for (source, action) in MEASURE_STEPS if source == stage]


def preservation_actions(stage: str | None) -> list[str]:
    return [action for (source, action) in PRESERVATION_STEPS if source == stage]


def _label(choices: type, value: str | None) -> str:
    if value is None:
        return gettext("未创建")
    try:
        return str(choices(value).label)
    except ValueError:
        return value
