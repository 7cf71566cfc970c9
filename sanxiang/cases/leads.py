"""Writes to a lead (案源) before it is filed: its handlers correct the facts it was registered with.

A lead records what is known when a matter comes in; the officers find out more before they ask for filing
(the day of the act, when it ended, the procedure that fits it). Until the filing is submitted it is not yet a
record of any decision, so its facts may be corrected — but never silently: every change is written to the
audit log with the old and the new value, who made it, when and why. Once submitted (立案待审核 and later)
the lead is the basis of the filing decision and changes only through the workflow.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang import audit
from sanxiang.cases import permissions, workflow
from sanxiang.cases.models import Case, Procedure
from sanxiang.cases.workflow import GuardFailed, Stage

__all__ = ["LEAD_FIELDS", "case_lead_update"]

# The facts of a lead its handlers may correct, with the label each change is reported under.
LEAD_FIELDS: dict[str, Any] = {
    "title": _("案由"),
    "procedure": _("程序"),
    "facts": _("违法事实"),
    "act_date": _("违法行为发生日期"),
    "act_ended_on": _("违法行为终了日期"),
    "discovered_on": _("发现日期"),
    "endangers_life_health": _("涉及公民生命健康安全且有危害后果"),
}
# Free text that may name people: the log keeps its SHA-256, never the text (the log holds no content).
DIGESTED = {"facts"}


def _stored(name: str, value: Any) -> Any:
    """The value as the audit log keeps it: dates as ISO text, free text as its SHA-256, the rest as it is."""
    if name in DIGESTED:
        return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()
    return value.isoformat() if isinstance(value, datetime.date) else value


def _check(case: Case, values: dict[str, Any]) -> None:
    """The same rules as when the lead was opened (services.case_open), on the values after the change."""
    today = workflow.today()
    if not str(values["title"]).strip():
        raise GuardFailed(gettext("请填写案由。"))
    if values["procedure"] not in Procedure.values:
        raise GuardFailed(gettext("程序无效。"))
    for name in ("act_date", "act_ended_on", "discovered_on"):
        day = values[name]
        if day is not None and (isinstance(day, datetime.datetime) or not isinstance(day, datetime.date)):
            raise GuardFailed(gettext("%(label)s格式无效。") % {"label": str(LEAD_FIELDS[name])})
        if day is not None and day > today:
            raise GuardFailed(gettext("%(label)s不能晚于今天。") % {"label": str(LEAD_FIELDS[name])})
    act_date, ended, found = values["act_date"], values["act_ended_on"], values["discovered_on"]
    if ended is not None and act_date is None:
        raise GuardFailed(gettext("填写违法行为终了日期时，须同时填写发生日期。"))
    if act_date and ended and ended < act_date:
        raise GuardFailed(gettext("违法行为终了日期不能早于发生日期。"))
    if act_date and found and found < act_date:
        raise GuardFailed(gettext("发现日期不能早于违法行为发生日期。"))


@transaction.atomic
def case_lead_update(*, case: Case, actor: Any, reason: str = "", **changes: Any) -> Case:
    """Correct the facts of a lead (:data:`LEAD_FIELDS`) while it is at 案源登记; its handlers only.

    Changing the procedure changes the first step offered: filing for the general procedure (行政处罚法
    Art.54), the on-the-spot decision for the simple one (Art.51). The change is recorded as
    ``CASE_LEAD_CHANGED`` with ``{field: {"from": old, "to": new}}`` and the reason (the facts' text by its
    SHA-256: the log keeps no content). Unknown fields, a lead
    already submitted for filing, or bad values are refused in Chinese and nothing is written; a form that
    changes nothing is refused too, so the log holds no empty entries.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.can_view_case(actor, locked):
        raise Case.DoesNotExist("No Case matches the given query.")
    unknown = set(changes) - set(LEAD_FIELDS)
    if unknown:
        raise GuardFailed(gettext("不能修改的案源信息：%(names)s") % {"names": "、".join(sorted(unknown))})
    if locked.stage != Stage.LEAD:
        raise GuardFailed(
            gettext("案件处于“%(stage)s”阶段：只有尚未提请立案的案源可以修改登记信息。")
            % {"stage": locked.get_stage_display()}
        )
    if not permissions.is_handler(actor, locked) or getattr(actor, "agency_id", None) != locked.agency_id:
        raise permissions.NotPermitted(gettext("只有本案承办人员可以修改案源登记信息。"))
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()
    if "facts" in changes:
        changes["facts"] = str(changes["facts"])
    if "endangers_life_health" in changes:
        changes["endangers_life_health"] = bool(changes["endangers_life_health"])
    before = {name: getattr(locked, name) for name in LEAD_FIELDS}
    after = {**before, **changes}
    _check(locked, after)
    changed = {name: after[name] for name in LEAD_FIELDS if after[name] != before[name]}
    if not changed:
        raise GuardFailed(gettext("没有修改任何案源登记信息。"))
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*changed, "updated_at"])
    audit.record(
        audit.EventType.CASE_LEAD_CHANGED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={
            "changes": {
                name: {"from": _stored(name, before[name]), "to": _stored(name, value)}
                for name, value in changed.items()
            },
            "reason": reason.strip()[:500],
        },
    )
    case.refresh_from_db()
    return locked
