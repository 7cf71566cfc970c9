"""Issue, through the services, the documents a case step needs: for tests and for the demo loader.

:func:`prepare` reads the row of the case's current stage for an action and, for every document the row
names that is not yet issued, drafts it (prefilled from the case), completes the fields the case cannot
supply from the step's own data (the statement, the hearing record, the opinion, the penalties …) or from
plain defaults, and issues it; a decision that must be delivered gets a 文书送达回执 and a delivery record.
Nothing here bypasses a check: a document that could not be issued in the pages is refused here too.
"""

from __future__ import annotations

import base64
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from PIL import Image, ImageDraw

from sanxiang.accounts.models import User
from sanxiang.cases import workflow
from sanxiang.documents import clock, doctypes, gate, permissions, services
from sanxiang.documents.fields import is_empty
from sanxiang.documents.models import Delivery, DeliveryMethod, Document, DocumentStatus, DocumentType

__all__ = ["actor_for", "deliver", "issue", "prepare"]

EVIDENCE = ["现场检查记录及现场照片", "询问笔录", "当事人营业执照复印件"]
PROVISION = re.compile(r"(安全生产法第[^条（）]*条)")


def _penalty_dicts(penalties: Any) -> list[dict[str, Any]]:
    out = []
    for p in penalties or []:
        row = asdict(p) if is_dataclass(p) and not isinstance(p, type) else dict(p)
        out.append(
            {"kind": row["kind"], "amount_fen": row.get("amount_fen", 0), "violation": row["violation"]}
        )
    return out


def _violations(case: Any, data: dict[str, Any]) -> list[str]:
    penalties = _penalty_dicts(data.get("penalties"))
    if not penalties:
        for stage in ("final", "notified", "proposed"):
            penalties = [{"violation": p.violation} for p in workflow.latest_set(case, stage)]
            if penalties:
                break
    return list(dict.fromkeys(p["violation"] for p in penalties))


def _basis(case: Any, data: dict[str, Any]) -> str:
    provisions = list(dict.fromkeys(m for v in _violations(case, data) for m in PROVISION.findall(v)))
    if not provisions:
        return "依据《中华人民共和国安全生产法》的有关规定"
    return (
        "依据《中华人民共和国" + "》、《中华人民共和国".join(provisions).replace("法第", "法》第") + "的规定"
    )


def _facts(case: Any) -> str:
    if case.facts:
        return str(case.facts)
    party = case.case_parties.select_related("party").first()
    name = party.party.name if party else "当事人"
    return f"经查，{name}存在{case.title.removesuffix('案')}的违法行为。"


def _court(case: Any) -> str:
    return str(case.agency.name).replace("应急管理局", "人民法院")


def _names(ids: Any) -> list[str]:
    users = User.objects.filter(pk__in=[getattr(i, "pk", i) for i in ids or []])
    return [u.display_name or u.username for u in users]


def _reminder_number(case: Any) -> str:
    return services.issued_number_for_case(case, None, type_key="enforcement_reminder") or ""


