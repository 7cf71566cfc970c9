"""Draft values taken from the case or inspection, so an officer rarely types anything twice.

Each known field name has a source: the case's party, handlers, title, facts, penalties and dates; the
inspection's unit, officers, record and hazards. What the earlier documents of the matter already state
(the facts, the evidence, the provisions broken and applied) is carried forward from the latest issued one:
the 调查终结报告's facts become the 呈批表's, the 告知书's and the 决定书's. A name with no source gets its
spec's ``default``. The values are raw (ids for officers and parties); :func:`sanxiang.documents.fields.clean`
turns them into the stored form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from sanxiang.core.money import amount_with_words
from sanxiang.documents import clock
from sanxiang.documents.models import Delivery, Document, DocumentType

__all__ = ["action_initial", "prefill", "rights_text"]


@dataclass
class Matter:
    """What the sources read: the case or the inspection of the draft."""

    agency: Any
    case: Any = None
    inspection: Any = None

    @property
    def party(self) -> Any:
        if self.case is not None:
            link = self.case.case_parties.select_related("party").order_by("pk").first()
            return link.party if link else None
        return self.inspection.party

    @property
    def officer_ids(self) -> list[int]:
        if self.case is not None:
            return list(self.case.case_officers.order_by("pk").values_list("officer_id", flat=True))
        return list(self.inspection.assignments.order_by("pk").values_list("officer_id", flat=True))

    def penalties(self) -> list[dict[str, Any]]:
        """The latest set: final if decided, else notified, else proposed."""
        from sanxiang.cases.workflow import latest_set

        if self.case is None:
            return []
        for stage in ("final", "notified", "proposed"):
            rows = list(latest_set(self.case, stage))
            if rows:
                return [{"kind": p.kind, "amount_fen": p.amount_fen, "violation": p.violation} for p in rows]
        return []


def performance_text(kinds: set[str]) -> str:
    """履行方式和期限 of a decision (行政处罚法 Art.59(4)) by the penalties it imposes: money is paid
    within 15 days to the bank or electronically (Art.67), a fine bears 3 % a day when late, up to the
    fine (Art.72); other penalties are carried out from delivery."""
    from sanxiang.cases.models import PenaltyKind

    if not kinds:  # no penalty recorded yet: the terms of a fine, the commonest decision, to be edited
        kinds = {PenaltyKind.FINE}
    fine, gains = PenaltyKind.FINE in kinds, PenaltyKind.CONFISCATE_GAINS in kinds
    text = ""
    if fine and gains:
        text = gettext(
            "自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款和没收的违法所得"
            "（行政处罚法第六十七条）。"
        )
    elif fine:
        text = gettext(
            "自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款（行政处罚法第六十七条）。"
        )
    elif gains:
        text = gettext(
            "自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳没收的违法所得（行政处罚法第六十七条）。"
        )
    if fine:
        text += gettext(
            "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（行政处罚法第七十二条）。"
        )
    paid = {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS}
    others = [str(label) for kind, label in PenaltyKind.choices if kind in kinds and kind not in paid]
    if others:
        text += gettext("%(penalties)s自本决定书送达之日起执行。") % {"penalties": "、".join(others)}
    return text


def rights_text(*, hearing: bool) -> str:
    """The rights the Art.44 notice tells of; the hearing notice adds the hearing (Art.63, 64)."""
    text = gettext(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
        "你（单位）可在收到本告知书之日起五个工作日内向本机关提出陈述、申辩意见，逾期视为放弃上述权利。"
    )
    if hearing:
        text += gettext(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证，"
            "要求听证的，应当在收到本告知书之日起五个工作日内提出，逾期视为放弃听证权利。"
        )
    return text


def _violations(m: Matter) -> str:
    return "；".join(dict.fromkeys(p["violation"] for p in m.penalties()))


def _outcome(m: Matter) -> str:
    """处理结果: the outcome, and the penalties decided with their amounts (as the 结案审批表 states them)."""
    from sanxiang.cases.models import PenaltyKind
    from sanxiang.cases.workflow import latest_set

    if m.case is None or not m.case.outcome:
        return ""
    outcome = str(m.case.get_outcome_display())
    decided = [
        str(PenaltyKind(p.kind).label) + (amount_with_words(p.amount_fen) if p.amount_fen else "")
        for p in latest_set(m.case, "final")
    ]
    return f"{outcome}：{'；'.join(decided)}" if decided else outcome


def _execution(m: Matter) -> str:
    """执行情况 of a case whose execution is complete: the day, and what the party paid (罚缴分离, Art.67)."""
    from django.db.models import Sum

    case = m.case
    if case is None or case.executed_on is None:
        return ""
    paid = case.payments.aggregate(total=Sum("amount_fen"))["total"] or 0
    day = case.executed_on
    done = gettext("%(day)s执行完毕") % {"day": f"{day.year}年{day.month}月{day.day}日"}
    if paid:
        return (
            gettext("当事人已缴纳罚款（含加处罚款）%(amount)s，") % {"amount": amount_with_words(paid)}
            + done
            + "。"
        )
    return done + "。"


def _hearing_at(m: Matter) -> str:
    if m.case is None or m.case.hearing_on is None:
        return ""
    return f"{m.case.hearing_on.isoformat()}T09:00"


def _chair(m: Matter) -> str:
    return m.case.hearing_chair.name if m.case is not None and m.case.hearing_chair_id else ""


def _record(m: Matter) -> Any:
    return getattr(m.inspection, "record", None) if m.inspection is not None else None


def _record_value(attr: str) -> Callable[[Matter], Any]:
    def read(m: Matter) -> Any:
        record = _record(m)
        if record is None:
            return None
        value = getattr(record, attr)
        return value.isoformat() if hasattr(value, "isoformat") else value

    return read


def _hazards(m: Matter) -> list[str]:
    if m.inspection is None:
        return []
    return [f"{h.location}：{h.description}" for h in m.inspection.hazards.order_by("pk")]


def _latest_order(m: Matter) -> Any:
    if m.inspection is None:
        return None
    return m.inspection.orders.order_by("-issued_on", "-pk").first()


def _latest_recheck(m: Matter) -> Any:
    order = _latest_order(m)
    return order.rechecks.order_by("-rechecked_on", "-pk").first() if order is not None else None


def _order_attr(attr: str) -> Callable[[Matter], Any]:
    def read(m: Matter) -> Any:
        order = _latest_order(m)
        value: Any = getattr(order, attr, None) if order is not None else None
        return value.isoformat() if hasattr(value, "isoformat") else value

    return read


def _order_items(m: Matter) -> list[dict[str, Any]]:
    order = _latest_order(m)
    if order is None:
        return []
    return [
        {"requirement": item.requirement, "due_on": order.due_on.isoformat()}
        for item in order.items.order_by("pk")
    ]


def _recheck_opinion(m: Matter) -> Any:
    recheck = _latest_recheck(m)
    return recheck.opinion if recheck is not None else None


def _rectified(m: Matter) -> Any:
    recheck = _latest_recheck(m)
    if recheck is None:
        return None
    return all(r.rectified for r in recheck.results.all())


def _measures(m: Matter) -> list[str]:
    if m.inspection is None:
        return []
    hazards = m.inspection.hazards.exclude(measure=None).select_related("measure").order_by("pk")
    return [f"{h.measure.get_kind_display()}：{h.measure.content}" for h in hazards]


def _case_attr(attr: str) -> Callable[[Matter], Any]:
    def read(m: Matter) -> Any:
        if m.case is None:
            return None
        value = getattr(m.case, attr)
        return value.isoformat() if hasattr(value, "isoformat") else value

    return read


def _party_id(m: Matter) -> Any:
    party = m.party
    return party.pk if party is not None else None


def _party_name(m: Matter) -> str:
    party = m.party
    return party.name if party is not None else ""


def _today(m: Matter) -> str:
    return clock.today().isoformat()


def _now(m: Matter) -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M")


def _title(m: Matter) -> str:
    if m.case is not None:
        return str(m.case.title)
    return str(m.inspection.scope or "")


def _contact(m: Matter) -> str:
    """联系人及电话 on a notice: the first handler and the agency's telephone."""
    from sanxiang.agencies.models import Officer

    first = Officer.objects.filter(pk__in=m.officer_ids[:1]).first()
    return " ".join(part for part in (first.name if first else "", m.agency.phone) if part)


