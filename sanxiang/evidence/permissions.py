"""Who may add evidence to a case and who may see it: plain predicates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sanxiang.cases.models import Case
from sanxiang.cases.permissions import can_view_case, is_handler

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
