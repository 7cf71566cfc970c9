"""Writes of payments. One transaction each, with its audit event; bad input changes nothing.

When the payments cover the fine and the late fee, the service that recorded the last of them performs
``Action.COMPLETE_EXECUTION`` on the case in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.core.due import clocks_changed
from sanxiang.deadlines import clocks
from sanxiang.payments import permissions, selectors
from sanxiang.payments.balance import yuan
from sanxiang.payments.models import (
    AppealKind,
    AppealPeriod,
    CashHandover,
    DeferralApplication,
    DeferralDecision,
    DeferralKind,
    Instalment,
    OnTheSpotReason,
    Payment,
    PaymentMethod,
    StatementImport,
    StatementLine,
)
from sanxiang.payments.statements import StatementError, parse_statement

# 行政处罚法 Art.68(一): on-the-spot collection of a fine of 一百元以下 (inclusive, 10,000 fen).
ON_THE_SPOT_SMALL_FINE_FEN = 10000


def _lock_case(case: Any) -> Any:
    from sanxiang.cases.models import Case

    # Payments of one case are applied one at a time, so two clerks cannot both complete the fine.
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_recorder(actor: Any, case: Any) -> None:
    if not permissions.can_record_payment(actor, case):
        raise PermissionDenied(_("您无权登记该案件的罚款缴纳。"))


def _check_payable(case: Any, paid_on: datetime.date, amount_fen: int) -> None:
    if case.fine_fen <= 0:
        raise ValidationError(_("该案件没有罚款，无需登记缴款。"))
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError({"amount_fen": _("缴款金额必须大于零。")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("缴款日期不能晚于今天。")})
    if case.decided_on and paid_on < case.decided_on:
        raise ValidationError({"paid_on": _("缴款日期不能早于处罚决定日期。")})


def _complete_execution_if_settled(*, case: Any, actor: Any) -> bool:
    """Perform 执行完毕 when fine and late fee are paid in full; True if the case moved.

    The system records it (``automatic``: the bank's record is the fact, 行政处罚法 Art.67) under the user who
    entered or imported the last payment, whoever that is among the staff allowed to record payments. If a
    rule still refuses it (an open seizure, a case not yet at execution), the payment stands and the case
    waits: :func:`selectors.execution_waiting` says why, on the import result and the case's panel.
    """
    from sanxiang.cases.services import case_transition
    from sanxiang.cases.workflow import Action

    balance = selectors.balance_for(case, today=timezone.localdate())
    if not balance.is_settled:
        return False
    try:
        # A savepoint: a case not (or no longer) in the execution stage keeps its stage, the payment stands.
        with transaction.atomic():
            case_transition(
                case=case,
                action=Action.COMPLETE_EXECUTION,
                actor=actor,
                automatic=True,
                note=_("罚款及加处罚款已缴清，共 %(total)s 元。") % {"total": yuan(balance.paid_fen)},
            )
    except (ValidationError, PermissionDenied):
        return False
    return True


def _create_payment(*, actor: Any, case: Any, **fields: Any) -> Payment:
    number = fields.get("bank_transaction_number", "")
    if number and Payment.objects.filter(bank_transaction_number=number).exists():
        raise ValidationError(
            {
                "bank_transaction_number": _("银行交易流水号 %(number)s 已入账，同一笔交易不能重复入账。")
                % {"number": number}
            }
        )
    receipt = fields.get("receipt_number", "")
    if receipt and Payment.objects.filter(receipt_number=receipt).exists():
        raise ValidationError({"receipt_number": _("罚没款收据 %(number)s 已登记。") % {"number": receipt}})
    payment = Payment(case=case, agency_id=case.agency_id, recorded_by=actor, **fields)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:  # a concurrent entry of the same transaction won the race
        raise ValidationError(_("该笔缴款已入账，不能重复入账。")) from exc
    return payment


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    case: Any,
    amount_fen: int,
    paid_on: datetime.date,
    bank_transaction_number: str,
    payer_name: str = "",
    note: str = "",
) -> Payment:
    """Enter a payment from the bank receipt (行政处罚法 Art.67); its transaction number is unique."""
    case = _lock_case(case)
    _require_recorder(actor, case)
    _check_payable(case, paid_on, amount_fen)
    number = bank_transaction_number.strip()
    if not number:
        raise ValidationError({"bank_transaction_number": _("请填写银行交易流水号（回单号）。")})
    payment = _create_payment(
        actor=actor,
        case=case,
        method=PaymentMethod.BANK,
        amount_fen=amount_fen,
        paid_on=paid_on,
        bank_transaction_number=number,
        payer_name=payer_name.strip(),
        note=note.strip(),
    )
    audit.record(
        audit.EventType.PAYMENT_RECORDED,
        actor=actor,
        subject=payment,
        agency=case.agency_id,
        data={"case": case.pk, "amount_fen": amount_fen, "paid_on": paid_on.isoformat(), "source": "manual"},
    )
    _complete_execution_if_settled(case=case, actor=actor)
    clocks_changed(f"case:{case.pk}")
    return payment


@transaction.atomic
def payment_collect_on_the_spot(
    *,
    actor: Any,
    case: Any,
    amount_fen: int,
    collected_on: datetime.date,
    receipt_number: str,
    reason: str,
    payer_name: str = "",
) -> Payment:
    """Record a fine collected on the spot (行政处罚法 Art.68–69) against the 财政部门 receipt (Art.70).

    The cash must reach the agency within 2 working days (Art.71): a clock until ``cash_handover_record``.
    """
    case = _lock_case(case)
    _require_recorder(actor, case)
    _check_payable(case, collected_on, amount_fen)
    if reason not in OnTheSpotReason.values:
        raise ValidationError({"reason": _("请选择当场收缴的法定理由。")})
    if reason == OnTheSpotReason.SMALL_FINE and case.fine_fen > ON_THE_SPOT_SMALL_FINE_FEN:
        raise ValidationError(
            {"reason": _("罚款超过一百元，不能以“一百元以下的罚款”为由当场收缴（行政处罚法第六十八条）。")}
        )
    receipt = receipt_number.strip()
    if not receipt:
        raise ValidationError(
            {"receipt_number": _("当场收缴罚款必须出具财政部门统一制发的专用票据，请填写票据编号。")}
        )
    payment = _create_payment(
        actor=actor,
        case=case,
        method=PaymentMethod.ON_THE_SPOT,
        amount_fen=amount_fen,
        paid_on=collected_on,
        receipt_number=receipt,
        on_the_spot_reason=reason,
        payer_name=payer_name.strip(),
    )
    audit.record(
        audit.EventType.PAYMENT_COLLECTED_ON_THE_SPOT,
        actor=actor,
        subject=payment,
        agency=case.agency_id,
        data={
            "case": case.pk,
            "amount_fen": amount_fen,
            "paid_on": collected_on.isoformat(),
            "reason": reason,
            "handover_due": clocks.cash_handover_due(collected_on).isoformat(),
        },
    )
    _complete_execution_if_settled(case=case, actor=actor)
    clocks_changed(f"case:{case.pk}")
    return payment


@transaction.atomic
def cash_handover_record(*, actor: Any, payment: Payment, handed_over_on: datetime.date) -> CashHandover:
    """Record that cash collected on the spot reached the agency (行政处罚法 Art.71)."""
    payment = Payment.objects.select_for_update().select_related("case").get(pk=payment.pk)
    _require_recorder(actor, payment.case)
    if payment.method != PaymentMethod.ON_THE_SPOT:
        raise ValidationError(_("只有当场收缴的罚款需要登记交纳。"))
    if CashHandover.objects.filter(payment=payment).exists():
        raise ValidationError(_("该笔当场收缴的罚款已登记交纳。"))
    if handed_over_on < payment.paid_on or handed_over_on > timezone.localdate():
        raise ValidationError({"handed_over_on": _("交纳日期须在收缴日期与今天之间。")})
    handover = CashHandover.objects.create(payment=payment, handed_over_on=handed_over_on, recorded_by=actor)
    due = clocks.cash_handover_due(payment.paid_on)
    audit.record(
        audit.EventType.CASH_HANDED_OVER,
        actor=actor,
        subject=payment,
        agency=payment.agency_id,
        data={
            "handed_over_on": handed_over_on.isoformat(),
            "due": due.isoformat(),
            "late": handed_over_on > due,
        },
    )
    clocks_changed(f"case:{payment.case_id}")
    return handover


def statement_preview(*, agency: Any, file_name: str, content: bytes) -> list[selectors.LineMatch]:
    """Parse and match a statement without writing anything; raises StatementError on an unreadable file."""
    parsed = parse_statement(file_name, content)
    if parsed.errors:
        raise StatementError(parsed.errors)
    return selectors.match_statement(agency=agency, rows=parsed.rows)


@transaction.atomic
def statement_import(*, actor: Any, agency: Any, file_name: str, content: bytes) -> StatementImport:
    """Import a bank statement: keep every incoming line, apply the matched ones as payments.

    Matching is done again inside the transaction, with the matched cases locked, so what is applied is what
    the database holds now, not what the preview saw. A line whose transaction was entered before is 已入账.
    """
    if not permissions.can_import_statement(actor) or actor.agency_id != agency.pk:
        raise PermissionDenied(_("只有本机关的股室负责人、机关负责人或系统管理员可以导入银行对账单。"))
    parsed = parse_statement(file_name, content)
    if parsed.errors:
        raise StatementError(parsed.errors)
    first = selectors.match_statement(agency=agency, rows=parsed.rows)
    for case in sorted({m.case.pk: m.case for m in first if m.case is not None}.values(), key=lambda c: c.pk):
        _lock_case(case)
    matches = selectors.match_statement(agency=agency, rows=parsed.rows)
    statement = StatementImport.objects.create(
        agency=agency,
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        imported_by=actor,
    )
    applied = 0
    settled_cases: dict[int, Any] = {}
    for match in matches:
        row = match.row
        line = StatementLine.objects.create(
            statement=statement,
            row=row.row,
            booked_on=row.booked_on,
            amount_fen=row.amount_fen,
            transaction_number=row.transaction_number[:64],
            memo=row.memo[:500],
            payer_name=row.payer_name[:200],
            outcome=match.outcome,
            case=match.case,
            expected_fen=match.expected_fen,
        )
        if not match.matched:
            continue
        payment = _create_payment(
            actor=actor,
            case=match.case,
            method=PaymentMethod.BANK,
            amount_fen=row.amount_fen,
            paid_on=row.booked_on,
            bank_transaction_number=row.transaction_number[:64],
            payer_name=row.payer_name[:200],
            statement_line=line,
        )
        audit.record(
            audit.EventType.PAYMENT_RECORDED,
            actor=actor,
            subject=payment,
            agency=agency,
            data={
                "case": match.case.pk,
                "amount_fen": row.amount_fen,
                "paid_on": row.booked_on.isoformat(),
                "source": "statement",
                "statement": statement.pk,
            },
        )
        applied += 1
        settled_cases[match.case.pk] = match.case
    audit.record(
        audit.EventType.STATEMENT_IMPORTED,
        actor=actor,
        subject=statement,
        agency=agency,
        data={"sha256": statement.sha256, "lines": len(matches), "applied": applied},
    )
    for case in settled_cases.values():
        _complete_execution_if_settled(case=case, actor=actor)
    clocks_changed(*(f"case:{pk}" for pk in settled_cases))
    return statement


@transaction.atomic
def appeal_period_record(
    *,
    actor: Any,
    case: Any,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    note: str = "",
) -> AppealPeriod:
    """Record a 复议 or 诉讼 against the decision; no late fee accrues within it (行政处罚法 Art.73)."""
    case = _lock_case(case)
    _require_recorder(actor, case)
    if kind not in AppealKind.values:
        raise ValidationError({"kind": _("请选择行政复议或行政诉讼。")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于起始日期。")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("起始日期不能晚于今天。")})
    period = AppealPeriod.objects.create(
        case=case, kind=kind, started_on=started_on, ended_on=ended_on, note=note.strip(), recorded_by=actor
    )
    audit.record(
        audit.EventType.APPEAL_PERIOD_RECORDED,
        actor=actor,
        subject=period,
        agency=case.agency_id,
        data={
            "case": case.pk,
            "kind": kind,
            "started_on": started_on.isoformat(),
            "ended_on": ended_on.isoformat() if ended_on else None,
        },
    )
    clocks_changed(f"case:{case.pk}")
    return period


@transaction.atomic
def appeal_period_end(*, actor: Any, period: AppealPeriod, ended_on: datetime.date) -> AppealPeriod:
    """Record the end of a 复议 or 诉讼 still open; an ended period is not changed."""
    period = AppealPeriod.objects.select_for_update().select_related("case").get(pk=period.pk)
    _require_recorder(actor, period.case)
    if period.ended_on is not None:
        raise ValidationError(_("该期间已登记结束日期，不能修改。"))
    if ended_on < period.started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于起始日期。")})
    period.ended_on = ended_on
    period.save(update_fields=["ended_on"])
    audit.record(
        audit.EventType.APPEAL_PERIOD_ENDED,
        actor=actor,
        subject=period,
        agency=period.case.agency_id,
        data={"case": period.case_id, "ended_on": ended_on.isoformat()},
    )
    _complete_execution_if_settled(case=period.case, actor=actor)
    clocks_changed(f"case:{period.case_id}")
    return period


@transaction.atomic
def deferral_apply(
    *,
    actor: Any,
    case: Any,
    kind: str,
    applied_on: datetime.date,
    reason: str,
    requested_until: datetime.date | None = None,
) -> DeferralApplication:
    """Record the party's application to pay later or in instalments (行政处罚法 Art.66)."""
    case = _lock_case(case)
    _require_recorder(actor, case)
    if case.fine_fen <= 0:
        raise ValidationError(_("该案件没有罚款，无需申请延期或分期缴纳。"))
    if kind not in DeferralKind.values:
        raise ValidationError({"kind": _("请选择延期缴纳或分期缴纳。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申请理由。")})
    if DeferralApplication.objects.filter(case=case, decision__isnull=True).exists():
        raise ValidationError(_("该案件已有尚未审批的延期（分期）缴纳申请。"))
    application = DeferralApplication.objects.create(
        case=case,
        kind=kind,
        applied_on=applied_on,
        reason=reason.strip(),
        requested_until=requested_until,
        recorded_by=actor,
    )
    audit.record(
        audit.EventType.DEFERRAL_APPLIED,
        actor=actor,
        subject=application,
        agency=case.agency_id,
        data={"case": case.pk, "kind": kind, "applied_on": applied_on.isoformat()},
    )
    return application


@transaction.atomic
def deferral_decide(
    *,
    actor: Any,
    application: DeferralApplication,
    approved: bool,
    decided_on: datetime.date,
    new_due_on: datetime.date | None = None,
    instalments: Sequence[tuple[datetime.date, int]] = (),
    note: str = "",
) -> DeferralDecision:
    """The leader approves or refuses an application (行政处罚法 Art.66).

    An approved deferral sets the new last day to pay; an approved instalment plan sets the schedule, which
    must add up to the fine, and its last day is the new last day. Within it no late fee accrues.
    """
    application = (
        DeferralApplication.objects.select_for_update().select_related("case").get(pk=application.pk)
    )
    case = _lock_case(application.case)
    if not permissions.can_decide_deferral(actor, case):
        raise PermissionDenied(_("延期（分期）缴纳罚款须经机关负责人批准。"))
    if DeferralDecision.objects.filter(application=application).exists():
        raise ValidationError(_("该申请已审批。"))
    schedule = sorted(instalments)
    if approved:
        if application.kind == DeferralKind.INSTALMENT:
            if len(schedule) < 2:
                raise ValidationError({"instalments": _("分期缴纳至少分两期。")})
            if any(amount <= 0 for _day, amount in schedule):
                raise ValidationError({"instalments": _("每期金额必须大于零。")})
            total = sum(amount for _day, amount in schedule)
            if total != case.fine_fen:
                raise ValidationError(
                    {
                        "instalments": _("各期金额合计 %(total)s 元，与罚款 %(fine)s 元不符。")
                        % {"total": yuan(total), "fine": yuan(case.fine_fen)}
                    }
                )
            if len({day for day, _amount in schedule}) != len(schedule):
                raise ValidationError({"instalments": _("各期缴纳期限不能相同。")})
            new_due_on = schedule[-1][0]
        if new_due_on is None:
            raise ValidationError({"new_due_on": _("请填写批准的缴清日期。")})
        if new_due_on <= decided_on:
            raise ValidationError({"new_due_on": _("批准的缴清日期须晚于审批日期。")})
    else:
        new_due_on = None
        schedule = []
    decision = DeferralDecision.objects.create(
        application=application,
        approved=approved,
        decided_on=decided_on,
        new_due_on=new_due_on,
        note=note.strip(),
        decided_by=actor,
    )
    Instalment.objects.bulk_create(
        Instalment(decision=decision, sequence=n, due_on=day, amount_fen=amount)
        for n, (day, amount) in enumerate(schedule, start=1)
    )
    audit.record(
        audit.EventType.DEFERRAL_DECIDED,
        actor=actor,
        subject=decision,
        agency=case.agency_id,
        data={
            "case": case.pk,
            "application": application.pk,
            "approved": approved,
            "new_due_on": new_due_on.isoformat() if new_due_on else None,
            "instalments": [[day.isoformat(), amount] for day, amount in schedule],
        },
    )
    clocks_changed(f"case:{case.pk}")
    return decision