SOURCES: dict[str, Callable[[Matter], Any]] = {
    "party": _party_id,
    "unit": _party_id,
    "officers": lambda m: m.officer_ids,
    "case_title": _title,
    "case_source": lambda m: str(m.case.get_source_display()) if m.case is not None else "",
    "case_time": _case_attr("act_date"),
    "summary": lambda m: m.case.facts if m.case is not None else "",
    "facts": lambda m: m.case.facts if m.case is not None else "",
    "violated": _violations,
    "penalties": lambda m: m.penalties(),
    "agency_name": lambda m: m.agency.name,
    # 机关地址, 联系人及电话: where the party states, defends or asks for a hearing (Art.44, 64).
    "address": lambda m: m.agency.address,
    "contact": _contact,
    "filed_on": _case_attr("filed_on"),
    "decision_number": _case_attr("decision_number"),
    "proposed_outcome": lambda m: m.case.outcome if m.case is not None and m.case.outcome else None,
    "outcome": _outcome,
    "execution": _execution,
    "recipient": _party_name,
    "hearing_at": _hearing_at,
    "chair": _chair,
    "held_on": _case_attr("hearing_held_on"),
    "fine_fen": lambda m: m.case.fine_fen if m.case is not None and m.case.fine_fen else None,
    "performance": lambda m: performance_text({p["kind"] for p in m.penalties()}),
    # Dates of the act the document records: today unless the officer changes them.
    "notified_on": _today,
    "decided_on": _today,
    "reported_on": _today,
    "submitted_on": _today,
    "reviewed_on": _today,
    "confirmed_on": _today,
    "issued_on": _today,
    "reminded_on": _today,
    "applied_on": _today,
    "approved_on": _today,
    "made_on": _today,
    "preserved_on": _today,
    "rechecked_on": _today,
    "delivered_at": _now,
    "held_at": _now,
    "at": _now,
    # Inspections.
    "planned_on": lambda m: m.inspection.planned_on.isoformat() if m.inspection is not None else None,
    "scope": lambda m: m.inspection.scope if m.inspection is not None else "",
    "place": _record_value("place"),
    "started_at": _record_value("started_at"),
    "ended_at": _record_value("ended_at"),
    "content": _record_value("content"),
    "unit_contact": _record_value("unit_contact"),
    "problems": _hazards,
    "due_on": _order_attr("due_on"),
    "order_number": _order_attr("number"),
    "items": _order_items,
    "opinion": _recheck_opinion,
    "rectified": _rectified,
    "measures": _measures,
}


