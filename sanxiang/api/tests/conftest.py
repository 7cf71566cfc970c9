from __future__ import annotations

import pytest

from sanxiang.api import services


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    from sanxiang.deadlines import holiday_data
    from sanxiang.deadlines import services as deadline_services

    for path in holiday_data.shipped_files():
        deadline_services.holiday_year_load(data=holiday_data.read_file(path))


def token_for(user, name: str = "执法记录仪 03") -> str:
    return services.api_token_create(actor=user, name=name)[1]


class Api:
    """The Django test client speaking to ``/api/v1/`` with a bearer token."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def alice_api(client, personas) -> Api:
    return Api(client, token_for(personas.alice))


@pytest.fixture
def charlie_api(client, personas) -> Api:
    return Api(client, token_for(personas.charlie))
