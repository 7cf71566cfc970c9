"""Who may add evidence to a case and who may see it: plain predicates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sanxiang.cases.models import Case
from sanxiang.cases.permissions import can_view_case, is_handler
from sanxiang.evidence.models import Evidence
from sanxiang.inspections.permissions import can_act as can_act_on_inspection

INGEST_ROLES = ("section_head", "leader")


def can_view_evidence(user: Any, case: Case) -> bool:
    """Whoever may read the case sees its list of evidence (opening an original is a logged 调阅, later)."""
    return can_view_case(user, case)


def can_ingest(user: Any, case: Case) -> bool:
    """The case's handlers, and its agency's section heads and leaders, add evidence to it."""
    if not getattr(user, "is_authenticated", False) or user.agency_id != case.agency_id:
        return False
    return is_handler(user, case) or any(user.has_role(role) for role in INGEST_ROLES)


def require_ingest(user: Any, case: Case) -> None:
    if not can_ingest(user, case):
        raise PermissionDenied(_("只有本案承办人员、承办股室负责人或机关负责人可以添加证据。"))


def can_view_item(user: Any, evidence: Evidence) -> bool:
    """An item's own page (hashes, metadata, its AV description): the handlers of its case and the agency's
    section heads and leaders; of an inspection, its officers and the same heads. Anyone else goes through a
    logged 调阅."""
    if evidence.case is not None:
        return can_ingest(user, evidence.case)
    if evidence.inspection is not None:
        return can_act_on_inspection(user, evidence.inspection)
    return False


def can_view_thumbnail(user: Any, evidence: Evidence) -> bool:
    """A thumbnail is shown wherever the item is listed: to whoever may read the case's evidence list."""
    if evidence.case is not None:
        return can_view_evidence(user, evidence.case)
    return can_view_item(user, evidence)
