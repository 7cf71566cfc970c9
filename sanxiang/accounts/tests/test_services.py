import pytest
from django.core.exceptions import ValidationError

from sanxiang.accounts import services
from sanxiang.accounts.models import Role, User
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event


def test_creating_a_user_records_roles_and_an_event(personas):
    user = services.user_create(
        actor=personas.alice,
        username="dave",
        password="Strong-Passw0rd!",
        agency=personas.agency_a,
        display_name="戴维",
        roles=[Role.ARCHIVIST],
    )
    assert user.has_role(Role.ARCHIVIST)
    event = Event.objects.get(event_type=EventType.USER_CREATED, subject_id=str(user.pk))
    assert event.actor_id == personas.alice.pk
    assert event.agency_id == personas.agency_a.pk


@pytest.mark.parametrize("password", ["12345678901", "abcdefghijk", "password123", "Short1!"])
def test_weak_passwords_are_refused_and_nothing_is_created(personas, password):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=None,
            username="weak",
            password=password,
            agency=personas.agency_a,
            display_name="弱",
            roles=[Role.OFFICER],
        )
    assert not User.objects.filter(username="weak").exists()


def test_an_unknown_role_is_refused_in_chinese(personas):
    with pytest.raises(ValidationError, match="未知角色"):
        services.user_create(
            actor=None,
            username="x",
            password="Strong-Passw0rd!",
            agency=personas.agency_a,
            display_name="某",
            roles=["emperor"],
        )


def test_changing_roles_records_the_before_and_after(personas):
    services.user_set_roles(actor=None, user=personas.alice, roles=[Role.OFFICER, Role.SECTION_HEAD])
    event = Event.objects.filter(event_type=EventType.USER_ROLES_CHANGED).get()
    assert '"from":["officer"]' in event.data
    assert personas.alice.has_role(Role.SECTION_HEAD)


def test_deactivating_needs_a_reason(personas):
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=None, user=personas.alice, reason=" ")
    personas.alice.refresh_from_db()
    assert personas.alice.is_active
