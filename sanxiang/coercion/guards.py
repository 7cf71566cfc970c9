"""Guards this app adds to the case procedure."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from sanxiang.coercion.models import CoerciveMeasure, Preservation, PreservationStage
from sanxiang.coercion.workflow import MEASURE_OPEN_STAGES


def no_open_measure(case: Any, actor: Any, data: Any) -> None:
    """A case is not closed while property stays sealed, seized or preserved.

    行政强制法 Art.27–28 (a 查封、扣押 ends by release or a handling decision) and 行政处罚法 Art.56
    (先行登记保存 ends by a handling decision).
    """
    from sanxiang.cases.workflow import GuardFailed

    if CoerciveMeasure.objects.filter(case_id=case.pk, stage__in=MEASURE_OPEN_STAGES).exists():
        raise GuardFailed(gettext("本案查封扣押未解除或未作处理，不能结案。"))
    if Preservation.objects.filter(case_id=case.pk, stage=PreservationStage.PRESERVED).exists():
        raise GuardFailed(gettext("本案先行登记保存的证据尚未作出处理决定，不能结案。"))
