"""Test personas: Alice (officer) and Bob (legal reviewer) of agency A; Charlie, an officer of agency B.

Charlie must see nothing of A, so isolation is cheap to assert. Built straight on the models so that any app's
tests can use them without going through another app's services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sanxiang.accounts.models import Role, User, UserRole
from sanxiang.agencies.models import Agency, EnforcementCategory, Officer, Section

PASSWORD = "Sanxiang-Test-2026!"  # noqa: S105


@dataclass
class Personas:
    city: Agency
    agency_a: Agency
    agency_b: Agency
    alice: User
    bob: User
    charlie: User
    supervisor: User
    alice_officer: Officer
    charlie_officer: Officer
    category: EnforcementCategory


def make_user(username: str, *, agency: Agency, roles: list[str], name: str = "", **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, agency=agency, display_name=name, **extra
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return user


def make_officer(
    user: User | None,
    *,
    agency: Agency,
    name: str,
    number: str,
    section: Section | None = None,
    category: EnforcementCategory,
    valid_to: datetime.date | None = None,
) -> Officer:
    officer = Officer.objects.create(
        agency=agency,
        section=section,
        user=user,
        name=name,
        certificate_number=number,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=valid_to or datetime.date(2029, 12, 31),
    )
    officer.categories.add(category)
    return officer


def make_personas() -> Personas:
    category, _ = EnforcementCategory.objects.get_or_create(code="AQSC", defaults={"name": "安全生产"})
    city = Agency.objects.create(name="甲市应急管理局", short_name="甲", region_code="341500", level="city")
    agency_a = Agency.objects.create(
        name="甲县应急管理局", short_name="甲县", region_code="341523", parent=city
    )
    agency_b = Agency.objects.create(
        name="乙县应急管理局", short_name="乙县", region_code="341524", parent=None
    )
    section_a = Section.objects.create(agency=agency_a, name="执法监督股", is_legal_review_unit=True)
    alice = make_user("alice", agency=agency_a, roles=[Role.OFFICER], name="艾丽")
    bob = make_user("bob", agency=agency_a, roles=[Role.LEGAL_REVIEWER], name="柏博")
    charlie = make_user("charlie", agency=agency_b, roles=[Role.OFFICER], name="查理")
    supervisor = make_user("sup", agency=city, roles=[Role.SUPERVISOR], name="苏监")
    alice_officer = make_officer(alice, agency=agency_a, name="艾丽", number="34152301001", category=category)
    make_officer(
        bob, agency=agency_a, name="柏博", number="34152301002", section=section_a, category=category
    )
    charlie_officer = make_officer(
        charlie, agency=agency_b, name="查理", number="34152401001", category=category
    )
    return Personas(
        city, agency_a, agency_b, alice, bob, charlie, supervisor, alice_officer, charlie_officer, category
    )
