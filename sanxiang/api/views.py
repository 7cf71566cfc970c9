"""Staff pages where a user manages their own API tokens. Parse, check, call the service, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.models import User
from sanxiang.api import permissions, selectors, services
from sanxiang.api.forms import TokenForm
from sanxiang.api.models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a POST makes a new one and shows it this once."""
    user = cast(User, request.user)
    form = TokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST":
        if not permissions.can_create_token(user):
            raise PermissionDenied(gettext("只有所属执法机关的在职人员才能创建接口令牌。"))
        if form.is_valid():
            try:
                _, new_token = services.api_token_create(actor=user, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = TokenForm()
    response = render(
        request,
        "api/token_list.html",
        {
            "tokens": selectors.api_token_list_for(user),
            "form": form,
            "new_token": new_token,
            "can_create": permissions.can_create_token(user),
        },
    )
    # The new token is on this page and nowhere else; keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = selectors.api_token_get_for(request.user, pk)
    except ApiToken.DoesNotExist:
        raise Http404(gettext("未找到该令牌。")) from None
    try:
        services.api_token_revoke(actor=cast(User, request.user), token=token)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, gettext("令牌已吊销，使用它的终端将无法再访问。"))
    return redirect("api_tokens:list")
