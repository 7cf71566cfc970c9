"""Reads of legal review: the catalog in force, a case's facts and package, its review state, the queue and
the clocks "my work" shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases import workflow
from sanxiang.cases.models import Case, CaseTransition
from sanxiang.cases.workflow import Action
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.documents.models import Document, DocumentStatus
from sanxiang.review import catalog, permissions
from sanxiang.review.catalog import Facts, Trigger
from sanxiang.review.models import (
    CatalogVersion,
    LegalReview,
    MeetingOutcome,
    Objection,
    OpinionKind,
    ReviewRound,
    ReviewSettings,
)

__all__ = [
    "Material",
    "ReviewState",
    "catalog_in_force",
    "clocks_of",
    "facts_of",
    "objections_awaiting_meeting",
    "package_of",
    "queue_for",
    "review_settings_for",
    "review_state",
    "triggers_now",
]


def catalog_in_force(agency_id: int, at: datetime.datetime | None = None) -> CatalogVersion | None:
    """The agency's catalog version in force at ``at`` (now): the latest published by then."""
    at = at or timezone.now()
    return (
        CatalogVersion.objects.filter(agency_id=agency_id, published_at__lte=at)
        .order_by("-published_at", "-number")
        .first()
    )


def review_settings_for(agency_id: int) -> tuple[int, int]:
    """The agency's review period and the longest extension, in working days."""
    found = ReviewSettings.objects.filter(agency_id=agency_id).values_list("review_days", "extension_days")
    row = found.first()
    return row if row else (ReviewSettings.DEFAULT_DAYS, ReviewSettings.DEFAULT_EXTENSION_DAYS)


def facts_of(case: Case, penalties: Iterable[Any] | None = None) -> Facts:
    """What the rules read of ``case``: its parties' kinds, the penalties (the given ones, else the latest
    notified set, else the proposed one) and the flags of 行政处罚法第五十八条."""
    if penalties is None:
        penalties = workflow.latest_set(case, "notified") or workflow.latest_set(case, "proposed")
    pairs = []
    for p in penalties:
        kind = p.get("kind") if isinstance(p, dict) else p.kind
        amount = p.get("amount_fen", 0) if isinstance(p, dict) else p.amount_fen
        pairs.append((str(kind), int(amount or 0)))
    kinds = frozenset(case.case_parties.values_list("party__kind", flat=True))
    return Facts(
        subject_kinds=kinds,
        penalties=tuple(pairs),
        hearing_held=case.hearing_held_on is not None,
        is_major=case.is_major,
        is_complex=case.is_complex,
    )


def triggers_now(
    case: Case, version: CatalogVersion | None, penalties: Iterable[Any] | None = None
) -> list[Trigger]:
    """The rules of ``version`` (and the statute) that require the review of ``case`` as it stands."""
    rules = list(version.rules.all()) if version is not None else []
    return catalog.evaluate(rules, facts_of(case, penalties))


# ----------------------------------------------------------------------------------------------------
# The submission package


@dataclass(frozen=True)
class Material:
    """One item of the package the handler submits (the handling unit answers for it)."""

    key: str
    label: str
    met: bool
    document: Document | None = None
    note: str = ""


def _documents(case: Case) -> list[Document]:
    return list(Document.objects.filter(case=case, void__isnull=True).select_related("type").order_by("-pk"))


