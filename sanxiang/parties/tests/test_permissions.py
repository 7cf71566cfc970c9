from sanxiang.parties.permissions import can_create_party, can_edit_party, can_view_party
from sanxiang.parties.selectors import party_get_for, party_list_for, party_search_for
from sanxiang.parties.tests.factories import PERSON_ID, make_company, make_person


def test_alice_may_view_and_edit_her_agencys_party(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    assert can_view_party(personas.alice, party)
    assert can_edit_party(personas.alice, party)
    assert can_create_party(personas.alice, personas.agency_a)


def test_bob_the_reviewer_may_view_but_not_edit(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    assert can_view_party(personas.bob, party)
    assert not can_edit_party(personas.bob, party)
    assert not can_create_party(personas.bob, personas.agency_a)


def test_charlie_sees_nothing_of_agency_a(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    assert not can_view_party(personas.charlie, party)
    assert not can_edit_party(personas.charlie, party)
    assert party not in party_list_for(personas.charlie)
    assert not party_search_for(personas.charlie, "张三").exists()


def test_the_supervisor_above_may_view_but_not_edit(personas):
    party = make_person(actor=personas.alice, agency=personas.agency_a)
    assert can_view_party(personas.supervisor, party)
    assert not can_edit_party(personas.supervisor, party)
    assert party_get_for(personas.supervisor, party.pk) == party


def test_the_supervisor_does_not_see_an_agency_outside_the_city(personas):
    party = make_person(actor=personas.charlie, agency=personas.agency_b)
    assert not can_view_party(personas.supervisor, party)


def test_search_by_name_credit_code_and_whole_resident_id(personas):
    person = make_person(actor=personas.alice, agency=personas.agency_a)
    company = make_company(actor=personas.alice, agency=personas.agency_a)
    assert list(party_search_for(personas.alice, "化工")) == [company]
    assert list(party_search_for(personas.alice, "李四")) == [company]
    assert list(party_search_for(personas.alice, "91341523ma")) == [company]
    assert list(party_search_for(personas.alice, PERSON_ID)) == [person]
    assert list(party_search_for(personas.alice, PERSON_ID[:12])) == []
    assert set(party_search_for(personas.alice, "")) == {person, company}
