"""Parties for tests, built through the service so that they carry their audit trail."""

from __future__ import annotations

from typing import Any

from sanxiang.parties.models import Party, PartyKind
from sanxiang.parties.services import party_create

PERSON_ID = "341523198001010014"
PERSON_ID_2 = "34152320000229002X"
COMPANY_CODE = "91341523MA2T00000B"
BUSINESS_CODE = "92341523MA2T00001B"


def make_person(*, actor: Any, agency: Any, **fields: Any) -> Party:
    values = {
        "name": "张三",
        "resident_id": PERSON_ID,
        "address": "安徽省六安市舒城县城关镇梅河路1号",
        "phone": "13800001234",
    }
    values.update(fields)
    return party_create(actor=actor, agency=agency, kind=PartyKind.PERSON, **values)


def make_company(*, actor: Any, agency: Any, **fields: Any) -> Party:
    values = {
        "name": "舒城县某某化工有限公司",
        "credit_code": COMPANY_CODE,
        "legal_representative": "李四",
        "address": "舒城县杭埠经济开发区",
        "phone": "0564-8621234",
    }
    values.update(fields)
    return party_create(actor=actor, agency=agency, kind=PartyKind.ORGANISATION, **values)
