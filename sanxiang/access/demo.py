"""Demo reads of a recording, so that the access log and the custody history have something to show."""

from __future__ import annotations

from typing import Any

from sanxiang.access import services
from sanxiang.cases.models import CaseOfficer
from sanxiang.evidence.models import Evidence

COLLEAGUE_REASON = "案卷评查：核对查封扣押现场录像与笔录是否一致"
SUPERVISOR_REASON = "执法监督检查：抽查查封扣押全程音像记录"


def load_access_demo(
    *, evidence: Evidence, colleague: Any, supervisor: Any, colleague_reason: str = COLLEAGUE_REASON
) -> dict[str, int]:
    """One view by the case's first handler, one by a colleague who is not a handler (with a reason) and
    one by a supervisor of an upper agency (with a reason), each through the same service as the pages."""
    link = (
        CaseOfficer.objects.filter(case=evidence.case, officer__user__isnull=False)
        .select_related("officer__user")
        .order_by("pk")
        .first()
    )
    views = 0
    if link is not None and link.officer.user is not None:
        services.evidence_view(evidence=evidence, actor=link.officer.user)
        views += 1
    services.evidence_view(evidence=evidence, actor=colleague, reason=colleague_reason)
    services.evidence_view(evidence=evidence, actor=supervisor, reason=SUPERVISOR_REASON)
    return {"evidence_views": views + 2}