def _rights(doc_type: DocumentType) -> Any:
    if doc_type.key == "penalty_notice":
        return rights_text(hearing=False)
    if doc_type.key == "hearing_notice":
        return rights_text(hearing=True)
    return None


def _shape(spec: dict[str, Any], value: Any) -> Any:
    """Fit a source's value to the field's kind (a list into a textarea, a datetime to the minute)."""
    kind = spec["kind"]
    if kind == "textarea" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind in ("text", "textarea") and not isinstance(value, str):
        return None
    if kind == "datetime" and isinstance(value, str) and len(value) > 16:
        from django.utils import timezone
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return parsed.strftime("%Y-%m-%dT%H:%M")
    if kind == "list" and spec.get("item_fields") and value:
        names = {sub["name"] for sub in spec["item_fields"]}
        # A source's records fit only a list with the same sub-fields (整改项 are not 查封清单 items).
        if not isinstance(value[0], dict) or not set(value[0]) <= names:
            return None
    if kind == "list" and not spec.get("item_fields") and value and isinstance(value[0], dict):
        return None
    return value


# Statements of the case that later documents repeat: carried forward from the latest issued document.
CARRIED = (
    "facts",
    "evidence",
    "violated",
    "basis",
    "discretion",
    "performance",
    "payment_bank",
    "payment_account",
)


def _agency_leader(m: Matter) -> str:
    """The agency's 负责人 when it has one active leader account; otherwise left to the one who drafts."""
    from sanxiang.accounts.models import User

    leaders = User.objects.filter(agency=m.agency, is_active=True, roles__role="leader").distinct()
    found = list(leaders.order_by("pk")[:2])
    return str(found[0]) if len(found) == 1 else ""


# Names whose source depends on the type: the 集体讨论 is chaired by the agency's 负责人 (行政处罚法第五十七条
# 第二款), not by the hearing's chair.
TYPE_SOURCES: dict[str, dict[str, Callable[[Matter], Any]]] = {
    "collective_discussion_record": {"chair": _agency_leader},
}


