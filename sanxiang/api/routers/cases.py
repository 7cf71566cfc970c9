"""Cases for terminals: list, read with the actions open to the user, perform an action.

Every action goes through ``case_transition``, the one door for a stage change; a failed guard answers 409
with the guard's Chinese message, a step the user may not perform 403, a case of another agency 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from sanxiang.api.schemas import ActionIn, ActionResultOut, CaseDetailOut, CaseOut, Error
from sanxiang.cases import selectors, services
from sanxiang.cases.models import Case, CaseOfficer, CaseParty
from sanxiang.cases.workflow import GuardFailed, Stage, Step

router = Router(tags=["案件"])

# Keyword arguments of case_transition itself; the step's data may not override them.
RESERVED = frozenset({"case", "action", "actor", "note"})


def case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "agency_id": case.agency_id,
        "number": case.number,
        "title": case.title,
        "source": case.source,
        "procedure": case.procedure,
        "stage": case.stage,
        "stage_label": str(Stage(case.stage).label),
        "category": {"id": case.category.pk, "code": case.category.code, "name": case.category.name},
        "filed_on": case.filed_on,
        "decision_due_on": case.decision_due_on,
        "decided_on": case.decided_on,
        "decision_number": case.decision_number,
        "delivered_on": case.delivered_on,
        "fine_fen": case.fine_fen,
        "created_at": case.created_at,
    }


def _action(step: Step) -> dict[str, Any]:
    return {
        "action": str(step.action),
        "label": str(step.action.label),
        "target": str(step.target),
        "target_label": str(step.target.label),
        "requires": list(step.requires),
    }


def case_detail(user: Any, case: Case) -> dict[str, Any]:
    parties = CaseParty.objects.filter(case=case).select_related("party").order_by("pk")
    officers = CaseOfficer.objects.filter(case=case).select_related("officer").order_by("pk")
    return {
        **case_row(case),
        "source_reference": case.source_reference,
        "facts": case.facts,
        "act_date": case.act_date,
        "discovered_on": case.discovered_on,
        "parties": [{"id": link.party.pk, "name": link.party.name} for link in parties],
        "officers": [{"id": link.officer.pk, "name": link.officer.name} for link in officers],
        "available_actions": [_action(step) for step in selectors.available_actions(user, case)],
    }


def _visible_case(user: Any, pk: int) -> Case:
    # Another agency's case is "not found", not "forbidden": its existence is itself information.
    try:
        return selectors.case_get_for(user, pk)
    except Case.DoesNotExist:
        raise Http404(gettext("未找到该案件。")) from None


@router.get("", response=list[CaseOut], summary="案件列表（可按阶段、执法类别筛选）")
@paginate(PageNumberPagination, page_size=50)
def case_list(request: HttpRequest, stage: str = "", category: int | None = None) -> Any:
    cases = selectors.case_list_for(request.auth, stage=stage or None)  # type: ignore[attr-defined]
    if category is not None:
        cases = cases.filter(category_id=category)
    return _Rows(cases.order_by("-created_at", "-pk"))


class _Rows:
    """A queryset the paginator slices and counts, turned into rows only for the page it shows."""

    def __init__(self, cases: Any) -> None:
        self.cases = cases

    def count(self) -> int:
        return int(self.cases.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [case_row(case) for case in self.cases[index]]


@router.get("/{case_id}", response={200: CaseDetailOut, 404: Error}, summary="案件详情及当前可办理的操作")
def case_get(request: HttpRequest, case_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return case_detail(user, _visible_case(user, case_id))


@router.post(
    "/{case_id}/actions/{action}",
    response={200: ActionResultOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="办理案件操作（经 case_transition，逐项检查法定条件）",
)
def case_action(request: HttpRequest, case_id: int, action: str, body: ActionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = _visible_case(user, case_id)
    reserved = sorted(RESERVED & set(body.data))
    if reserved:
        return Status(400, {"detail": gettext("数据中不能包含：%(keys)s") % {"keys": "、".join(reserved)}})
    try:
        transition = services.case_transition(
            case=case, action=action, actor=user, note=body.note, **body.data
        )
    except Case.DoesNotExist:
        raise Http404(gettext("未找到该案件。")) from None
    except GuardFailed as error:
        return Status(409, {"detail": "；".join(error.messages)})
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or gettext("您无权办理该操作。")})
    except ValidationError as error:
        return Status(400, {"detail": "；".join(error.messages)})
    case.refresh_from_db()
    return {
        "transition": {
            "id": transition.pk,
            "action": transition.action,
            "source": transition.source,
            "target": transition.target,
            "at": transition.at,
        },
        "case": case_detail(user, case),
    }
