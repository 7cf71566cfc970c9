"""The life of an inspection as a table: (stage, action) → next stage, and the guards that carry the law.

::

    planned     --record-------> recorded      现场检查记录 (安全生产法 Art.68)
    planned     --cancel-------> cancelled     撤销检查方案 (with a reason)
    recorded    --issue_order--> rectifying    责令限期整改 (Art.65(二))
    recorded    --close--------> closed        no hazard left open
    recorded    --to_case------> transferred   转为案件
    rectifying  --recheck------> rechecked     整改复查
    rectifying  --to_case------> transferred
    rechecked   --issue_order--> rectifying    a new order for what was not rectified
    rechecked   --close--------> closed
    rechecked   --to_case------> transferred

Every action but ``cancel`` is an act of the inspection, so each one checks that at least two assigned
officers hold a valid certificate for the inspection's category on the day of the act (行政处罚法 Art.42,
安全生产法 Art.67). Guards raise :class:`GuardFailed` saying in Chinese what is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.inspections.models import (
    Handling,
    Hazard,
    Inspection,
    RecheckResult,
    RectificationItem,
    SignerKind,
    Stage,
)

MIN_OFFICERS = 2  # 行政处罚法 Art.42: 执法人员不得少于两人


class Action(models.TextChoices):
    RECORD = "record", _("制作现场检查记录")
    CANCEL = "cancel", _("撤销检查方案")
    ISSUE_ORDER = "issue_order", _("责令限期整改")
    RECHECK = "recheck", _("整改复查")
    CLOSE = "close", _("办结")
    TO_CASE = "to_case", _("转为案件")


class TransitionNotAllowed(ValidationError):  # noqa: N818 (named like the cases workflow)
    """The action does not exist from the inspection's current stage."""


class GuardFailed(ValidationError):  # noqa: N818 (named like the cases workflow)
    """A legal condition of the action is not met; the message says which, in Chinese."""


@dataclass(frozen=True)
class Context:
    """What a guard may look at besides the inspection: who acts, on which day, with which note."""

    actor: object
    on: datetime.date
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


Guard = Callable[[Inspection, Context], None]


def officers_certified(inspection: Inspection, ctx: Context) -> None:
    """At least two officers, each with a valid certificate for the category on the day of the act.

    行政处罚法 Art.42 (不得少于两人, 具有行政执法资格); 安全生产法 Art.67 (出示有效的执法证件).
    """
    officers = [a.officer for a in inspection.assignments.select_related("officer").all()]
    if len(officers) < MIN_OFFICERS:
        raise GuardFailed(gettext("检查人员不得少于两人（行政处罚法第四十二条）。"))
    for officer in officers:
        if not officer.is_certified(ctx.on):
            raise GuardFailed(
                gettext("执法人员%(name)s的执法证件在%(day)s不在有效状态，不能实施检查。")
                % {"name": officer.name, "day": ctx.on.isoformat()}
            )
        if not officer.categories.filter(pk=inspection.category_id).exists():
            raise GuardFailed(
                gettext("执法人员%(name)s的执法证件不含“%(category)s”执法类别。")
                % {"name": officer.name, "category": inspection.category.name}
            )


def record_made(inspection: Inspection, ctx: Context) -> None:
    if not hasattr(inspection, "record"):
        raise GuardFailed(gettext("尚未填写现场检查记录。"))


def note_given(inspection: Inspection, ctx: Context) -> None:
    if not ctx.note.strip():
        raise GuardFailed(gettext("请说明撤销检查方案的理由。"))


def signatures_complete(inspection: Inspection, ctx: Context) -> None:
    """Each inspecting officer signed; the unit's 负责人 signed or refused with a note (安全生产法 Art.68)."""
    signed = set(
        inspection.signatures.filter(signer_kind=SignerKind.OFFICER).values_list("officer_id", flat=True)
    )
    missing = [
        a.officer.name for a in inspection.assignments.select_related("officer") if a.officer_id not in signed
    ]
    if missing:
        raise GuardFailed(
            gettext("检查人员尚未在现场检查记录上签名：%(names)s。") % {"names": "、".join(missing)}
        )
    if not inspection.signatures.filter(signer_kind=SignerKind.UNIT_HEAD).exists():
        raise GuardFailed(gettext("被检查单位负责人尚未签名，拒绝签名的须记录在案（安全生产法第六十八条）。"))


def unresolved_hazards(inspection: Inspection) -> list[Hazard]:
    """Hazards not yet dealt with: ordered but never re-checked as rectified, or on an order still running."""
    open_: list[Hazard] = []
    for hazard in inspection.hazards.all():
        if hazard.handling != Handling.ORDER:
            continue
        latest = RecheckResult.objects.filter(hazard=hazard).order_by("-pk").first()
        if latest is None or not latest.rectified:
            open_.append(hazard)
    return open_


