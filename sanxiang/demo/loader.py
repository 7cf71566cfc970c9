"""The demo county bureau, modelled on 舒城县应急管理局's own plan (舒应急〔2019〕85号). Names are fictional.

Everything is created through the services, so the demo's audit log is a real one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sanxiang import audit
from sanxiang.accounts import services as account_services
from sanxiang.accounts.models import Role, User
from sanxiang.agencies import services as agency_services
from sanxiang.agencies.models import Agency, AgencyLevel, CertificateStatus, EnforcementCategory, Section

DEMO_PASSWORD = "Sanxiang@2026"  # noqa: S105 - the published demo password, listed in the README
DEMO_AGENCY = "舒城县应急管理局"
SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples"

CATEGORIES = [
    ("AQZH", "安全生产综合监管"),
    ("WHP", "危险化学品安全监管"),
    ("FMKS", "非煤矿山安全监管"),
    ("GMHY", "工贸行业安全监管"),
    ("YHBZ", "烟花爆竹安全监管"),
]

SECTIONS = [
    ("办公室", False, "负责机关日常运转、文电、档案和执法装备保障。"),
    ("执法监督股", True, "承担本机关重大执法决定法制审核、执法监督和案卷评查工作。"),
    ("安全生产基础股", False, "负责工贸行业安全生产监督管理。"),
    ("危险化学品股", False, "负责危险化学品、烟花爆竹安全生产监督管理。"),
    ("监察大队", False, "承担安全生产行政执法检查和案件查处工作。"),
]


@dataclass(frozen=True)
class DemoPerson:
    username: str | None
    name: str
    section: str
    roles: tuple[str, ...]
    number: str
    categories: tuple[str, ...]
    validity: str = "valid"  # valid | expiring | expired | revoked | suspended


PEOPLE = [
    DemoPerson("officer", "陈志远", "监察大队", (Role.OFFICER,), "34152319001", ("AQZH", "GMHY")),
    DemoPerson("officer2", "王晓东", "监察大队", (Role.OFFICER,), "34152319002", ("AQZH", "WHP")),
    DemoPerson(
        "sectionhead", "李明辉", "监察大队", (Role.OFFICER, Role.SECTION_HEAD), "34152319003", ("AQZH",)
    ),
    DemoPerson("reviewer", "赵雪梅", "执法监督股", (Role.LEGAL_REVIEWER,), "34152319004", ("AQZH",)),
    DemoPerson("leader", "孙立国", "办公室", (Role.LEADER,), "34152319005", ("AQZH",)),
    DemoPerson(None, "周海涛", "危险化学品股", (), "34152319006", ("WHP", "YHBZ"), "expiring"),
    DemoPerson(None, "吴静", "安全生产基础股", (), "34152319007", ("GMHY",), "expired"),
    DemoPerson(None, "郑宏伟", "危险化学品股", (), "34152319008", ("WHP",), "revoked"),
    DemoPerson(None, "冯丽娟", "安全生产基础股", (), "34152319009", ("GMHY", "FMKS")),
    DemoPerson(None, "何建军", "监察大队", (), "34152319010", ("AQZH", "FMKS"), "suspended"),
    DemoPerson(None, "许文斌", "监察大队", (), "34152319011", ("AQZH",)),
    DemoPerson(None, "马春燕", "执法监督股", (), "34152319012", ("AQZH",)),
]

STAFF_WITHOUT_CERTIFICATE = [
    ("archivist", "韩磊", (Role.ARCHIVIST,)),
    ("discloser", "刘芳菲", (Role.DISCLOSER,)),
]


def _validity(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if kind == "expiring":
        return today - datetime.timedelta(days=5 * 365 - 20), today + datetime.timedelta(days=20)
    if kind == "expired":
        return today - datetime.timedelta(days=5 * 365 + 40), today - datetime.timedelta(days=40)
    return datetime.date(2024, 3, 1), datetime.date(2029, 2, 28)


def demo_exists() -> bool:
    return Agency.objects.filter(name=DEMO_AGENCY).exists()


@transaction.atomic
def load_demo(*, today: datetime.date) -> dict[str, int]:
    """Create the demo agencies, sections, officers and users. All or nothing; does nothing if present."""
    if demo_exists():
        return {}
    categories = {}
    for code, name in CATEGORIES:
        categories[code], _ = EnforcementCategory.objects.get_or_create(code=code, defaults={"name": name})

    city = agency_services.agency_create(
        actor=None,
        name="六安市应急管理局",
        short_name="六",
        region_code="341500",
        level=AgencyLevel.CITY,
        credit_code="11341500MB1A73925C",
        address="安徽省六安市金安区",
        phone="0564-3370000",
        complaint_phone="0564-12345",
        description="负责全市应急管理和安全生产综合监督管理工作，指导、监督各县区应急管理局行政执法。",
    )
    shucheng = agency_services.agency_create(
        actor=None,
        name=DEMO_AGENCY,
        short_name="舒",
        region_code="341523",
        level=AgencyLevel.COUNTY,
        parent=city,
        credit_code="11341523MB1C682908",
        address="安徽省六安市舒城县城关镇",
        phone="0564-8620000",
        complaint_phone="0564-8621234",
        description="负责全县应急管理和安全生产综合监督管理工作，依法对工贸、危险化学品、非煤矿山、烟花爆竹等"
        "行业领域生产经营单位实施安全生产行政执法。",
    )
    huoshan = agency_services.agency_create(
        actor=None,
        name="霍山县应急管理局",
        short_name="霍",
        region_code="341525",
        level=AgencyLevel.COUNTY,
        parent=city,
        credit_code="11341525MB1D20457U",
        address="安徽省六安市霍山县衡山镇",
        complaint_phone="0564-5021234",
    )
    sections = {}
    for order, (name, review_unit, duties) in enumerate(SECTIONS, start=1):
        sections[name] = agency_services.section_create(
            actor=None,
            agency=shucheng,
            name=name,
            is_legal_review_unit=review_unit,
            duties=duties,
            order=order,
        )
    huoshan_team = agency_services.section_create(actor=None, agency=huoshan, name="执法大队", order=1)

    admin = account_services.user_create(
        actor=None,
        username="admin",
        password=DEMO_PASSWORD,
        agency=shucheng,
        display_name="系统管理员",
        roles=[Role.ADMIN],
        is_staff=True,
        is_superuser=True,
    )
    people = 0
    for person in PEOPLE:
        user: User | None = None
        if person.username:
            user = account_services.user_create(
                actor=admin,
                username=person.username,
                password=DEMO_PASSWORD,
                agency=shucheng,
                display_name=person.name,
                roles=person.roles,
            )
        valid_from, valid_to = _validity(person.validity, today)
        officer = agency_services.officer_create(
            actor=admin,
            agency=shucheng,
            section=sections[person.section],
            user=user,
            name=person.name,
            certificate_number=person.number,
            categories=[categories[c] for c in person.categories],
            valid_from=valid_from,
            valid_to=valid_to,
        )
        if Role.LEGAL_REVIEWER in person.roles:
            # First appointed to legal review after 2021-07-15: holds the 法律职业资格 (行政处罚法
            # 第五十八条第二款).
            agency_services.officer_update(
                actor=admin,
                officer=officer,
                legal_review_appointed_on=datetime.date(2022, 9, 1),
                legal_qualification_number="A20213415230156",
            )
        if person.validity == "revoked":
            agency_services.officer_set_status(
                actor=admin,
                officer=officer,
                status=CertificateStatus.REVOKED,
                reason="调离执法岗位，证件已收回注销",
            )
        elif person.validity == "suspended":
            agency_services.officer_set_status(
                actor=admin,
                officer=officer,
                status=CertificateStatus.SUSPENDED,
                reason="年度执法考核不合格，暂扣执法证件待培训考试",
            )
        people += 1
    for username, name, roles in STAFF_WITHOUT_CERTIFICATE:
        account_services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            agency=shucheng,
            display_name=name,
            roles=roles,
        )
    supervisor = account_services.user_create(
        actor=None,
        username="supervisor",
        password=DEMO_PASSWORD,
        agency=city,
        display_name="杨建华",
        roles=[Role.SUPERVISOR],
    )
    # One login in the second county bureau, so the demo can show that its staff see nothing of 舒城's work.
    hs_user = account_services.user_create(
        actor=supervisor,
        username="hs_officer",
        password=DEMO_PASSWORD,
        agency=huoshan,
        display_name="高振宇",
        roles=[Role.OFFICER],
    )
    for number, name, user in [("34152519001", "高振宇", hs_user), ("34152519002", "林晓燕", None)]:
        agency_services.officer_create(
            actor=supervisor,
            agency=huoshan,
            section=huoshan_team,
            user=user,
            name=name,
            certificate_number=number,
            categories=[categories["AQZH"]],
            valid_from=datetime.date(2024, 3, 1),
            valid_to=datetime.date(2029, 2, 28),
        )
    lists = _load_lists(actor=admin, agency=shucheng)
    from sanxiang.demo.benchmarks import load_benchmarks

    lists.update(load_benchmarks(agency=shucheng, actor=admin))
    from sanxiang.demo.casework import load_casework

    casework = load_casework(today=today)
    from sanxiang.demo.publications import load_publications

    casework.update(load_publications(agency=shucheng, today=today))
    from sanxiang.demo.complaints import load_complaints

    casework.update(load_complaints(agency=shucheng, today=today))
    audit.record(
        audit.EventType.DEMO_DATA_LOADED,
        actor=admin,
        agency=shucheng,
        data={"officers": people + 2, "lists": lists, "casework": casework},
    )
    return {
        "agencies": 3,
        "sections": len(SECTIONS) + 1,
        "officers": people + 2,
        "users": User.objects.count(),
        **casework,
    }


def _load_lists(*, actor: User, agency: Agency) -> dict[str, int]:
    """The 权责清单 and 随机抽查事项清单 come from the sample spreadsheets, through the real importer."""
    from sanxiang.agencies import imports

    counts = {}
    power_file = SAMPLES / "权责清单.xlsx"
    result = imports.power_items_import(
        actor=actor, agency=agency, file_name=power_file.name, content=power_file.read_bytes()
    )
    counts["power_items"] = result.created
    check_file = SAMPLES / "随机抽查事项清单.csv"
    result = imports.random_check_items_import(
        actor=actor, agency=agency, file_name=check_file.name, content=check_file.read_bytes()
    )
    counts["random_check_items"] = result.created
    return counts


__all__ = ["DEMO_AGENCY", "DEMO_PASSWORD", "Section", "demo_exists", "load_demo"]