def package_of(case: Case) -> list[Material]:
    """The materials a submission needs: 调查终结报告, 陈述申辩笔录 or 听证笔录 (unless the party waived or
    let the period lapse), 行政处罚决定书（代拟稿）, and the list of evidence (domain.md §4: the list of
    长寿区)."""
    docs = _documents(case)

    def issued(*keys: str) -> Document | None:
        return next((d for d in docs if d.type.key in keys and d.status == DocumentStatus.ISSUED), None)

    report = issued("investigation_report")
    statement = issued("statement_record", "hearing_record")
    draft = next((d for d in docs if d.type.key == "penalty_decision"), None)
    out = [
        Material("investigation_report", gettext("调查终结报告"), report is not None, report),
    ]
    if statement is not None:
        out.append(Material("statement", gettext("陈述申辩笔录或听证笔录"), True, statement))
    elif case.rights_waived_on is not None:
        note = gettext("当事人于%(day)s书面放弃陈述申辩和听证") % {"day": case.rights_waived_on.isoformat()}
        out.append(Material("statement", gettext("陈述申辩笔录或听证笔录"), True, note=note))
    elif CaseTransition.objects.filter(case=case, action=Action.LAPSE_DEFENCE_PERIOD).exists():
        out.append(
            Material(
                "statement",
                gettext("陈述申辩笔录或听证笔录"),
                True,
                note=gettext("陈述申辩期届满，当事人未陈述申辩"),
            )
        )
    else:
        out.append(Material("statement", gettext("陈述申辩笔录或听证笔录"), False))
    out.append(Material("draft_decision", gettext("行政处罚决定书（代拟稿）"), draft is not None, draft))
    evidence_from = next((d for d in (report, draft) if d is not None and d.fields.get("evidence")), None)
    out.append(
        Material(
            "evidence",
            gettext("证据清单"),
            evidence_from is not None,
            evidence_from,
            "；".join(str(e) for e in evidence_from.fields.get("evidence", [])) if evidence_from else "",
        )
    )
    return out


# ----------------------------------------------------------------------------------------------------
# The state of a case's review: the gate reads it


@dataclass(frozen=True)
class ReviewState:
    """Whether review is required, by what, and whether the latest round has a 同意 (or the leaders' meeting
    decided for the handling unit)."""

    required: bool
    triggers: list[dict[str, Any]]
    approved: bool
    latest: ReviewRound | None
    explanation: str


def _legacy_passed(case: Case) -> bool:
    """Cases reviewed before the review app kept rounds: their last review step in the transitions."""
    last = (
        CaseTransition.objects.filter(
            case=case, action__in=[Action.PASS_LEGAL_REVIEW, Action.RETURN_LEGAL_REVIEW]
        )
        .order_by("-at", "-pk")
        .values_list("action", flat=True)
        .first()
    )
    return last == Action.PASS_LEGAL_REVIEW


def latest_round(case: Case) -> ReviewRound | None:
    return (
        ReviewRound.objects.filter(review__case=case)
        .select_related("review", "opinion", "opinion__objection", "opinion__objection__meeting")
        .order_by("-number")
        .first()
    )


def _outcome(round_: ReviewRound) -> tuple[bool, str]:
    opinion = getattr(round_, "opinion", None)
    if opinion is None:
        return False, gettext("第%(n)d轮审核尚未出具审核意见") % {"n": round_.number}
    if opinion.kind == OpinionKind.APPROVE:
        return True, ""
    objection = getattr(opinion, "objection", None)
    meeting = getattr(objection, "meeting", None) if objection is not None else None
    if meeting is not None and meeting.outcome == MeetingOutcome.UPHOLD_HANDLER:
        return True, ""
    text = gettext("第%(n)d轮审核意见为“%(kind)s”") % {"n": round_.number, "kind": opinion.get_kind_display()}
    if objection is not None and meeting is None:
        text += gettext("，异议待局长办公会决定")
    elif meeting is not None:
        text += gettext("，局长办公会决定维持审核意见")
    return False, text


def review_state(case: Case, penalties: Iterable[Any] | None = None) -> ReviewState:
    """The review state of ``case``: judged by its rounds once submitted, else by the catalog in force."""
    latest = latest_round(case)
    if latest is not None:
        triggers = [*latest.triggers, *latest.added]
        approved, why = _outcome(latest)
        # Once submitted, the latest round's opinion binds the decision, whatever brought the case to review.
        return ReviewState(True, triggers, approved, latest, why)
    version = catalog_in_force(case.agency_id)
    triggers = [t.as_dict() for t in triggers_now(case, version, penalties)]
    if triggers and _legacy_passed(case):
        return ReviewState(True, triggers, True, None, "")
    return ReviewState(bool(triggers), triggers, False, None, gettext("尚未提交法制审核"))


