"""Who may see and act on a case: plain predicates over the workflow table's ``who`` column."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases.workflow import AUTOMATIC, Stage, Step, Who

if TYPE_CHECKING:
    from sanxiang.cases.models import Case


class NotPermitted(PermissionDenied):
    """The user sees the case but may not perform this step."""


def can_view_case(user: Any, case: Case) -> bool:
    """Staff of the case's agency, and supervisors of the agencies above it, may read a case."""
    return case.agency_id in visible_agency_ids(user)


def is_handler(user: Any, case: Case) -> bool:
    """The user is one of the case's handling officers (承办人员)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return case.case_officers.filter(officer__user_id=user.pk).exists()


def _of_agency(user: Any, case: Case) -> bool:
    # Supervisors read the agencies below them but never act in their cases.
    return getattr(user, "is_authenticated", False) and user.agency_id == case.agency_id


def can_act_as(user: Any, case: Case, who: str) -> bool:
    """Whether ``user`` is a ``who`` (a :class:`Who`) of ``case``'s agency, for this case."""
    if not _of_agency(user, case):
        return False
    if who == Who.HANDLER:
        return is_handler(user, case)
    if who == Who.SECTION_HEAD:
        return bool(user.has_role("section_head"))
    if who == Who.LEADER:
        return bool(user.has_role("leader"))
    if who == Who.LEGAL_REVIEWER:
        # The reviewer is someone other than the case's handlers (国办发〔2018〕118号; 行政处罚法 Art.58).
        return bool(user.has_role("legal_reviewer")) and not is_handler(user, case)
    if who == Who.ARCHIVIST:
        return bool(user.has_role("archivist"))
    if who == Who.EXECUTOR:
        return is_handler(user, case) or bool(user.has_role("leader"))
    return False


def can_edit_lead(user: Any, case: Case) -> bool:
    """A lead not yet submitted for filing is corrected by its handlers (``leads.case_lead_update``)."""
    return case.stage == Stage.LEAD and _of_agency(user, case) and is_handler(user, case)


def can_perform(user: Any, case: Case, step: Step) -> bool:
    return can_act_as(user, case, step.who)


def require_automatic(user: Any, case: Case, step: Step) -> None:
    """A step the system records itself (:data:`workflow.AUTOMATIC`), under staff of the case's agency."""
    if step.action not in AUTOMATIC:
        raise NotPermitted(gettext("“%(action)s”不能由系统自动办理。") % {"action": step.action.label})
    if not _of_agency(user, case):
        raise NotPermitted(gettext("只有本机关工作人员的操作可以引起系统自动办理。"))


def require(user: Any, case: Case, step: Step) -> None:
    if not can_perform(user, case, step):
        raise NotPermitted(
            gettext("“%(action)s”须由%(who)s办理。")
            % {"action": step.action.label, "who": Who(step.who).label}
        )