def hazards_awaiting_order(inspection: Inspection) -> list[Hazard]:
    """Hazards to be rectified within a time limit that no order covers yet, or whose last re-check failed."""
    waiting: list[Hazard] = []
    for hazard in unresolved_hazards(inspection):
        latest_item = RectificationItem.objects.filter(hazard=hazard).order_by("-pk").first()
        if latest_item is None:
            waiting.append(hazard)
            continue
        rechecked = RecheckResult.objects.filter(hazard=hazard, recheck__order=latest_item.order).exists()
        if rechecked:
            waiting.append(hazard)
    return waiting


def recheck_written(inspection: Inspection, ctx: Context) -> None:
    """A re-check needs an order, and the re-check service writes one result per item before the door."""
    order = inspection.orders.order_by("-pk").first()
    if order is None or not order.items.exists():
        raise GuardFailed(gettext("尚未下达责令限期整改指令书，不能复查。"))
    recheck = order.rechecks.order_by("-pk").first()
    if recheck is None or recheck.results.count() != order.items.count():
        raise GuardFailed(gettext("请逐项填写整改项的复查结果。"))


def order_written(inspection: Inspection, ctx: Context) -> None:
    """The order service writes the order and its items before calling the door; nothing else may."""
    order = inspection.orders.order_by("-pk").first()
    if order is None or not order.items.exists() or order.rechecks.exists():
        raise GuardFailed(gettext("请填写整改项和整改期限。"))


def nothing_open(inspection: Inspection, ctx: Context) -> None:
    waiting = unresolved_hazards(inspection)
    if waiting:
        raise GuardFailed(gettext("尚有%(count)d项事故隐患未整改完毕，不能办结。") % {"count": len(waiting)})


@dataclass(frozen=True)
class Step:
    target: Stage
    guards: tuple[Guard, ...]


TABLE: dict[tuple[Stage, Action], Step] = {
    (Stage.PLANNED, Action.RECORD): Step(Stage.RECORDED, (officers_certified, record_made)),
    (Stage.PLANNED, Action.CANCEL): Step(Stage.CANCELLED, (note_given,)),
    (Stage.RECORDED, Action.ISSUE_ORDER): Step(
        Stage.RECTIFYING, (officers_certified, signatures_complete, order_written)
    ),
    (Stage.RECORDED, Action.CLOSE): Step(
        Stage.CLOSED, (officers_certified, signatures_complete, nothing_open)
    ),
    (Stage.RECORDED, Action.TO_CASE): Step(Stage.TRANSFERRED, (officers_certified, signatures_complete)),
    (Stage.RECTIFYING, Action.RECHECK): Step(Stage.RECHECKED, (officers_certified, recheck_written)),
    (Stage.RECTIFYING, Action.TO_CASE): Step(Stage.TRANSFERRED, (officers_certified,)),
    (Stage.RECHECKED, Action.ISSUE_ORDER): Step(Stage.RECTIFYING, (officers_certified, order_written)),
    (Stage.RECHECKED, Action.CLOSE): Step(Stage.CLOSED, (officers_certified, nothing_open)),
    (Stage.RECHECKED, Action.TO_CASE): Step(Stage.TRANSFERRED, (officers_certified,)),
}


def step(stage: str, action: str) -> Step:
    """The row of the table for ``(stage, action)``; raises :class:`TransitionNotAllowed` in Chinese."""
    try:
        return TABLE[(Stage(stage), Action(action))]
    except (KeyError, ValueError):
        label = Stage(stage).label if stage in Stage.values else stage
        name = Action(action).label if action in Action.values else action
        raise TransitionNotAllowed(
            gettext("检查处于“%(stage)s”环节，不能%(action)s。") % {"stage": label, "action": name}
        ) from None


def actions_from(stage: str) -> list[Action]:
    """Actions the table allows from ``stage``, in table order."""
    return [action for (source, action) in TABLE if source == stage]


# Guards that look at what the action itself writes (record, order, re-check, note): a page cannot run
# them before the user has filled in the form.
CHECKED_ON_SUBMIT: frozenset[Guard] = frozenset({record_made, order_written, recheck_written, note_given})


def blocked_by(inspection: Inspection, action: Action, ctx: Context) -> str | None:
    """Why ``action`` cannot be performed now (the first failing guard), or None if the page may offer it."""
    for guard in step(inspection.stage, action).guards:
        if guard in CHECKED_ON_SUBMIT:
            continue
        try:
            guard(inspection, ctx)
        except GuardFailed as error:
            return " ".join(error.messages)
    return None
