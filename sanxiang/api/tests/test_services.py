import pytest
from django.core.exceptions import ValidationError

from sanxiang.accounts.models import User
from sanxiang.api import selectors, services
from sanxiang.api.models import ApiToken
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event


def test_a_token_is_stored_only_as_its_sha256(personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    assert raw.startswith("sx_")
    assert len(raw) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == services.token_hash(raw)
    assert stored["prefix"] == raw[:10]


def test_creating_a_token_records_an_event_without_the_token(personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    event = Event.objects.get(event_type=EventType.API_TOKEN_CREATED)
    assert (event.actor_id, event.subject_id, event.agency_id) == (
        personas.alice.pk,
        str(token.pk),
        personas.agency_a.pk,
    )
    assert raw not in event.data


def test_two_tokens_differ(personas):
    assert (
        services.api_token_create(actor=personas.alice, name="甲")[1]
        != (services.api_token_create(actor=personas.alice, name="乙")[1])
    )


def test_a_token_needs_a_name(personas):
    with pytest.raises(ValidationError, match="请填写令牌名称"):
        services.api_token_create(actor=personas.alice, name="  ")
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(event_type=EventType.API_TOKEN_CREATED).exists()


def test_a_user_without_an_agency_gets_no_token(db):
    user = User.objects.create_user(username="nobody", password="x")
    with pytest.raises(ValidationError, match="只有所属执法机关"):
        services.api_token_create(actor=user, name="手机")
    assert not ApiToken.objects.exists()


def test_revoking_ends_the_token_and_records_an_event(personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    services.api_token_revoke(actor=personas.alice, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert selectors.api_token_by_raw(raw) is None
    assert Event.objects.filter(event_type=EventType.API_TOKEN_REVOKED, subject_id=str(token.pk)).count() == 1


def test_a_token_is_revoked_once(personas):
    token, _ = services.api_token_create(actor=personas.alice, name="手机")
    services.api_token_revoke(actor=personas.alice, token=token)
    with pytest.raises(ValidationError, match="已吊销"):
        services.api_token_revoke(actor=personas.alice, token=token)
    assert Event.objects.filter(event_type=EventType.API_TOKEN_REVOKED).count() == 1


def test_nobody_revokes_another_users_token(personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    with pytest.raises(ValidationError, match="只能吊销本人"):
        services.api_token_revoke(actor=personas.bob, token=token)
    assert selectors.api_token_by_raw(raw) == token


def test_a_token_of_a_deactivated_user_is_not_valid(personas):
    _, raw = services.api_token_create(actor=personas.alice, name="手机")
    User.objects.filter(pk=personas.alice.pk).update(is_active=False)
    assert selectors.api_token_by_raw(raw) is None


def test_use_is_noted_at_most_every_five_minutes(personas):
    token, _ = services.api_token_create(actor=personas.alice, name="手机")
    services.api_token_touch(token)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    services.api_token_touch(token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
