"""Who may see, draft, issue and void a document: plain predicates over its case or inspection.

A document is seen by whoever sees its matter (staff of the agency, supervisors above it). It is drafted
and issued by the matter's handlers (承办人员 of the case, officers of the inspection) and by the agency's
staff who sign that type by their role: a section head or legal reviewer for a type a reviewer signs, a
leader for a type a leader signs. A type signed by a reviewer and not by an officer (the 法制审核意见书) is
the reviewer's own: the case's handlers may not write it (行政处罚法 Art.58; 国办发〔2018〕118号 — the
review is made by someone other than the handlers). Nobody outside the agency acts on its documents.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sanxiang.cases import permissions as case_permissions
from sanxiang.documents.models import Document, DocumentType, SignerRole
from sanxiang.inspections import permissions as inspection_permissions

__all__ = [
    "NotPermitted",
    "can_draft",
    "can_view_document",
    "can_view_matter",
    "can_void",
    "require_draft",
    "require_void",
]

# The staff roles that sign a type as reviewer or leader.
SIGNER_ROLES = {
    SignerRole.REVIEWER: ("section_head", "legal_reviewer"),
    SignerRole.LEADER: ("leader",),
}


class NotPermitted(PermissionDenied):
    """The user sees the document's matter but may not do this; the message says who may, in Chinese."""


def can_view_matter(user: Any, *, case: Any = None, inspection: Any = None) -> bool:
    if case is not None:
        return case_permissions.can_view_case(user, case)
    if inspection is not None:
        return inspection_permissions.can_view_inspection(user, inspection)
    return False


def can_view_document(user: Any, document: Document) -> bool:
    return can_view_matter(user, case=document.case, inspection=document.inspection)


def _is_handler(user: Any, *, case: Any, inspection: Any) -> bool:
    if case is not None:
        return case_permissions.is_handler(user, case)
    return inspection_permissions.is_inspecting_officer(user, inspection)


def _holds_signer_role(user: Any, doc_type: DocumentType) -> bool:
    return any(user.has_role(role) for signer in doc_type.signers for role in SIGNER_ROLES.get(signer, ()))


def _reviewers_own(doc_type: DocumentType) -> bool:
    return SignerRole.REVIEWER in doc_type.signers and SignerRole.OFFICER not in doc_type.signers


def can_draft(user: Any, doc_type: DocumentType, *, case: Any = None, inspection: Any = None) -> bool:
    """Whether ``user`` may draft, edit and issue a document of ``doc_type`` for this case or inspection."""
    matter = case if case is not None else inspection
    if matter is None or not getattr(user, "is_authenticated", False) or user.agency_id != matter.agency_id:
        return False
    if doc_type.agency_id not in (None, matter.agency_id):
        return False
    handler = _is_handler(user, case=case, inspection=inspection)
    if _reviewers_own(doc_type):
        return not handler and _holds_signer_role(user, doc_type)
    return handler or _holds_signer_role(user, doc_type)


def can_void(user: Any, document: Document) -> bool:
    """Handlers, and the agency's leaders, void an issued document (and draft its replacement)."""
    if not getattr(user, "is_authenticated", False) or user.agency_id != document.agency_id:
        return False
    if user.has_role("leader"):
        return True
    return can_draft(user, document.type, case=document.case, inspection=document.inspection)


def require_draft(user: Any, doc_type: DocumentType, *, case: Any = None, inspection: Any = None) -> None:
    if not can_draft(user, doc_type, case=case, inspection=inspection):
        if _reviewers_own(doc_type):
            raise NotPermitted(
                gettext("“%(title)s”由非本案承办人员的审核人员制作（行政处罚法第五十八条）。")
                % {"title": doc_type.title}
            )
        raise NotPermitted(
            gettext("“%(title)s”须由本案承办人员或签署该文书的本机关人员制作。") % {"title": doc_type.title}
        )


def require_void(user: Any, document: Document) -> None:
    if not can_void(user, document):
        raise NotPermitted(gettext("只有本案承办人员或机关负责人可以作废文书。"))
