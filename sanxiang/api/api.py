"""The JSON API for field terminals (移动执法) at ``/api/v1/``, with its OpenAPI document.

Every endpoint acts as the token's user: it reads through the same scoped selectors and writes through the
same services as the staff pages, so a user of another agency gets 404, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from sanxiang.api.auth import TokenAuth
from sanxiang.api.routers import cases, core, inspections


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese as Chinese: the default escapes every character outside ASCII."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="三项 · 移动执法接口",
    version="1",
    description="供移动执法终端使用。请求头：Authorization: Bearer <接口令牌>。",
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
    auth=TokenAuth(),
    docs_url=None,  # the docs page loads its assets from a CDN; intranets have none
    openapi_url=None,  # served by openapi_document below, with Chinese unescaped like every other answer
)


def openapi_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 document of this API, at ``/api/v1/openapi.json``; public, like the API's shape."""
    return JsonResponse(
        api.get_openapi_schema(),
        encoder=NinjaJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": gettext("未提供有效的接口令牌，或令牌已吊销。")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or gettext("未找到。")}, status=404)


def validation_messages(error: ValidationError) -> str:
    return "；".join(str(message) for message in error.messages)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body: dict[str, Any] = {"detail": validation_messages(exc)}
    if hasattr(exc, "error_dict"):
        body["errors"] = {field: list(messages) for field, messages in exc.message_dict.items()}
    return api.create_response(request, body, status=400)


api.add_router("", core.router)
api.add_router("/cases", cases.router)
api.add_router("/inspections", inspections.router)