Filler = Callable[[Any, dict[str, Any], Any], Any]
FILLERS: dict[str, Filler] = {
    "summary": lambda c, d, a: _facts(c),
    "facts": lambda c, d, a: _facts(c),
    "findings": lambda c, d, a: _facts(c),
    "evidence": lambda c, d, a: EVIDENCE,
    "investigation": lambda c, d, a: "执法人员出示执法证件后进行了现场检查，询问了有关人员，调取了相关资料。",
    "violated": lambda c, d, a: "；".join(_violations(c, d)) or "《中华人民共和国安全生产法》的有关规定",
    "basis": lambda c, d, a: _basis(c, d),
    "proposal": lambda c, d, a: "建议依法给予行政处罚。",
    "proposed_outcome": lambda c, d, a: d.get("proposed_outcome") or c.outcome or "penalty",
    "penalties": lambda c, d, a: _penalty_dicts(d.get("penalties")) or None,
    "place": lambda c, d, a: c.agency.address or f"{c.agency.name}询问室",
    "hearing_place": lambda c, d, a: c.agency.address or f"{c.agency.name}听证室",
    "statement": lambda c, d, a: d.get("statement") or "当事人对违法事实无异议，请求从轻处罚。",
    "record": lambda c, d, a: d.get("record") or "听证会依法举行，当事人进行了陈述和申辩。",
    "opinion": lambda c, d, a: d.get("opinion") or d.get("report") or "事实清楚，证据确凿，程序合法。",
    "opinion_kind": lambda c, d, a: "approve",
    "reviewer": lambda c, d, a: a.display_name or a.username,
    "chair": lambda c, d, a: c.hearing_chair.name if c.hearing_chair_id else (a.display_name or a.username),
    "participants": lambda c, d, a: _names(d.get("participants")),
    "discussion": lambda c, d, a: "与会人员认为，本案事实清楚，证据确凿，适用依据正确，程序合法。",
    "conclusion": lambda c, d, a: d.get("conclusion") or "同意承办机构的处理意见。",
    "reason": lambda c, d, a: d.get("reason"),
    "organ": lambda c, d, a: d.get("organ"),
    "investigated_on": lambda c, d, a: clock.today().isoformat(),
    "held_on": lambda c, d, a: clock.today().isoformat(),
    "obligation": lambda c, d, a: "缴纳行政处罚决定书确定的罚款。",
    "amount_fen": lambda c, d, a: c.fine_fen,
    "pay_by": lambda c, d, a: (clock.today() + datetime.timedelta(days=10)).isoformat(),
    "court": lambda c, d, a: _court(c),
    "reminder_number": lambda c, d, a: _reminder_number(c),
    "request": lambda c, d, a: "申请强制执行行政处罚决定书确定的罚款及加处罚款。",
    "execution": lambda c, d, a: "处理决定已执行完毕。" if c.executed_on else "无需执行。",
    "outcome": lambda c, d, a: str(c.get_outcome_display()) or "结案",
    "until": lambda c, d, a: d.get("until") or c.extension_requested_until,
    "method": lambda c, d, a: DeliveryMethod.DIRECT,
}
# The hearing report's summary is the hearing record; its opinion the report.
TYPE_FILLERS: dict[tuple[str, str], Filler] = {
    ("hearing_report", "summary"): lambda c, d, a: d.get("record") or "听证会依法举行。",
    ("hearing_report", "opinion"): lambda c, d, a: d.get("report") or "建议维持拟作出的行政处罚。",
    ("extension_approval", "reason"): lambda c, d, a: d.get("reason") or "案情复杂，需进一步调查取证。",
    ("no_penalty_decision", "reason"): lambda c, d, a: d.get("reason") or "first_offence",
    ("delivery_receipt", "place"): lambda c, d, a: _party_address(c) or c.agency.address or "当事人住所",
}


def _party_address(case: Any) -> str:
    link = case.case_parties.select_related("party").first()
    return link.party.address if link else ""


def actor_for(doc_type: DocumentType, *, case: Any = None, inspection: Any = None) -> User:
    """A user who may draft ``doc_type`` for the matter: a handler, else a signer of the agency."""
    matter = case if case is not None else inspection
    users = list(User.objects.filter(agency_id=matter.agency_id, is_active=True).order_by("pk"))
    handlers = [u for u in users if permissions._is_handler(u, case=case, inspection=inspection)]
    for user in [*handlers, *users]:
        if permissions.can_draft(user, doc_type, case=case, inspection=inspection):
            return user
    raise LookupError(f"nobody of agency {matter.agency_id} may draft {doc_type.key}")


