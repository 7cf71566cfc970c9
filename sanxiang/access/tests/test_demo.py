from __future__ import annotations

from typing import Any

from sanxiang.access.demo import COLLEAGUE_REASON, SUPERVISOR_REASON, load_access_demo
from sanxiang.access.models import Basis, EvidenceAccess
from sanxiang.evidence.models import Evidence


def test_the_demo_reads_show_a_handler_a_colleague_with_a_reason_and_a_supervisor(
    clip: Evidence, personas: Any
) -> None:
    assert load_access_demo(evidence=clip, colleague=personas.bob, supervisor=personas.supervisor) == {
        "evidence_views": 3
    }
    rows = list(EvidenceAccess.objects.values_list("user__username", "basis", "reason"))
    assert rows == [
        ("alice", Basis.HANDLER, ""),
        ("bob", Basis.REASON, COLLEAGUE_REASON),
        ("sup", Basis.SUPERVISOR, SUPERVISOR_REASON),
    ]
