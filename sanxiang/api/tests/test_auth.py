from sanxiang.api import services
from sanxiang.api.models import ApiToken
from sanxiang.api.tests.conftest import Api, token_for

UNAUTHORIZED = "未提供有效的接口令牌，或令牌已吊销。"


def test_no_token_gets_401_in_chinese(client, personas):
    response = Api(client, None).get("/me")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORIZED}
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_gets_401(client, personas):
    assert Api(client, "sx_not-a-token").get("/me").status_code == 401


def test_a_session_login_is_not_enough(client, personas):
    client.force_login(personas.alice)
    assert Api(client, None).get("/me").status_code == 401


def test_a_revoked_token_gets_401(client, personas):
    raw = token_for(personas.alice)
    api = Api(client, raw)
    assert api.get("/me").status_code == 200
    services.api_token_revoke(actor=personas.alice, token=ApiToken.objects.get())
    response = api.get("/me")
    assert response.status_code == 401
    assert response.json()["detail"] == UNAUTHORIZED


def test_a_call_notes_when_the_token_was_used(client, personas):
    Api(client, token_for(personas.alice)).get("/me")
    assert ApiToken.objects.get().last_used_at is not None