def issue(
    case: Any,
    type_key: str,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    inspection: Any = None,
    **values: Any,
) -> Document:
    """Draft and issue one document of ``type_key``; ``values`` override, fillers complete what is missing."""
    data = data or {}
    agency = (case or inspection).agency
    doc_type = doctypes.type_for(agency, type_key)
    if doc_type is None:
        raise LookupError(type_key)
    actor = actor or actor_for(doc_type, case=case, inspection=inspection)
    # A draft the case already has (e.g. the 行政处罚决定书（代拟稿） submitted for legal review) is the one
    # issued.
    waiting = (
        Document.objects.filter(case=case, type=doc_type, status=DocumentStatus.DRAFT, void__isnull=True)
        .order_by("-pk")
        .first()
        if case is not None
        else None
    )
    draft = waiting or services.document_draft(
        actor=actor, type_key=type_key, case=case, inspection=inspection
    )
    filled: dict[str, Any] = {}
    for spec in doc_type.fields:
        name = spec["name"]
        if name in values:
            filled[name] = values[name]
            continue
        if name == "penalties" and data.get("penalties"):
            # The step decides these penalties: the document states them, not the earlier set.
            filled[name] = _penalty_dicts(data["penalties"])
            continue
        if not spec.get("required") or not is_empty(draft.fields.get(name)) or case is None:
            continue
        filler = TYPE_FILLERS.get((type_key, name)) or FILLERS.get(name)
        value = filler(case, data, actor) if filler else None
        if not is_empty(value):
            filled[name] = value
    if filled:
        services.document_update_draft(actor=actor, document=draft, fields=filled)
    return services.document_issue(actor=actor, document=draft)


def handwriting(name: str) -> str:
    """A signature pad's PNG data URL with a few strokes, as a finger would leave them (deterministic)."""
    image = Image.new("RGB", (360, 140), "white")
    pen = ImageDraw.Draw(image)
    seed = sum(ord(c) for c in name)
    x = 20
    for i, char in enumerate(name or "签"):
        top = 30 + (seed + i * 17) % 30
        pen.line(
            [(x, top), (x + 30, top + 60), (x + 50, top + 10), (x + 70, top + 70)], fill="black", width=5
        )
        x += 80 + ord(char) % 7
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def deliver(
    case: Any, document: Document, *, actor: Any = None, method: str = DeliveryMethod.DIRECT
) -> Delivery:
    """Deliver ``document`` to the party on a 文书送达回执: signed by hand (直接送达), refused before a
    witness (留置送达) or mailed; through the signing and delivery services."""
    from sanxiang.documents import delivery, signing

    link = case.case_parties.select_related("party").first()
    recipient = link.party.name if link else "当事人"
    place = (link.party.address if link else "") or case.agency.address or "当事人住所"
    actor = actor or actor_for(document.type, case=case)
    left = method == DeliveryMethod.LEFT_AT_ADDRESS
    receipt = delivery.delivery_receipt_prepare(
        actor=actor,
        document=document,
        method=method,
        recipient=recipient,
        place=place,
        witness_name="村民委员会工作人员" if left else "",
        reason="受送达人拒绝签收" if left else "",
    )
    if method == DeliveryMethod.DIRECT:
        signing.signature_hand_sign(
            actor=actor,
            document=receipt,
            role="party",
            signer_name=recipient,
            data_url=handwriting(recipient),
        )
    return delivery.delivery_record(
        actor=actor,
        document=document,
        method=method,
        delivered_on=clock.today(),
        recipient=recipient,
        receipt=receipt,
        tracking_number=f"EMS{document.pk:010d}" if method == DeliveryMethod.MAIL else "",
    )


def _method(text: Any) -> str:
    """The delivery method named by a step's data: a value or a label (直接送达); direct by default."""
    for method in DeliveryMethod:
        if text in (method.value, str(method.label)):
            return method.value
    return DeliveryMethod.DIRECT


def prepare(case: Any, action: str, *, data: dict[str, Any] | None = None, **values: Any) -> list[Document]:
    """Issue (and deliver) what the row of ``(case.stage, action)`` needs and is still missing.

    ``data`` is the step's own data (penalties, statement, opinion …) that the documents state as well;
    ``values`` override fields of every document issued here.
    """
    data = data or {}
    case.refresh_from_db()
    step = workflow.step(case.stage, action)
    issued: list[Document] = []
    for requirement in gate.requirements(case, step.documents):
        if requirement.met:
            continue
        need = requirement.needs
        document = requirement.document
        if document is None:
            document = issue(case, need.keys[0], data=data, **values)
            issued.append(document)
        if need.delivered and not requirement.delivered:
            deliver(case, document, method=_method(data.get("method")))
    return issued


def issued_titles(case: Any) -> list[str]:
    """The titles of the case's issued documents, in issue order (for assertions and the demo counts)."""
    rows = Document.objects.filter(case=case, status=DocumentStatus.ISSUED).select_related("type")
    return [d.type.title for d in rows.order_by("issued_at", "pk")]
