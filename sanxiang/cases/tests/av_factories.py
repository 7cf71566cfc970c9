"""An audio/video record of an act of a case, made as an officer makes one: upload, then describe."""

from __future__ import annotations

import datetime
import io
from typing import Any

from sanxiang.evidence import services as evidence_services
from sanxiang.evidence.models import AVRecord


def record_av(
    case: Any,
    act: str,
    *,
    actor: Any,
    collectors: list[Any],
    started_at: datetime.datetime,
    minutes: int = 60,
    coercive_measure: Any = None,
) -> AVRecord:
    """The body-worn camera's video of ``act``, captured from ``started_at`` for ``minutes``."""
    measure = getattr(coercive_measure, "pk", "")
    data = f"执法记录仪录像 {case.pk} {act} {started_at.isoformat()} {measure}".encode()
    upload = evidence_services.upload_start(
        case=case, actor=actor, name=f"ZF01_{started_at:%Y%m%d_%H%M}.mp4", size=len(data)
    )
    upload = evidence_services.upload_append(
        upload=upload, offset=0, source=io.BytesIO(data), length=len(data), actor=actor
    )
    assert upload.evidence is not None
    return evidence_services.av_record_describe(
        actor=actor,
        evidence=upload.evidence,
        act=act,
        started_at=started_at,
        ended_at=started_at + datetime.timedelta(minutes=minutes),
        collectors=collectors,
        device="执法记录仪 ZF-01",
        coercive_measure=coercive_measure,
    )
