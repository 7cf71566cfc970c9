from django.urls import reverse

from sanxiang.api import selectors, services
from sanxiang.api.models import ApiToken
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event


def test_the_token_page_needs_a_login(client, db):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_new_token_is_shown_once(client, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("api_tokens:list"), {"name": "执法记录仪 03"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    token = selectors.api_token_by_raw(raw)
    assert token is not None
    assert token.user == personas.alice
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "执法记录仪 03" in page
    assert raw not in page


def test_a_token_without_a_name_is_not_made(client, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("api_tokens:list"), {"name": ""})
    assert not response.context["new_token"]
    assert not ApiToken.objects.exists()


def test_a_user_sees_only_their_own_tokens(client, personas):
    services.api_token_create(actor=personas.alice, name="艾丽的手机")
    client.force_login(personas.bob)
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "艾丽的手机" not in page
    assert "暂无接口令牌" in page


def test_revoking_from_the_page(client, personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    client.force_login(personas.alice)
    url = reverse("api_tokens:revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "令牌已吊销" in response.content.decode()
    assert selectors.api_token_by_raw(raw) is None
    assert Event.objects.filter(event_type=EventType.API_TOKEN_REVOKED).count() == 1


def test_another_users_token_is_not_found(client, personas):
    token, raw = services.api_token_create(actor=personas.alice, name="手机")
    client.force_login(personas.charlie)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert selectors.api_token_by_raw(raw) == token