# What a document repeats from the earlier one of the same act: the hearing is held when and where its
# 听证会通知书 said (行政处罚法第六十四条第二项), with the clerk it named.
# type → (earlier type, {field: the earlier type's field}).
FROM_EARLIER: dict[str, tuple[str, dict[str, str]]] = {
    "hearing_record": (
        "hearing_meeting_notice",
        {"held_at": "hearing_at", "place": "hearing_place", "clerk": "clerk"},
    ),
    "hearing_report": ("hearing_meeting_notice", {"held_on": "hearing_at"}),
}


def _from_earlier(doc_type: DocumentType, case: Any) -> dict[str, Any]:
    if case is None or doc_type.key not in FROM_EARLIER:
        return {}
    key, names = FROM_EARLIER[doc_type.key]
    earlier = (
        Document.objects.filter(case=case, type__key=key, status="issued", void__isnull=True)
        .order_by("-issued_at", "-pk")
        .first()
    )
    if earlier is None:
        return {}
    kinds = {spec["name"]: spec["kind"] for spec in doc_type.fields}
    values = {}
    for name, source in names.items():
        value = earlier.fields.get(source)
        if isinstance(value, str) and value:
            # a date field takes the day of a date and time
            values[name] = value[:10] if kinds.get(name) == "date" else value
    return values


def _carried(case: Any, inspection: Any) -> dict[str, tuple[str, Any]]:
    """``name → (kind, value)`` from the matter's issued, not voided documents, the latest first."""
    rows = Document.objects.filter(status="issued", void__isnull=True).select_related("type")
    rows = rows.filter(case=case) if case is not None else rows.filter(inspection=inspection)
    found: dict[str, tuple[str, Any]] = {}
    for document in rows.order_by("-issued_at", "-pk"):
        for spec in document.type.fields:
            name = spec["name"]
            value = document.fields.get(name)
            if name in CARRIED and name not in found and value not in (None, "", []):
                found[name] = (spec["kind"], value)
    return found


def prefill(
    doc_type: DocumentType, *, agency: Any, case: Any = None, inspection: Any = None
) -> dict[str, Any]:
    """Raw values for a new draft of ``doc_type``: carried from earlier documents, the matter, or default."""
    matter = Matter(agency=agency, case=case, inspection=inspection)
    carried = _carried(case, inspection) if case is not None or inspection is not None else {}
    earlier = _from_earlier(doc_type, case)
    values: dict[str, Any] = {}
    for spec in doc_type.fields:
        name = spec["name"]
        value: Any = earlier.get(name)
        if value is None and name in carried and carried[name][0] == spec["kind"]:
            value = carried[name][1]
        if name == "rights":
            value = _rights(doc_type)
        source = TYPE_SOURCES.get(doc_type.key, {}).get(name) or SOURCES.get(name)
        if value is None and source is not None:
            value = _shape(spec, source(matter))
        if value in (None, "", []) and "default" in spec:
            value = spec["default"]
        if value not in (None, "", []):
            values[name] = value
    if doc_type.key == "delivery_receipt":
        values["documents"] = _receipt_documents(case)
    return values


def _receipt_documents(case: Any) -> list[dict[str, str]]:
    """A receipt lists the case's issued documents the party receives that have no delivery yet."""
    if case is None:
        return []
    rows = (
        Document.objects.filter(case=case, status="issued", type__party_receives=True, void__isnull=True)
        .exclude(deliveries__isnull=False)
        .select_related("type")
        .order_by("issued_at", "pk")
    )
    return [{"title": d.type.title, "number": d.number} for d in rows]


# ----------------------------------------------------------------------------------------------------
# The other way round: a case step's form starts from the issued document the step needs (cases/workflow.py).


def _on(value: Any) -> Any:
    """A stored date or datetime (ISO text) as the date a form's date field shows."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _joined(fields: dict[str, Any], *names: str) -> str:
    return "\n".join(
        str(fields[n]).strip() for n in names if isinstance(fields.get(n), str) and fields[n].strip()
    )


def _penalty_rows(penalties: Any) -> dict[str, Any]:
    """The penalty rows of a case form (``p0_kind``, ``p0_amount`` in 元 …) from a document's list."""
    from sanxiang.cases.forms import PENALTY_ROWS

    rows: dict[str, Any] = {}
    for i, item in enumerate((penalties if isinstance(penalties, list) else [])[:PENALTY_ROWS]):
        if not isinstance(item, dict) or not item.get("kind"):
            continue
        rows[f"p{i}_kind"] = item["kind"]
        rows[f"p{i}_amount"] = (Decimal(int(item.get("amount_fen") or 0)) / 100).quantize(Decimal("0.01"))
        rows[f"p{i}_violation"] = item.get("violation", "")
        rows[f"p{i}_description"] = item.get("description", "")
    return rows