# ----------------------------------------------------------------------------------------------------
# The queue and the clocks


def _open_rounds() -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(opinion__isnull=True, review__case__stage=workflow.Stage.LEGAL_REVIEW)


def queue_for(user: Any, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Open rounds the user may see: a reviewer's agency (not the cases they handle), a supervisor's agencies.

    Overdue first, then by the last day of the period; each with its days left (negative: overdue).
    """
    ids = visible_agency_ids(user)
    if not ids:
        return []
    day = today or workflow.today()
    rows = (
        _open_rounds()
        .filter(review__case__agency_id__in=ids)
        # A reviewer does not review a case they handle (行政处罚法第五十八条: review by other staff).
        .exclude(review__case__case_officers__officer__user=user)
        .annotate(deadline_on=Coalesce(F("extended_until"), F("due_on")))
        .select_related("review__case", "review__case__agency", "submitted_by")
        .order_by("deadline_on", "pk")
    )
    out = []
    for r in rows:
        left = (r.deadline_on - day).days
        out.append(
            {
                "round": r,
                "case": r.review.case,
                "deadline": r.deadline_on,
                "days_left": left,
                "days_overdue": -left,
            }
        )
    out.sort(key=lambda row: (row["days_left"] >= 0, row["deadline"]))
    return out


def objections_awaiting_meeting(user: Any) -> QuerySet[Objection]:
    """Disagreements not yet decided by the leaders' meeting, of the agencies the user sees."""
    return (
        Objection.objects.filter(
            meeting__isnull=True, opinion__round__review__case__agency_id__in=visible_agency_ids(user)
        )
        .select_related("opinion__round__review__case", "raised_by")
        .order_by("raised_at", "pk")
    )


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """The review period of every open round (本机关法制审核期限, 5 working days unless set otherwise, one
    extension approved by a leader), for the agency's legal reviewers."""
    ids = due.matter_ids(matters, "case")
    rounds = _open_rounds()
    if ids is not None:
        if not ids:
            return []
        rounds = rounds.filter(review__case_id__in=ids)
    items = []
    for r in rounds.select_related("review__case"):
        case = r.review.case
        items.append(
            DueItem(
                key=f"case:{case.pk}:legal_review_due",
                title=gettext_noop("出具法制审核意见"),
                subject=f"{case.number} {case.title}".strip(),
                due=r.deadline,
                url=f"/review/rounds/{r.pk}/",
                basis=gettext_noop("行政处罚法第五十八条；本机关法制审核期限"),
                agency_id=case.agency_id,
                roles=("legal_reviewer",),
            )
        )
    return items


def review_of(case: Case) -> LegalReview | None:
    return LegalReview.objects.filter(case=case).select_related("catalog").first()


def case_review_context(user: Any, case: Case) -> dict[str, Any] | None:
    """The case page's review panel: whether review is required and why, and every round with its opinion,
    objection and meeting. None when the case has no review and needs none."""
    review = review_of(case)
    state = review_state(case)
    can_submit = permissions.can_submit(user, case) and case.stage == workflow.Stage.DEFENCE_CONCLUDED
    if review is None and not state.required and not can_submit:
        return None
    rounds = (
        list(
            review.rounds.select_related(
                "submitted_by",
                "opinion",
                "opinion__reviewer",
                "opinion__document",
                "opinion__objection",
                "opinion__objection__meeting",
            ).order_by("number")
        )
        if review is not None
        else []
    )
    return {
        "legal_review": review,
        "rounds": rounds,
        "state": state,
        "can_submit": can_submit,
    }
