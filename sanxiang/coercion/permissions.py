"""Who may see and act on coercive measures: plain predicates, checked by views and services alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.coercion import workflow
from sanxiang.coercion.models import CoerciveMeasure, Preservation


def _has_any_role(user: Any, roles: frozenset[str]) -> bool:
    return any(user.has_role(role) for role in roles)


def _is_staff_of(user: Any, agency_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.agency_id == agency_id and user.role_set)


def can_view_agency_matters(user: Any, agency_id: int) -> bool:
    """Staff with a role in the agency, and supervisors of the agencies above it."""
    if not getattr(user, "is_authenticated", False) or not user.role_set:
        return False
    return agency_id in visible_agency_ids(user)


def can_view_measure(user: Any, measure: CoerciveMeasure) -> bool:
    return can_view_agency_matters(user, measure.agency_id)


def can_view_preservation(user: Any, preservation: Preservation) -> bool:
    return can_view_agency_matters(user, preservation.agency_id)


def can_start_measure(user: Any, agency_id: int) -> bool:
    """Officers, section heads and leaders of the case's own agency; a supervisor above may only look."""
    return _is_staff_of(user, agency_id) and _has_any_role(user, workflow.OFFICERS)


def can_perform_measure(user: Any, measure: CoerciveMeasure, action: str) -> bool:
    """The action exists from the measure's stage and the user holds one of its roles in its agency."""
    step = workflow.MEASURE_STEPS.get((measure.stage, action))
    return step is not None and _is_staff_of(user, measure.agency_id) and _has_any_role(user, step.roles)


def can_edit_measure_draft(user: Any, measure: CoerciveMeasure) -> bool:
    """Items and the AV record are entered by the officers while the decision is being prepared."""
    return measure.stage in workflow.MEASURE_DRAFT_STAGES and can_start_measure(user, measure.agency_id)


def can_perform_preservation(user: Any, preservation: Preservation, action: str) -> bool:
    step = workflow.PRESERVATION_STEPS.get((preservation.stage, action))
    return step is not None and _is_staff_of(user, preservation.agency_id) and _has_any_role(user, step.roles)


def can_edit_preservation_items(user: Any, preservation: Preservation) -> bool:
    return preservation.stage == workflow.P.REQUESTED and can_start_measure(user, preservation.agency_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(gettext("您无权执行该操作。"))
