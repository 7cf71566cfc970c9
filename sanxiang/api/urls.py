"""``/api/``: the JSON API under ``v1/`` (namespace ``api``) and the token pages under ``tokens/``."""

from django.urls import include, path

from sanxiang.api import views
from sanxiang.api.api import api, openapi_document

token_patterns = (
    [
        path("", views.token_list, name="list"),
        path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    ],
    "api_tokens",
)

urlpatterns = [
    path("v1/openapi.json", openapi_document, name="openapi"),
    path("v1/", api.urls),
    path("tokens/", include(token_patterns)),
]
