"""``{% load payments %}``: the payment panel of a case and amounts in 元."""

from __future__ import annotations

from typing import Any

from django import template

from sanxiang.payments.balance import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Integer fen as 元: ``{{ payment.amount_fen|yuan }}`` → “1,234.56”."""
    return "" if fen is None else _yuan(int(fen))


@register.inclusion_tag("payments/_case_payments_panel.html", takes_context=True)
def payment_panel(context: Any, case: Any) -> dict[str, Any]:
    """The panel for ``case`` as the signed-in user (``request`` must be in the context) may see it."""
    from sanxiang.payments.views import panel_context

    request = context["request"]
    data = panel_context(case, request.user)
    data["request"] = request
    data["csrf_token"] = context.get("csrf_token")
    return data
