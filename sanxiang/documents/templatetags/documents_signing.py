"""Template tags that put signing and delivery on other pages: the case's documents panel, a document's page.

{% load documents_signing %}
{% signing_actions document %}      buttons for one document in a list
{% document_signatures document %}  its signatures (thumbnail and hash) and the signing buttons
{% document_deliveries document %}  its delivery records
{% delivery_clocks case %}          行政处罚法 Art.61: decisions not yet delivered, with working days left
"""

from __future__ import annotations

from typing import Any

from django import template

from sanxiang.documents import delivery, signing
from sanxiang.documents.models import Document
from sanxiang.documents.views_signing import panel_context

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("documents/signing/_actions.html", takes_context=True)
def signing_actions(context: template.Context, document: Document) -> dict[str, Any]:
    user = _user(context)
    in_force = signing.open_to_acts(document)
    signed = {s.role for s in document.signatures.all() if s.user_id == getattr(user, "pk", None)}
    return {
        "document": document,
        "csrf_token": context.get("csrf_token"),
        "staff_roles": [r for r in signing.staff_roles_for(user, document) if r not in signed]
        if in_force
        else [],
        "can_take": in_force and signing.can_take_signatures(user, document),
        "hand": bool(signing.hand_roles_for(document)),
        "refuse": bool(signing.refusing_roles_for(document)),
        "can_deliver": in_force and document.type.party_receives and delivery.can_deliver(user, document),
    }


@register.inclusion_tag("documents/signing/_signatures.html", takes_context=True)
def document_signatures(context: template.Context, document: Document) -> dict[str, Any]:
    request = context.get("request")
    return {**panel_context(request, document), "csrf_token": context.get("csrf_token")}  # type: ignore[arg-type]


@register.inclusion_tag("documents/delivery/_deliveries.html")
def document_deliveries(document: Document) -> dict[str, Any]:
    return {"document": document, "deliveries": delivery.deliveries_of(document)}


@register.inclusion_tag("documents/delivery/_clocks.html")
def delivery_clocks(case: Any) -> dict[str, Any]:
    return {"delivery_clocks": delivery.delivery_clocks_for(case)}
