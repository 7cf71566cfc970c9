"""Who may open an original, on what terms, and who oversees the reads: plain predicates.

* the case's handlers, and the agency's section heads and leaders, open directly (logged, no reason);
* a supervisor of the agency or of an agency above it opens in real time with a reason, no approval
  (国办发〔2018〕118号: 可实时调阅);
* other staff of the agency state a reason, and wait for a leader's approval where the agency's
  :class:`~sanxiang.access.models.AccessPolicy` asks for it;
* nobody else opens it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sanxiang.access.models import AccessPolicy, AccessRequest, Basis
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases.permissions import is_handler
from sanxiang.evidence.models import Evidence

LEADERSHIP_ROLES = ("section_head", "leader")
OVERSIGHT_ROLES = ("supervisor", "leader")


class Route(enum.Enum):
    DIRECT = "direct"  # opens at once, no reason asked
    REASON = "reason"  # states a reason, then opens
    APPROVAL = "approval"  # states a reason, then waits for a leader
    DENIED = "denied"


@dataclass(frozen=True)
class Terms:
    route: Route
    basis: Basis | None = None

    @property
    def needs_reason(self) -> bool:
        return self.route in (Route.REASON, Route.APPROVAL)


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "agency_id", None) is not None


def approval_required(agency_id: int) -> bool:
    return AccessPolicy.objects.filter(agency_id=agency_id, approval_required=True).exists()


def access_terms(user: Any, evidence: Evidence) -> Terms:
    """On what terms ``user`` may open ``evidence``'s original."""
    if not _authenticated(user):
        return Terms(Route.DENIED)
    own_agency = user.agency_id == evidence.agency_id
    if own_agency and evidence.case is not None and is_handler(user, evidence.case):
        return Terms(Route.DIRECT, Basis.HANDLER)
    if own_agency and any(user.has_role(role) for role in LEADERSHIP_ROLES):
        return Terms(Route.DIRECT, Basis.LEADERSHIP)
    if user.has_role("supervisor") and evidence.agency_id in visible_agency_ids(user):
        return Terms(Route.REASON, Basis.SUPERVISOR)
    if own_agency:
        if approval_required(evidence.agency_id):
            return Terms(Route.APPROVAL, Basis.APPROVED)
        return Terms(Route.REASON, Basis.REASON)
    return Terms(Route.DENIED)


def require_access(user: Any, evidence: Evidence) -> Terms:
    terms = access_terms(user, evidence)
    if terms.route is Route.DENIED:
        raise PermissionDenied(_("您无权调阅该证据：只有本机关工作人员和上级监督人员可以调阅。"))
    return terms


def can_see_custody(user: Any, evidence: Evidence) -> bool:
    """The custody history (who stored, checked and opened the original) is shown to whoever may open it."""
    return _authenticated(user) and access_terms(user, evidence).route is not Route.DENIED


def can_decide(user: Any, access_request: AccessRequest) -> bool:
    """A leader of the evidence's agency approves or refuses, never their own request."""
    return (
        _authenticated(user)
        and user.has_role("leader")
        and user.agency_id == access_request.evidence.agency_id
        and user.pk != access_request.requester_id
    )


def can_decide_for(user: Any) -> bool:
    return _authenticated(user) and bool(user.has_role("leader"))


def can_set_policy(user: Any, agency_id: int) -> bool:
    return _authenticated(user) and user.agency_id == agency_id and bool(user.has_role("leader"))


def can_read_access_log(user: Any) -> bool:
    return _authenticated(user) and any(user.has_role(role) for role in OVERSIGHT_ROLES)


def access_log_agency_ids(user: Any) -> set[int]:
    """A supervisor or a leader oversees reads in their own agency and in every agency below it."""
    if not can_read_access_log(user):
        return set()
    return {user.agency_id} | user.agency.descendant_ids()