def _participants(case: Any, names: Any) -> list[int]:
    from sanxiang.accounts.models import User

    if not isinstance(names, list) or not names:
        return []
    users = User.objects.filter(
        agency=case.agency_id, is_active=True, display_name__in=[str(n) for n in names]
    )
    return list(users.values_list("pk", flat=True))


StepValues = Callable[[Any, dict[str, Any]], dict[str, Any]]

# action → the document types it needs, each with what its form takes from the latest issued one.
STEP_VALUES: dict[str, tuple[tuple[str, StepValues], ...]] = {
    "report_investigation": (
        ("investigation_report", lambda c, f: {"report": _joined(f, "facts", "proposal")}),
    ),
    "submit_case_review": (
        (
            "case_review_form",
            lambda c, f: {"proposed_outcome": f.get("proposed_outcome"), **_penalty_rows(f.get("penalties"))},
        ),
    ),
    "notify_penalty": (("penalty_notice", lambda c, f: {"notified_on": _on(f.get("notified_on"))}),),
    "record_statement": (("statement_record", lambda c, f: {"statement": _joined(f, "statement")}),),
    "notify_hearing": (("hearing_meeting_notice", lambda c, f: {"notified_on": _on(f.get("notified_on"))}),),
    "record_hearing": (
        ("hearing_record", lambda c, f: {"record": _joined(f, "record"), "held_on": _on(f.get("held_at"))}),
        (
            "hearing_report",
            lambda c, f: {"report": _joined(f, "summary", "opinion"), "held_on": _on(f.get("held_on"))},
        ),
    ),
    "record_collective_discussion": (
        (
            "collective_discussion_record",
            lambda c, f: {
                "held_on": _on(f.get("held_at")),
                "conclusion": _joined(f, "conclusion"),
                "participants": _participants(c, f.get("participants")),
            },
        ),
    ),
    "decide": (
        (
            "penalty_decision",
            lambda c, f: {"decided_on": _on(f.get("decided_on")), **_penalty_rows(f.get("penalties"))},
        ),
    ),
}


# The 送达方式 of a delivery as the case's 送达决定书 form names it (cases.forms.DELIVERY_METHODS).
DELIVERY_METHOD_NAMES = {
    "direct": "直接送达",
    "left_at_address": "留置送达",
    "mail": "邮寄送达",
    "entrusted": "委托送达",
    "electronic": "电子送达",
    "public_notice": "公告送达",
}


def _decision_delivery(case: Any) -> dict[str, Any]:
    """送达决定书 starts from the delivery recorded for the decision (行政处罚法第六十一条)."""
    delivery = (
        Delivery.objects.filter(
            document__case=case,
            document__type__key__in=("penalty_decision", "no_penalty_decision"),
            document__status="issued",
            document__void__isnull=True,
        )
        .order_by("-delivered_on", "-pk")
        .first()
    )
    if delivery is None:
        return {}
    return {"delivered_on": delivery.delivered_on, "method": DELIVERY_METHOD_NAMES.get(delivery.method)}


def action_initial(case: Any, action: str) -> dict[str, Any]:
    """Starting values of a case step's form from the issued, not voided documents the step needs.

    Registered with :func:`sanxiang.cases.forms.register_initial_source`: what the 调查终结报告, the
    听证笔录 and 听证会报告书, the 集体讨论记录 or the 决定书 already say is not typed again. Empty values
    are left out.
    """
    values: dict[str, Any] = _decision_delivery(case) if str(action) == "deliver" else {}
    for key, read in STEP_VALUES.get(str(action), ()):
        document = (
            Document.objects.filter(case=case, type__key=key, status="issued", void__isnull=True)
            .order_by("-issued_at", "-pk")
            .first()
        )
        if document is None:
            continue
        for name, value in read(case, document.fields).items():
            if value not in (None, "", []) and name not in values:
                values[name] = value
    return values
