"""What the API sends and accepts. Field names follow the glossary; amounts are integer fen."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str


class CertificateOut(Schema):
    officer_id: int
    name: str
    certificate_number: str
    valid_from: datetime.date
    valid_to: datetime.date
    status: str
    state: str  # valid / expiring / expired / not_yet_valid / suspended / revoked
    is_certified: bool


class MeOut(Schema):
    username: str
    display_name: str
    agency: AgencyOut | None
    roles: list[str]
    officer: CertificateOut | None


class DueItemOut(Schema):
    key: str
    title: str
    subject: str
    due: datetime.date
    days_left: int
    overdue: bool
    url: str
    basis: str


class WorkOut(Schema):
    today: datetime.date
    items: list[DueItemOut]
    missing_years: list[int]


class OfficerOut(Schema):
    id: int
    name: str
    certificate_number: str
    section: str
    categories: list[str]
    valid_from: datetime.date
    valid_to: datetime.date
    status: str
    state: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str


class CaseOut(Schema):
    id: int
    agency_id: int
    number: str
    title: str
    source: str
    procedure: str
    stage: str
    stage_label: str
    category: CategoryOut
    filed_on: datetime.date | None
    decision_due_on: datetime.date | None
    decided_on: datetime.date | None
    decision_number: str
    delivered_on: datetime.date | None
    fine_fen: int
    created_at: datetime.datetime


class NamedOut(Schema):
    id: int
    name: str


class ActionOut(Schema):
    action: str
    label: str
    target: str
    target_label: str
    requires: list[str]


class CaseDetailOut(CaseOut):
    source_reference: str
    facts: str
    act_date: datetime.date | None
    discovered_on: datetime.date | None
    parties: list[NamedOut]
    officers: list[NamedOut]
    available_actions: list[ActionOut]


class ActionIn(Schema):
    note: str = ""
    data: dict[str, Any] = {}


class TransitionOut(Schema):
    id: int
    action: str
    source: str
    target: str
    at: datetime.datetime


class ActionResultOut(Schema):
    transition: TransitionOut
    case: CaseDetailOut


class InspectionOut(Schema):
    id: int
    agency_id: int
    number: str
    party: NamedOut
    category: CategoryOut
    kind: str
    kind_label: str
    planned_on: datetime.date
    stage: str
    stage_label: str
    case_id: int | None
    created_at: datetime.datetime


class InspectionDetailOut(InspectionOut):
    scope: str
    officers: list[NamedOut]
    check_items: list[NamedOut]


class InspectionIn(Schema):
    party_id: int
    category_id: int
    kind: str
    planned_on: datetime.date
    officer_ids: list[int]
    check_item_ids: list[int] = []
    scope: str = ""


class ErrorWithFields(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
