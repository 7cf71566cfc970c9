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
from django.utils import timezone
from django.utils.translation import gettext_noop

from sanxiang.accounts.models import Role
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.cases.workflow import Stage
from sanxiang.core.due import DueItem
from sanxiang.core.due import matter_ids as due_matter_ids
from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing
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


def execution_waiting(case: Any, actor: Any, *, today: datetime.date) -> str | None:
    """Why a case whose fine is paid in full still waits for 执行完毕, or None (not paid, or executed).

    The system records 执行完毕 itself when the last payment comes in; when a rule refuses it (an open
    seizure, an on-the-spot decision not yet reported, …) this names the rule, so nobody is left to guess.
    """
    from sanxiang.cases import workflow
    from sanxiang.cases.workflow import Action, GuardFailed

    if case.fine_fen <= 0 or case.stage not in OWING_STAGES:
        return None
    if not balance_for(case, today=today).is_settled:
        return None
    try:
        step = workflow.step(case.stage, Action.COMPLETE_EXECUTION)
    except GuardFailed as refused:
        return " ".join(refused.messages)
    refusal = workflow.refusal(case, actor, step)
    return " ".join(refusal.messages) if refusal is not None else None


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


def _handlers(case_ids: Any) -> dict[int, tuple[int, ...]]:
    """The users handling each case (承办人员): chasing a fine is their work."""
    from sanxiang.cases.models import CaseOfficer

    found: dict[int, list[int]] = defaultdict(list)
    officers = CaseOfficer.objects.filter(case_id__in=case_ids, officer__user__isnull=False).order_by("pk")
    for case_id, user_id in officers.values_list("case_id", "officer__user_id"):
        found[case_id].append(user_id)
    return {case_id: tuple(users) for case_id, users in found.items()}


def _nominal_payment_due(
    case: Any, deferral: DeferralDecision | None, payments: list[tuple[datetime.date, int]]
) -> datetime.date | None:
    """The payment clock's day while its year has no holiday table (行政处罚法 Art.67), or None if settled.

    The nominal day — 15 days after delivery, or the end of an approved deferral (Art.66) — is the earliest
    the period can end: a fine paid in full by then owes no late fee whatever the table will say.
    """
    nominal: datetime.date = case.delivered_on + datetime.timedelta(days=15)
    deferred_until = deferral.new_due_on if deferral is not None else None
    if deferred_until is not None and deferred_until > nominal:
        nominal = deferred_until
    if sum(amount for day, amount in payments if day <= nominal) >= case.fine_fen:
        return None
    return nominal


