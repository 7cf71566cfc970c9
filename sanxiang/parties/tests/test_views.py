import json

import pytest
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.parties.models import Party
from sanxiang.parties.tests.factories import COMPANY_CODE, PERSON_ID, make_company, make_person


@pytest.fixture
def person(personas):
    return make_person(actor=personas.alice, agency=personas.agency_a)


def access_events(party: Party) -> list[Event]:
    return list(
        Event.objects.filter(
            event_type=EventType.PARTY_PERSONAL_DATA_VIEWED,
            subject_type="parties.party",
            subject_id=str(party.pk),
        )
    )


def test_pages_need_a_login(client, person):
    response = client.get(reverse("parties:detail", args=[person.pk]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_list_shows_the_agencys_parties_with_masked_id_numbers(client, personas, person):
    company = make_company(actor=personas.alice, agency=personas.agency_a)
    client.force_login(personas.alice)
    page = client.get(reverse("parties:list")).content.decode()
    assert "张三" in page
    assert "341523********0014" in page
    assert PERSON_ID not in page
    assert company.credit_code in page
    assert "登记当事人" in page


def test_list_search_finds_by_name(client, personas, person):
    make_company(actor=personas.alice, agency=personas.agency_a)
    client.force_login(personas.alice)
    page = client.get(reverse("parties:list"), {"q": "化工"}).content.decode()
    assert "舒城县某某化工有限公司" in page
    assert "张三" not in page


def test_charlie_does_not_see_agency_as_party_in_the_list(client, personas, person):
    client.force_login(personas.charlie)
    page = client.get(reverse("parties:list")).content.decode()
    assert "张三" not in page
    assert "暂无当事人" in page
    assert client.get(reverse("parties:list"), {"q": PERSON_ID}).content.decode().count("张三") == 0


@pytest.mark.parametrize("name", ["parties:detail", "parties:edit"])
def test_charlie_gets_404_on_agency_as_party(client, personas, person, name):
    client.force_login(personas.charlie)
    assert client.get(reverse(name, args=[person.pk])).status_code == 404


def test_charlie_cannot_reveal_agency_as_personal_data(client, personas, person):
    client.force_login(personas.charlie)
    assert client.post(reverse("parties:personal_data", args=[person.pk])).status_code == 404
    assert access_events(person) == []


def test_detail_masks_id_number_phone_and_address_by_default(client, personas, person):
    client.force_login(personas.alice)
    page = client.get(reverse("parties:detail", args=[person.pk])).content.decode()
    assert "341523********0014" in page
    assert "138****1234" in page
    assert "安徽省六安市舒城县****" in page
    for secret in (PERSON_ID, "13800001234", "梅河路"):
        assert secret not in page
    assert "显示完整信息" in page
    assert access_events(person) == []


def test_showing_full_information_records_an_access_event(client, personas, person):
    client.force_login(personas.bob)
    response = client.post(reverse("parties:personal_data", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert PERSON_ID in page
    assert "13800001234" in page
    assert "梅河路1号" in page
    assert response["Cache-Control"] == "no-store"
    [event] = access_events(person)
    assert event.actor_id == personas.bob.pk
    assert json.loads(event.data) == {"fields": ["resident_id", "address", "phone"]}


def test_showing_full_information_needs_a_post(client, personas, person):
    client.force_login(personas.alice)
    assert client.get(reverse("parties:personal_data", args=[person.pk])).status_code == 405
    assert access_events(person) == []


def test_htmx_reveal_returns_only_the_partial(client, personas, person):
    client.force_login(personas.alice)
    response = client.post(reverse("parties:personal_data", args=[person.pk]), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert PERSON_ID in page
    assert "<html" not in page


def test_supervisor_above_may_view_the_detail_but_not_edit(client, personas, person):
    client.force_login(personas.supervisor)
    assert client.get(reverse("parties:detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("parties:edit", args=[person.pk])).status_code == 403
    assert access_events(person) == []


def test_creating_a_person_through_the_form(client, personas):
    client.force_login(personas.alice)
    data = {"kind": "person", "name": "王五", "resident_id": "34152320000229002x", "phone": "13900001111"}
    response = client.post(reverse("parties:create"), data)
    party = Party.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("parties:detail", args=[party.pk])
    assert party.resident_id == "34152320000229002X"
    assert party.agency == personas.agency_a
    assert Event.objects.filter(event_type=EventType.PARTY_CREATED, subject_id=str(party.pk)).exists()


def test_invalid_resident_id_is_shown_in_chinese_and_nothing_is_saved(client, personas):
    client.force_login(personas.alice)
    data = {"kind": "person", "name": "王五", "resident_id": "110105194912310021"}
    response = client.post(reverse("parties:create"), data)
    assert response.status_code == 200
    assert "公民身份号码校验码错误：第18位应为“X”，实际为“1”。" in response.content.decode()
    assert not Party.objects.exists()
    assert not Event.objects.filter(event_type=EventType.PARTY_CREATED).exists()


def test_invalid_credit_code_is_shown_in_chinese_and_nothing_is_saved(client, personas):
    client.force_login(personas.alice)
    data = {
        "kind": "organisation",
        "name": "某公司",
        "credit_code": "91350211M000100Y4X",
        "legal_representative": "李四",
    }
    response = client.post(reverse("parties:create"), data)
    assert "统一社会信用代码校验码错误：第18位应为“6”，实际为“X”。" in response.content.decode()
    assert not Party.objects.exists()


def test_missing_legal_representative_comes_back_from_the_service(client, personas):
    client.force_login(personas.alice)
    data = {"kind": "organisation", "name": "某公司", "credit_code": COMPANY_CODE}
    response = client.post(reverse("parties:create"), data)
    assert "法人或其他组织须填写法定代表人或负责人。" in response.content.decode()
    assert not Party.objects.exists()


def test_duplicate_credit_code_is_refused_on_the_form(client, personas):
    make_company(actor=personas.alice, agency=personas.agency_a)
    client.force_login(personas.alice)
    data = {
        "kind": "organisation",
        "name": "某公司",
        "credit_code": COMPANY_CODE,
        "legal_representative": "李四",
    }
    response = client.post(reverse("parties:create"), data)
    assert "本机关已登记持该统一社会信用代码的当事人。" in response.content.decode()
    assert Party.objects.count() == 1


def test_a_reviewer_cannot_open_the_create_form(client, personas):
    client.force_login(personas.bob)
    assert client.get(reverse("parties:create")).status_code == 403


def test_opening_the_edit_form_records_an_access(client, personas, person):
    client.force_login(personas.alice)
    response = client.get(reverse("parties:edit", args=[person.pk]))
    assert response.status_code == 200
    assert PERSON_ID in response.content.decode()
    assert len(access_events(person)) == 1


def test_editing_records_the_change(client, personas, person):
    client.force_login(personas.alice)
    data = {"kind": "person", "name": "张三", "resident_id": PERSON_ID, "phone": "13900001111"}
    response = client.post(reverse("parties:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13900001111"
    event = Event.objects.filter(event_type=EventType.PARTY_CHANGED).get()
    assert json.loads(event.data)["changed"] == ["address", "phone"]


def test_invalid_edit_changes_nothing(client, personas, person):
    client.force_login(personas.alice)
    data = {"kind": "person", "name": "张三", "resident_id": "11010119900307001X", "phone": "13900001111"}
    response = client.post(reverse("parties:edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "公民身份号码校验码错误" in response.content.decode()
    person.refresh_from_db()
    assert (person.resident_id, person.phone) == (PERSON_ID, "13800001234")
    assert not Event.objects.filter(event_type=EventType.PARTY_CHANGED).exists()
