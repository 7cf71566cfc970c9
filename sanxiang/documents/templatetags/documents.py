"""The documents panel on a case page: ``{% load documents %}{% case_documents case %}``."""

from __future__ import annotations

from typing import Any

from django import template

from sanxiang.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_case_panel.html", takes_context=True)
def case_documents(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "panel": selectors.case_panel(user, case),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
