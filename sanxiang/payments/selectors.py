"""Reads of payments: balances, statement matching, unmatched lines and the payment clocks."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases.workflow import Stage
from sanxiang.core.due import DueItem
from sanxiang.deadlines import clocks
from sanxiang.payments.balance import Balance, Pause, compute_balance
from sanxiang.payments.models import (
    AppealPeriod,
    DeferralDecision,
    Instalment,
    MatchOutcome,
    Payment,
    PaymentMethod,
    StatementLine,
)
from sanxiang.payments.statements import StatementRow, find_numbers, normalise_number, number_key


def payable_cases_for(user: Any) -> QuerySet[Any]:
    """Cases with a fine, of the agencies the user may see."""
    from sanxiang.cases.models import Case

    return Case.objects.filter(agency_id__in=visible_agency_ids(user), fine_fen__gt=0)


def case_get_for(user: Any, pk: int) -> Any:
    """A case of an agency the user may see, or ``Case.DoesNotExist``."""
    from sanxiang.cases.models import Case

    return Case.objects.select_related("agency").get(pk=pk, agency_id__in=visible_agency_ids(user))


def approved_deferral(case: Any) -> DeferralDecision | None:
    """The latest approved deferral or instalment plan of the case (行政处罚法 Art.66).

    Reads ``case.deferral_applications`` so that a caller going through many cases can prefetch
    ``deferral_applications__decision__instalments`` once instead of one query per case.
    """
    approved: list[DeferralDecision] = []
    for application in case.deferral_applications.all():
        try:
            decision = application.decision
        except DeferralDecision.DoesNotExist:
            continue
        if decision.approved:
            approved.append(decision)
    return max(approved, key=lambda d: (d.decided_on, d.pk), default=None)


def balance_for(
    case: Any,
    *,
    today: datetime.date,
    extra_payments: Iterable[tuple[datetime.date, int]] = (),
) -> Balance:
    """What the party owes on ``today``: fine + late fee − paid (行政处罚法 Art.67, 72, 73)."""
    payments = [(p.paid_on, p.amount_fen) for p in case.payments.all()]
    payments.extend(extra_payments)
    deferral = approved_deferral(case)
    pauses = [Pause(p.started_on, p.ended_on) for p in case.appeal_periods.all()]
    return compute_balance(
        fine_fen=case.fine_fen,
        delivered_on=case.delivered_on,
        payments=payments,
        as_of=today,
        deferred_until=deferral.new_due_on if deferral else None,
        pauses=pauses,
    )


def expected_amounts(case: Any, balance: Balance) -> set[int]:
    """Amounts a transfer may carry to match the case: all that is due, or the next instalment of a plan."""
    amounts = {balance.due_fen} if balance.due_fen > 0 else set()
    deferral = approved_deferral(case)
    if deferral is not None:
        scheduled = 0
        for instalment in Instalment.objects.filter(decision=deferral).order_by("sequence"):
            scheduled += instalment.amount_fen
            if scheduled > balance.paid_fen:
                amounts.add(min(scheduled - balance.paid_fen, balance.due_fen))
                break
    amounts.discard(0)
    return amounts


def payments_of(case: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(case_id=case.pk).select_related("recorded_by", "handover", "statement_line")


# ---------------------------------------------------------------------------------------------------------
# Matching a statement


@dataclass
class LineMatch:
    row: StatementRow
    outcome: MatchOutcome
    case: Any = None
    expected_fen: int | None = None

    @property
    def matched(self) -> bool:
        return self.outcome == MatchOutcome.MATCHED


_YEAR = re.compile(r"\[(\d{4})\]")


def match_statement(*, agency: Any, rows: list[StatementRow]) -> list[LineMatch]:
    """Match each incoming transfer to a case of ``agency`` by the decision number in its memo and amount.

    A transfer matches when its memo names exactly one decision of the agency and its amount is what is due on
    the day it was booked (or the next instalment of an approved plan). Rows of one file are taken in order,
    so two transfers for one case each see what the earlier left due. A transaction already entered is
    reported as 已入账 and never applied again.
    """
    from sanxiang.cases.models import Case

    numbers = [row.transaction_number for row in rows]
    applied = set(
        Payment.objects.filter(bank_transaction_number__in=numbers).values_list(
            "bank_transaction_number", flat=True
        )
    )
    years = {year for row in rows for year in _YEAR.findall(normalise_number(row.memo))}
    keys: dict[str, Any] = {}
    if years:
        year_filter = Q()
        for year in years:
            year_filter |= Q(decision_number__contains=year)
        cases = Case.objects.filter(year_filter, agency=agency, fine_fen__gt=0).exclude(decision_number="")
        keys = {number_key(case.decision_number): case for case in cases}
    pending: dict[int, list[tuple[datetime.date, int]]] = {}
    matches: list[LineMatch] = []
    for row in rows:
        if row.transaction_number in applied:
            matches.append(LineMatch(row, MatchOutcome.ALREADY_APPLIED))
            continue
        found = {case.pk: case for case in find_numbers(row.memo, keys)}
        if not found:
            matches.append(LineMatch(row, MatchOutcome.NO_CASE))
            continue
        if len(found) > 1:
            matches.append(LineMatch(row, MatchOutcome.SEVERAL_CASES))
            continue
        case = next(iter(found.values()))
        earlier = pending.setdefault(case.pk, [])
        as_of_row = balance_for(case, today=row.booked_on, extra_payments=earlier)
        if as_of_row.due_fen == 0:
            matches.append(LineMatch(row, MatchOutcome.NOTHING_DUE, case, 0))
            continue
        allowed = expected_amounts(case, as_of_row)
        if row.amount_fen not in allowed:
            matches.append(LineMatch(row, MatchOutcome.AMOUNT_DIFFERS, case, as_of_row.due_fen))
            continue
        earlier.append((row.booked_on, row.amount_fen))
        matches.append(LineMatch(row, MatchOutcome.MATCHED, case, row.amount_fen))
    return matches


def unmatched_lines_for(user: Any) -> QuerySet[StatementLine]:
    """Imported transfers that were not applied and whose transaction has not been entered since."""
    entered = Payment.objects.exclude(bank_transaction_number="").values("bank_transaction_number")
    return (
        StatementLine.objects.filter(statement__agency_id__in=visible_agency_ids(user))
        .exclude(outcome__in=[MatchOutcome.MATCHED, MatchOutcome.ALREADY_APPLIED])
        .exclude(transaction_number__in=entered)
        .select_related("statement", "case")
        .order_by("-booked_on", "statement_id", "row")
    )


# ---------------------------------------------------------------------------------------------------------
# Clocks


OWING_STAGES = (Stage.ON_SPOT_DECIDED, Stage.DELIVERED, Stage.COURT_ENFORCEMENT)


def _worked_cases(user: Any) -> QuerySet[Any]:
    """The cases whose fine ``user`` must see collected: those they handle (承办人员).

    Chasing a fine is the handling officers' work, so it is on their list, not on every leader's: a leader's
    "my work" holds what awaits the leader (approvals), and the case list shows the agency's overdue matters.
    """
    cases = payable_cases_for(user).filter(agency_id=user.agency_id)
    from sanxiang.cases.models import CaseOfficer

    return cases.filter(pk__in=CaseOfficer.objects.filter(officer__user_id=user.pk).values("case_id"))


def due_items_for(user: Any, *, today: datetime.date) -> list[DueItem]:
    """Fines not yet paid (行政处罚法 Art.66, 67) and cash collected on the spot not handed over (Art.71)."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return []
    items: list[DueItem] = []
    # Only cases whose money can still be owed; executed, closed and archived ones are settled.
    owing = _worked_cases(user).exclude(delivered_on=None).filter(stage__in=OWING_STAGES)
    cases = list(
        owing.only("pk", "agency_id", "decision_number", "title", "stage", "fine_fen", "delivered_on")
    )
    # A leader's list spans the agency: read what the balances need in three flat queries, not per case,
    # each selecting its cases by subquery rather than by a list of thousands of ids.
    ids = owing.values("pk")
    paid: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for case_id, paid_on, amount in Payment.objects.filter(case_id__in=ids).values_list(
        "case_id", "paid_on", "amount_fen"
    ):
        paid[case_id].append((paid_on, amount))
    pauses: dict[int, list[Pause]] = defaultdict(list)
    for case_id, started, ended in AppealPeriod.objects.filter(case_id__in=ids).values_list(
        "case_id", "started_on", "ended_on"
    ):
        pauses[case_id].append(Pause(started, ended))
    deferrals: dict[int, DeferralDecision] = {}
    for decision in (
        DeferralDecision.objects.filter(application__case_id__in=ids, approved=True)
        .select_related("application")
        .prefetch_related("instalments")
        .order_by("decided_on", "pk")
    ):
        deferrals[decision.application.case_id] = decision  # the latest approved one wins
    for case in cases:
        deferral = deferrals.get(case.pk)
        balance = compute_balance(
            fine_fen=case.fine_fen,
            delivered_on=case.delivered_on,
            payments=paid[case.pk],
            as_of=today,
            deferred_until=deferral.new_due_on if deferral else None,
            pauses=pauses[case.pk],
        )
        if balance.due_fen == 0 or balance.due_on is None:
            continue
        subject = case.decision_number or case.title
        url = reverse("payments:case", args=[case.pk])
        if deferral is not None and deferral.application.kind == "instalment":
            scheduled = 0
            for instalment in deferral.instalments.all():
                scheduled += instalment.amount_fen
                if scheduled > balance.paid_fen:
                    items.append(
                        DueItem(
                            key=f"case:{case.pk}:instalment:{instalment.sequence}",
                            title=_("督促缴纳第 %(n)s 期罚款") % {"n": instalment.sequence},
                            subject=subject,
                            due=instalment.due_on,
                            url=url,
                            basis=_("行政处罚法第六十六条"),
                            agency_id=case.agency_id,
                            user_ids=(user.pk,),
                        )
                    )
                    break
            continue
        items.append(
            DueItem(
                key=f"case:{case.pk}:payment_due",
                title=_("督促缴纳罚款"),
                subject=subject,
                due=balance.due_on,
                url=url,
                basis=_("行政处罚法第六十七条") if deferral is None else _("行政处罚法第六十六条"),
                agency_id=case.agency_id,
                user_ids=(user.pk,),
            )
        )
    cash = Payment.objects.filter(
        method=PaymentMethod.ON_THE_SPOT, handover__isnull=True, agency_id=user.agency_id
    ).select_related("case")
    if not (user.has_role("leader") or user.has_role("section_head")):
        cash = cash.filter(recorded_by=user)
    for payment in cash:
        items.append(
            DueItem(
                key=f"payment:{payment.pk}:cash_handover_due",
                title=_("将当场收缴的罚款交至本机关"),
                subject=payment.case.decision_number or payment.case.title,
                due=clocks.cash_handover_due(payment.paid_on),
                url=reverse("payments:case", args=[payment.case_id]),
                basis=_("行政处罚法第七十一条"),
                agency_id=payment.agency_id,
                user_ids=(user.pk,),
            )
        )
    return items
