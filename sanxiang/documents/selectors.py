"""Reads of documents, always scoped to what the user may see.

:func:`case_panel` gathers what the documents panel of a case page shows: the documents the next steps of the
table need (present or missing), every document of the case with its number, status, signatures and
deliveries, and the types that may be drafted now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import workflow
from sanxiang.cases.workflow import GuardFailed, Step
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.documents import doctypes, gate, permissions
from sanxiang.documents.models import Delivery, Document, DocumentType, Signature

__all__ = [
    "CasePanel",
    "NeedRow",
    "case_panel",
    "document_get_for",
    "document_list_for",
    "documents_for_case",
    "documents_for_inspection",
    "inspection_panel",
]


def document_list_for(user: Any) -> QuerySet[Document]:
    """The documents of the agencies ``user`` sees."""
    return Document.objects.filter(agency_id__in=visible_agency_ids(user))


def document_get_for(user: Any, pk: int) -> Document:
    """One document the user may see, or ``Document.DoesNotExist`` (a 404 for other agencies)."""
    document = (
        document_list_for(user).select_related("type", "agency", "case", "inspection", "replaces").get(pk=pk)
    )
    if not permissions.can_view_document(user, document):
        raise Document.DoesNotExist("No Document matches the given query.")
    return document


def _with_details(rows: QuerySet[Document]) -> QuerySet[Document]:
    return (
        rows.select_related("type", "void", "issued_by", "drafted_by")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
            Prefetch("deliveries", queryset=Delivery.objects.select_related("receipt", "consent")),
        )
        .order_by("type__order", "drafted_at", "pk")
    )


def documents_for_case(user: Any, case: Any) -> list[Document]:
    if not permissions.can_view_matter(user, case=case):
        return []
    return list(_with_details(Document.objects.filter(case=case)))


def documents_for_inspection(user: Any, inspection: Any) -> list[Document]:
    if not permissions.can_view_matter(user, inspection=inspection):
        return []
    return list(_with_details(Document.objects.filter(inspection=inspection)))


@dataclass
class NeedRow:
    """One document a next step needs: the step, the requirement, and what the user may do about it."""

    step: Step
    requirement: gate.Requirement
    draft_type: DocumentType | None
    draft: Document | None

    @property
    def action_label(self) -> str:
        return str(self.step.action.label)


@dataclass
class CasePanel:
    needs: list[NeedRow] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    draftable: list[DocumentType] = field(default_factory=list)
    other_types: list[DocumentType] = field(default_factory=list)
    can_draft: bool = False


def _next_steps(case: Any, user: Any) -> list[Step]:
    """The rows leaving the case's stage whose own (data-free) guards pass: the steps that may come next."""
    found = []
    for step in workflow.steps_from(case.stage):
        if not step.documents:
            continue
        try:
            for guard in step.guards:
                if guard not in workflow.DATA_GUARDS:
                    guard(case, user, {})
        except (GuardFailed, CalendarMissing):
            continue
        found.append(step)
    return found


def case_panel(user: Any, case: Any) -> CasePanel:
    """What the documents panel of ``case`` shows to ``user``."""
    panel = CasePanel()
    if not permissions.can_view_matter(user, case=case):
        return panel
    panel.documents = documents_for_case(user, case)
    issued = [d for d in panel.documents if d.is_in_force]
    drafts = [d for d in panel.documents if not d.is_issued]
    seen: set[tuple[str, ...]] = set()
    for step in _next_steps(case, user):
        for requirement in gate.requirements(case, step.documents, documents=sorted(issued, key=_newest)):
            if not requirement.applies or requirement.needs.keys in seen:
                continue
            seen.add(requirement.needs.keys)
            key = requirement.needs.keys[0]
            doc_type = doctypes.type_for(case.agency_id, key)
            draft = next((d for d in drafts if d.type.key in requirement.needs.keys), None)
            may = doc_type is not None and permissions.can_draft(user, doc_type, case=case)
            panel.needs.append(NeedRow(step, requirement, doc_type if may else None, draft))
    types = [t for t in doctypes.types_for(case.agency_id) if permissions.can_draft(user, t, case=case)]
    if case.stage == "archived":
        types = []  # after 立卷归档 nothing is added to the file (services._check_open)
    panel.can_draft = bool(types)
    panel.draftable = [t for t in types if case.stage in t.stages]
    panel.other_types = [t for t in types if case.stage not in t.stages]
    return panel


@dataclass
class InspectionPanel:
    documents: list[Document] = field(default_factory=list)
    draftable: list[DocumentType] = field(default_factory=list)


def inspection_panel(user: Any, inspection: Any) -> InspectionPanel:
    """The documents of an inspection and the inspection types ``user`` may draft for it."""
    panel = InspectionPanel()
    if not permissions.can_view_matter(user, inspection=inspection):
        return panel
    panel.documents = documents_for_inspection(user, inspection)
    panel.draftable = [
        t
        for t in doctypes.types_for(inspection.agency_id)
        if doctypes.INSPECTION_STAGE in t.stages and permissions.can_draft(user, t, inspection=inspection)
    ]
    return panel


def _newest(document: Document) -> tuple[Any, int]:
    return (-(document.issued_at.timestamp() if document.issued_at else 0), -document.pk)
