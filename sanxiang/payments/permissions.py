"""Who may see and record payments: plain predicates."""

from __future__ import annotations

from typing import Any

from sanxiang.agencies.selectors import visible_agency_ids

# Besides the officers handling the case, these roles of the deciding agency may enter payments.
RECORDING_ROLES = ("section_head", "leader", "admin")


def _own_agency(user: Any, agency_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.agency_id == agency_id)


def handles_case(user: Any, case: Any) -> bool:
    """The user is one of the officers handling (承办) the case."""
    from sanxiang.cases.models import CaseOfficer

    return CaseOfficer.objects.filter(case_id=case.pk, officer__user_id=user.pk).exists()


def can_view_payments(user: Any, case: Any) -> bool:
    return bool(case.agency_id in visible_agency_ids(user))


def can_record_payment(user: Any, case: Any) -> bool:
    """Officers handling the case, and the agency's section heads, leaders and admins."""
    if not _own_agency(user, case.agency_id):
        return False
    if any(user.has_role(role) for role in RECORDING_ROLES):
        return True
    return bool(user.has_role("officer") and handles_case(user, case))


def can_decide_deferral(user: Any, case: Any) -> bool:
    """Deferral and instalments are approved by the agency's leader (行政处罚法 Art.66: 经行政机关批准)."""
    return bool(_own_agency(user, case.agency_id) and user.has_role("leader"))


def can_import_statement(user: Any) -> bool:
    """A bank statement covers the whole agency: its section heads, leaders and admins import it."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and any(user.has_role(role) for role in RECORDING_ROLES)
    )
