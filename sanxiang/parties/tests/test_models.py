import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sanxiang.core.personal import personal_fields
from sanxiang.parties.models import Party, PartyKind
from sanxiang.parties.tests.factories import BUSINESS_CODE, COMPANY_CODE, PERSON_ID


def test_personal_fields_of_a_party_are_name_id_number_address_and_phone():
    assert personal_fields(Party) == ["name", "resident_id", "address", "phone"]


def errors_of(party: Party) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    return error.value.message_dict


def test_person_needs_a_resident_id(personas):
    party = Party(agency=personas.agency_a, kind=PartyKind.PERSON, name="张三")
    assert errors_of(party)["resident_id"] == ["自然人须填写公民身份号码。"]


def test_person_with_a_wrong_check_digit_is_refused(personas):
    party = Party(
        agency=personas.agency_a, kind=PartyKind.PERSON, name="张三", resident_id="110105194912310021"
    )
    assert errors_of(party)["resident_id"] == ["公民身份号码校验码错误：第18位应为“X”，实际为“1”。"]


def test_person_does_not_take_a_credit_code(personas):
    party = Party(
        agency=personas.agency_a,
        kind=PartyKind.PERSON,
        name="张三",
        resident_id=PERSON_ID,
        credit_code=COMPANY_CODE,
    )
    assert errors_of(party) == {"credit_code": ["自然人不填写统一社会信用代码。"]}


def test_organisation_needs_a_credit_code_and_a_legal_representative(personas):
    party = Party(agency=personas.agency_a, kind=PartyKind.ORGANISATION, name="某公司")
    errors = errors_of(party)
    assert errors["credit_code"] == ["法人或其他组织须填写统一社会信用代码。"]
    assert errors["legal_representative"] == ["法人或其他组织须填写法定代表人或负责人。"]


def test_organisation_with_a_bad_credit_code_is_refused(personas):
    party = Party(
        agency=personas.agency_a,
        kind=PartyKind.ORGANISATION,
        name="某公司",
        credit_code="91350211M000100Y4X",
        legal_representative="李四",
    )
    assert errors_of(party)["credit_code"] == ["统一社会信用代码校验码错误：第18位应为“6”，实际为“X”。"]


def test_individual_business_needs_a_credit_code_but_no_legal_representative(personas):
    party = Party(agency=personas.agency_a, kind=PartyKind.INDIVIDUAL_BUSINESS, name="舒城县某某五金店")
    assert errors_of(party) == {"credit_code": ["个体工商户须填写统一社会信用代码。"]}
    party.credit_code = BUSINESS_CODE
    party.full_clean()


def test_clean_normalises_the_identifiers(personas):
    party = Party(
        agency=personas.agency_a, kind=PartyKind.PERSON, name=" 王五 ", resident_id="34152320000229002x"
    )
    party.full_clean()
    assert party.resident_id == "34152320000229002X"
    assert party.name == "王五"


def test_the_database_refuses_a_second_party_with_the_same_credit_code_in_one_agency(personas):
    def create(agency):
        return Party.objects.create(
            agency=agency,
            kind=PartyKind.ORGANISATION,
            name="某公司",
            credit_code=COMPANY_CODE,
            legal_representative="李四",
        )

    create(personas.agency_a)
    create(personas.agency_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        create(personas.agency_a)


def test_blank_identifiers_do_not_collide(personas):
    for name in ("甲", "乙"):
        Party.objects.create(agency=personas.agency_a, kind=PartyKind.PERSON, name=name)
    assert Party.objects.count() == 2