def clocks_of(matters: Iterable[str] | None) -> list[DueItem]:
    """Fines not yet paid (行政处罚法 Art.66, 67) and cash collected on the spot not handed over (Art.71).

    Of the cases among ``matters`` ("case:12"; None: of every case). A fine is chased by the officers handling
    its case, not by every leader: a leader's "my work" holds what awaits the leader (approvals), and the case
    list shows the agency's overdue matters. Cash not handed over goes to the officer who collected it and to
    the section heads and leaders of the agency.
    """
    from sanxiang.cases.models import Case

    ids = due_matter_ids(matters, "case")
    if ids is not None and not ids:
        return []
    # Only cases whose money can still be owed; executed, closed and archived ones are settled.
    owing = Case.objects.filter(fine_fen__gt=0, stage__in=OWING_STAGES).exclude(delivered_on=None)
    cash = Payment.objects.filter(method=PaymentMethod.ON_THE_SPOT, handover__isnull=True)
    if ids is not None:
        owing = owing.filter(pk__in=ids)
        cash = cash.filter(case_id__in=ids)
    cases = list(
        owing.only("pk", "agency_id", "decision_number", "title", "stage", "fine_fen", "delivered_on")
    )
    # Many cases at once in a rebuild: read what the balances need in flat queries, not per case, each
    # selecting its cases by subquery rather than by a list of thousands of ids (and none when none owes).
    case_ids = (owing if cases else Case.objects.none()).values("pk")
    paid: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for case_id, paid_on, amount in Payment.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "paid_on", "amount_fen"
    ):
        paid[case_id].append((paid_on, amount))
    pauses: dict[int, list[Pause]] = defaultdict(list)
    for case_id, started, ended in AppealPeriod.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "started_on", "ended_on"
    ):
        pauses[case_id].append(Pause(started, ended))
    deferrals: dict[int, DeferralDecision] = {}
    for decision in (
        DeferralDecision.objects.filter(application__case_id__in=case_ids, approved=True)
        .select_related("application")
        .prefetch_related("instalments")
        .order_by("decided_on", "pk")
    ):
        deferrals[decision.application.case_id] = decision  # the latest approved one wins
    handlers = _handlers(case_ids)
    today = timezone.localdate()
    items: list[DueItem] = []
    for case in cases:
        deferral = deferrals.get(case.pk)
        payments = paid[case.pk]
        common: dict[str, Any] = {
            "subject": f"{case.decision_number} {case.title}".strip(),
            "url": reverse("payments:case", args=[case.pk]),
            "agency_id": case.agency_id,
            "user_ids": handlers.get(case.pk, ()),
        }
        basis = (
            gettext_noop("行政处罚法第六十七条") if deferral is None else gettext_noop("行政处罚法第六十六条")
        )
        try:
            balance = compute_balance(
                fine_fen=case.fine_fen,
                delivered_on=case.delivered_on,
                payments=payments,
                # Every recorded payment counts, whatever day the clock is computed on: whether a fine is
                # still owed does not depend on that day once the fine is paid, and while it is not, it is.
                as_of=max([today, *(day for day, _ in payments)]),
                deferred_until=deferral.new_due_on if deferral else None,
                pauses=pauses[case.pk],
            )
        except CalendarMissing as missing:
            # The 15 days of Art.67 end in a year without a holiday table: whether they roll over is not
            # known, so neither is the late fee. Until the table is loaded the clock shows the nominal day.
            nominal = _nominal_payment_due(case, deferral, payments)
            if nominal is not None:
                items.append(
                    DueItem(
                        key=f"case:{case.pk}:payment_due",
                        title=gettext_noop("督促缴纳罚款（节假日安排未导入，期限待定）"),
                        due=nominal,
                        basis=basis,
                        provisional=True,
                        missing_year=missing.year,
                        **common,
                    )
                )
            continue
        if balance.due_fen == 0 or balance.due_on is None:
            continue
        if deferral is not None and deferral.application.kind == "instalment":
            scheduled = 0
            for instalment in deferral.instalments.all():
                scheduled += instalment.amount_fen
                if scheduled > balance.paid_fen:
                    items.append(
                        DueItem(
                            key=f"case:{case.pk}:instalment:{instalment.sequence}",
                            title=gettext_noop("督促缴纳第 %(n)s 期罚款"),
                            title_args={"n": instalment.sequence},
                            due=instalment.due_on,
                            basis=gettext_noop("行政处罚法第六十六条"),
                            **common,
                        )
                    )
                    break
            continue
        items.append(
            DueItem(
                key=f"case:{case.pk}:payment_due",
                title=gettext_noop("督促缴纳罚款"),
                due=balance.due_on,
                basis=basis,
                **common,
            )
        )
    for payment in cash.select_related("case"):
        missing_year = None
        try:
            day = clocks.cash_handover_due(payment.paid_on)
            title = gettext_noop("将当场收缴的罚款交至本机关")
        except CalendarMissing as missing:
            # Two working days are never fewer than two calendar days: the earliest possible day.
            day = payment.paid_on + datetime.timedelta(days=2)
            title = gettext_noop("将当场收缴的罚款交至本机关（节假日安排未导入，期限待定）")
            missing_year = missing.year
        items.append(
            DueItem(
                key=f"payment:{payment.pk}:cash_handover_due",
                title=title,
                subject=payment.case.decision_number or payment.case.title,
                due=day,
                url=reverse("payments:case", args=[payment.case_id]),
                basis=gettext_noop("行政处罚法第七十一条"),
                agency_id=payment.agency_id,
                user_ids=(payment.recorded_by_id,),
                roles=(Role.LEADER, Role.SECTION_HEAD),
                provisional=missing_year is not None,
                missing_year=missing_year,
                matter=f"case:{payment.case_id}",
            )
        )
    return items
