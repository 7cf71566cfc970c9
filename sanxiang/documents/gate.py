"""The gate: a case step is refused until the documents its row of the table names are issued.

:data:`sanxiang.cases.workflow.TABLE` says, per step, which documents (``Step.documents``) it needs. One guard
per action, registered from :meth:`DocumentsConfig.ready`, reads the row of the case's current stage and
refuses, in Chinese, naming every missing document. A decision's 决定书 must also state the penalties the
leader decides (the document is the decision: 行政处罚法 Art.59); a delivery needs a delivery record of the
decision resting on a signed 文书送达回执 or on the party's consent to electronic delivery (Art.61).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext

from sanxiang.cases import workflow
from sanxiang.cases.workflow import Action, GuardFailed, Needs, Step
from sanxiang.documents import doctypes
from sanxiang.documents.models import Delivery, DeliveryMethod, Document, DocumentStatus

__all__ = ["Requirement", "check", "guard_for", "register", "requirements"]


@dataclass(frozen=True)
class Requirement:
    """One need of a step, resolved for a case: the type titles, whether it applies and the document found."""

    needs: Needs
    titles: tuple[str, ...]
    applies: bool
    document: Document | None
    delivered: bool

    @property
    def met(self) -> bool:
        return not self.applies or (
            self.document is not None and (self.delivered or not self.needs.delivered)
        )

    @property
    def label(self) -> str:
        text = gettext("或").join(f"《{t}》" for t in self.titles)
        if self.needs.delivered:
            text += gettext("（并已送达）")
        return text


def _in_force(case: Any) -> list[Document]:
    return list(
        Document.objects.filter(case=case, status=DocumentStatus.ISSUED, void__isnull=True)
        .select_related("type")
        .prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.select_related("receipt__type", "consent__type"))
        )
        .order_by("-issued_at", "-pk")
    )


def _delivery_counts(document: Document) -> bool:
    """A delivery on a signed receipt, or electronic with the party's consent (行政处罚法 Art.61)."""
    for delivery in document.deliveries.all():
        receipt = delivery.receipt
        if receipt is not None and receipt.status == DocumentStatus.ISSUED and not receipt.is_voided:
            return True
        consent = delivery.consent
        if (
            delivery.method == DeliveryMethod.ELECTRONIC
            and consent is not None
            and consent.status == DocumentStatus.ISSUED
            and not consent.is_voided
        ):
            return True
    return False


def requirements(
    case: Any, needs: Iterable[Needs], *, documents: list[Document] | None = None
) -> list[Requirement]:
    """Each need resolved against the case's issued, not voided documents (newest first)."""
    found = _in_force(case) if documents is None else documents
    out = []
    for need in needs:
        applies = need.when(case) if need.when is not None else True
        matching = [d for d in found if d.type.key in need.keys]
        document = next((d for d in matching if _delivery_counts(d)), None) if need.delivered else None
        document = document or (matching[0] if matching else None)
        titles = tuple(_title(case.agency_id, key) for key in need.keys)
        out.append(
            Requirement(
                need,
                titles,
                applies,
                document,
                delivered=document is not None and need.delivered and _delivery_counts(document),
            )
        )
    return out


def _title(agency_id: int, key: str) -> str:
    doc_type = doctypes.type_for(agency_id, key)
    return doc_type.title if doc_type is not None else key


def _pair(penalty: Any) -> tuple[str, int]:
    if isinstance(penalty, dict):
        return str(penalty.get("kind")), int(penalty.get("amount_fen") or 0)
    return str(penalty.kind), int(penalty.amount_fen)


def _same_penalties(document: Document, decided: list[Any]) -> bool:
    """The 决定书's penalties are the decided ones: same kinds and amounts, whatever the order."""
    return Counter(_pair(p) for p in document.fields.get("penalties") or []) == Counter(
        _pair(p) for p in decided
    )


def check(case: Any, step: Step, data: dict[str, Any]) -> None:
    """Raise :class:`GuardFailed` naming every document ``step`` still needs for ``case``."""
    if not step.documents:
        return
    reqs = requirements(case, step.documents)
    missing = [r for r in reqs if not r.met]
    if missing:
        raise GuardFailed(
            gettext("“%(action)s”须先签发以下文书：%(documents)s。")
            % {"action": step.action.label, "documents": "、".join(r.label for r in missing)}
        )
    if step.action == Action.DECIDE and data.get("penalties"):
        decision = next(r.document for r in reqs if r.applies and r.document is not None)
        if not _same_penalties(decision, list(data["penalties"])):
            raise GuardFailed(
                gettext("决定的处罚与行政处罚决定书%(number)s载明的处罚不一致（行政处罚法第五十九条）。")
                % {"number": decision.number}
            )


@functools.cache
def guard_for(action: str) -> workflow.Guard:
    """The guard of ``action``: the row of the case's current stage names the documents (one function per
    action, so registering twice is once)."""

    def documents_issued(case: Any, actor: Any, data: dict[str, Any]) -> None:
        check(case, workflow.step(case.stage, action), data)

    documents_issued.__name__ = f"documents_issued_{action}"
    documents_issued.__doc__ = "The documents the row of the table names are issued (and delivered)."
    return documents_issued


def register() -> None:
    """Register the gate on every action whose rows name documents; called from ``ready()``."""
    for action in sorted({str(step.action) for step in workflow.TABLE if step.documents}):
        workflow.register_guard(action, guard_for(action))
