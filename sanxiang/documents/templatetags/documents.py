"""The documents panels: ``{% case_documents case %}`` and ``{% inspection_documents inspection %}``."""

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


@register.inclusion_tag("documents/_inspection_panel.html", takes_context=True)
def inspection_documents(context: template.Context, inspection: Any) -> dict[str, Any]:
    request = context.get("request")
    return {
        "inspection": inspection,
        "panel": selectors.inspection_panel(getattr(request, "user", None), inspection),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
