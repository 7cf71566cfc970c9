"""The leaders' clock of each waiting 调阅 request, as "my work" sees it (``sanxiang.core.due``).

A request waits for a leader of the evidence's agency until it lapses, :data:`services.PENDING_HOURS` hours
after it was made (``valid_until``): the clock is due that day. Deciding it, or its lapse, ends the clock.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sanxiang.access.models import AccessRequest, RequestState
from sanxiang.core import due
from sanxiang.core.due import DueItem

MATTER = "access_request"


def matter_of(access_request: AccessRequest) -> str:
    return f"{MATTER}:{access_request.pk}"


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """One clock per waiting request, due the day it lapses, for the leaders of the evidence's agency."""
    ids = due.matter_ids(matters, MATTER)
    waiting = AccessRequest.objects.filter(state=RequestState.PENDING)
    if ids is not None:
        if not ids:
            return []
        waiting = waiting.filter(pk__in=ids)
    url = reverse("access:requests")
    items = []
    for request in waiting.select_related("evidence__case", "requester").order_by("pk"):
        evidence = request.evidence
        case_number = evidence.case.number if evidence.case is not None else ""
        items.append(
            DueItem(
                key=f"{MATTER}:{request.pk}:decision_due",
                title=gettext_noop("审批%(requester)s的证据调阅申请"),
                title_args={"requester": str(request.requester)},
                subject=" ".join(part for part in (case_number, evidence.original_name) if part),
                due=timezone.localdate(request.valid_until),
                url=url,
                basis=gettext_noop("国办发〔2018〕118号：记录信息调阅监督制度"),
                agency_id=evidence.agency_id,
                roles=("leader",),
            )
        )
    return items
