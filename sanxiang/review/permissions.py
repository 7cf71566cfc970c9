"""Who may do what in legal review: plain predicates, and the reviewer's qualification (行政处罚法
第五十八条)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from sanxiang.cases import permissions as case_permissions
from sanxiang.cases.models import Case

__all__ = [
    "QUALIFICATION_REQUIRED_FROM",
    "NotPermitted",
    "can_edit_catalog",
    "can_extend",
    "can_record_meeting",
    "can_review",
    "can_submit",
    "can_view_case",
    "reviewer_refusal",
]

# 行政处罚法 (2021) in force on 2021-07-15 (Art.86); its Art.58 para 2: 行政机关中初次从事行政处罚决定
# 法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格.
QUALIFICATION_REQUIRED_FROM = datetime.date(2021, 7, 15)


class NotPermitted(PermissionDenied):
    """The user may not do this; the message says who may, in Chinese."""


def _of_agency(user: Any, agency_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.agency_id == agency_id


def can_view_case(user: Any, case: Case) -> bool:
    return case_permissions.can_view_case(user, case)


def can_submit(user: Any, case: Case) -> bool:
    """The handling officers submit (and answer for the materials)."""
    return _of_agency(user, case.agency_id) and case_permissions.is_handler(user, case)


def reviewer_refusal(user: Any, case: Case) -> str | None:
    """Why ``user`` may not review ``case``, in Chinese, or None.

    A legal reviewer of the case's agency who is not one of its handlers; registered as first appointed to
    legal review work, and holding the 法律职业资格 if first appointed on or after 2021-07-15 (Art.58 para 2).
    """
    if not _of_agency(user, case.agency_id) or not user.has_role("legal_reviewer"):
        return gettext("法制审核意见须由本机关法制审核人员出具。")
    if case_permissions.is_handler(user, case):
        return gettext("审核人员不得审核本人承办的案件（行政处罚法第五十八条）。")
    officer = getattr(user, "officer", None)
    appointed = getattr(officer, "legal_review_appointed_on", None)
    if officer is None or appointed is None:
        return gettext(
            "请先在执法人员信息中登记审核人员初次从事法制审核的日期（行政处罚法第五十八条第二款）。"
        )
    if appointed >= QUALIFICATION_REQUIRED_FROM and not officer.legal_qualification_number:
        return gettext(
            "初次从事行政处罚决定法制审核的人员，应当取得法律职业资格（行政处罚法第五十八条第二款）："
            "%(name)s于%(day)s初次从事法制审核，未登记法律职业资格。"
        ) % {"name": officer.name, "day": appointed.isoformat()}
    return None


def can_review(user: Any, case: Case) -> bool:
    return reviewer_refusal(user, case) is None


def can_extend(user: Any, case: Case) -> bool:
    """A leader of the agency approves the one extension of the review period."""
    return _of_agency(user, case.agency_id) and bool(user.has_role("leader"))


def can_record_meeting(user: Any, case: Case) -> bool:
    """The leaders' meeting (局长办公会) is recorded by a leader of the agency."""
    return _of_agency(user, case.agency_id) and bool(user.has_role("leader"))


def can_edit_catalog(user: Any, agency_id: int) -> bool:
    """The agency's administrator publishes its catalog."""
    return bool(getattr(user, "is_superuser", False)) or (
        _of_agency(user, agency_id) and bool(user.has_role("admin"))
    )


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)
