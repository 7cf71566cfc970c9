import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.parties.models import Party, PartyKind
from sanxiang.parties.services import party_create, party_personal_data_view, party_update
from sanxiang.parties.tests.factories import COMPANY_CODE, PERSON_ID, make_company, make_person


def events_of(party: Party) -> list[Event]:
    return list(Event.objects.filter(subject_type="parties.party", subject_id=str(party.pk)).order_by("seq"))


def test_creating_a_party_records_the_event_with_field_names_only(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    [event] = events_of(party)
    assert event.event_type == EventType.PARTY_CREATED
    assert event.actor_id == personas.alice.pk
    assert event.agency_id == personas.agency_a.pk
    assert json.loads(event.data) == {
        "kind": "person",
        "changed": ["kind", "name", "resident_id", "address", "phone"],
    }
    for value in (PERSON_ID, "张三", "13800001234", "梅河路"):
        assert value not in event.data


def test_creation_sets_who_and_when_and_keeps_history(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    assert party.created_by == personas.alice
    assert party.created_at is not None
    [record] = party.history.all()
    assert record.history_type == "+"
    assert record.history_user == personas.alice


def test_invalid_resident_id_is_refused_and_nothing_is_saved(personas):
    with pytest.raises(ValidationError) as error:
        make_person(actor=personas.alice, agency=personas.agency_a, resident_id="11010119900307001X")
    assert error.value.message_dict["resident_id"] == ["公民身份号码校验码错误：第18位应为“1”，实际为“X”。"]
    assert not Party.objects.exists()
    assert not Event.objects.filter(event_type=EventType.PARTY_CREATED).exists()


def test_invalid_credit_code_is_refused_and_nothing_is_saved(personas):
    with pytest.raises(ValidationError) as error:
        make_company(actor=personas.alice, agency=personas.agency_a, credit_code="911100001000000000")
    [message] = error.value.message_dict["credit_code"]
    assert message == "统一社会信用代码校验码错误：第18位应为“R”，实际为“0”。"
    assert not Party.objects.exists()


def test_resident_id_is_stored_normalised(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a, resident_id=" 34152320000229002x")
    assert party.resident_id == "34152320000229002X"


def test_same_resident_id_twice_in_one_agency_is_refused(personas):
    make_person(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(ValidationError) as error:
        make_person(actor=personas.alice, agency=personas.agency_a, name="张叁")
    assert "本机关已登记持该公民身份号码的当事人。" in error.value.messages
    assert Party.objects.count() == 1


def test_same_credit_code_twice_in_one_agency_is_refused(personas):
    make_company(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(ValidationError) as error:
        make_company(actor=personas.alice, agency=personas.agency_a, name="另一家公司")
    assert "本机关已登记持该统一社会信用代码的当事人。" in error.value.messages


def test_each_agency_keeps_its_own_register(personas):
    make_person(actor=personas.alice, agency=personas.agency_a)
    make_person(actor=personas.charlie, agency=personas.agency_b)
    make_company(actor=personas.alice, agency=personas.agency_a)
    make_company(actor=personas.charlie, agency=personas.agency_b)
    assert Party.objects.count() == 4


def test_a_reviewer_may_not_register_a_party(personas):
    with pytest.raises(PermissionDenied):
        make_person(actor=personas.bob, agency=personas.agency_a)


def test_an_officer_may_not_register_a_party_in_another_agency(personas):
    with pytest.raises(PermissionDenied):
        make_person(actor=personas.charlie, agency=personas.agency_a)


def test_update_records_the_changed_field_names(personas):
    party = make_company(actor=personas.alice, agency=personas.agency_a)
    party = party_update(actor=personas.alice, party=party, phone="13900001111", legal_representative="王五")
    assert party.phone == "13900001111"
    assert [e.event_type for e in events_of(party)] == [EventType.PARTY_CREATED, EventType.PARTY_CHANGED]
    changed = events_of(party)[-1]
    assert json.loads(changed.data) == {"kind": "organisation", "changed": ["legal_representative", "phone"]}
    assert "13900001111" not in changed.data
    assert party.history.count() == 2


def test_update_without_a_change_records_nothing(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    party_update(actor=personas.alice, party=party, name="张三", resident_id=PERSON_ID.lower())
    assert [e.event_type for e in events_of(party)] == [EventType.PARTY_CREATED]


def test_invalid_update_changes_nothing(personas):
    party = make_company(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(ValidationError):
        party_update(actor=personas.alice, party=party, credit_code="91350211M000100Y4X", name="新名称")
    party.refresh_from_db()
    assert (party.credit_code, party.name) == (COMPANY_CODE, "舒城县某某化工有限公司")
    assert len(events_of(party)) == 1


def test_changing_the_kind_checks_the_identifiers_again(personas):
    party = make_company(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(ValidationError) as error:
        party_update(actor=personas.alice, party=party, kind=PartyKind.PERSON)
    assert error.value.message_dict["resident_id"] == ["自然人须填写公民身份号码。"]


def test_unknown_fields_are_refused(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(TypeError):
        party_update(actor=personas.alice, party=party, agency="x")


def test_supervisor_and_reviewer_may_not_change_a_party(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    for user in (personas.supervisor, personas.bob, personas.charlie):
        with pytest.raises(PermissionDenied):
            party_update(actor=user, party=party, phone="13900001111")


def test_viewing_personal_data_records_the_access(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    shown = party_personal_data_view(actor=personas.bob, party=party)
    assert shown == ["resident_id", "address", "phone"]
    event = events_of(party)[-1]
    assert event.event_type == EventType.PARTY_PERSONAL_DATA_VIEWED
    assert event.actor_id == personas.bob.pk
    assert json.loads(event.data) == {"fields": ["resident_id", "address", "phone"]}


def test_charlie_may_not_view_personal_data_of_agency_a(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    with pytest.raises(PermissionDenied):
        party_personal_data_view(actor=personas.charlie, party=party)
    assert len(events_of(party)) == 1


def test_party_create_takes_only_keyword_arguments(personas):
    with pytest.raises(TypeError):
        party_create(personas.alice, personas.agency_a, "person", "张三")  # type: ignore[call-arg]
