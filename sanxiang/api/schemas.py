"""What the API sends and accepts. Field names follow the glossary; amounts are integer fen."""

from __future__ import annotations

import datetime

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
