"""Cases in the stage where a fine is being executed, built straight on the models."""

from __future__ import annotations

import datetime
from typing import Any

from sanxiang.accounts.models import UserRole

NUMBER = "（甲县）应急罚〔2026〕12号"
DELIVERED = datetime.date(2026, 3, 2)  # the 15 days of Art.67 end on Tuesday 17 March
FINE = 100000  # 1,000 元


def execution_stage() -> str:
    """The stage from which 执行完毕 is performed once the decision is delivered."""
    from sanxiang.cases.workflow import Stage

    return str(Stage.DELIVERED)


def make_case(
    personas: Any,
    *,
    agency: Any = None,
    number: str = NUMBER,
    fine_fen: int = FINE,
    delivered_on: datetime.date | None = DELIVERED,
    officer: Any = None,
) -> Any:
    """A decided and delivered case of agency A handled by Alice, waiting for its fine."""
    from sanxiang.cases.models import Case, CaseOfficer

    agency = agency or personas.agency_a
    case = Case.objects.create(
        agency=agency,
        title="未按规定开展安全生产教育培训案",
        category=personas.category,
        number=number.replace("罚", "立"),
        stage=execution_stage(),
        decided_on=datetime.date(2026, 2, 26),
        delivered_on=delivered_on,
        decision_number=number,
        fine_fen=fine_fen,
        outcome="penalty",
        created_by=personas.alice,
    )
    CaseOfficer.objects.create(case=case, officer=officer or personas.alice_officer)
    return case


def give_role(user: Any, role: str) -> Any:
    UserRole.objects.create(user=user, role=role)
    user.forget_roles()
    return user
