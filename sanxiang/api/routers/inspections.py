"""Inspections (行政检查) for terminals: list, read, and plan a new one through ``inspection_plan``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from sanxiang.agencies.models import EnforcementCategory, RandomCheckItem
from sanxiang.agencies.selectors import officer_list_for
from sanxiang.api.schemas import Error, ErrorWithFields, InspectionDetailOut, InspectionIn, InspectionOut
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Inspection, InspectionKind, Stage
from sanxiang.parties.models import Party
from sanxiang.parties.selectors import party_get_for

router = Router(tags=["行政检查"])


def inspection_row(inspection: Inspection) -> dict[str, Any]:
    category = inspection.category
    return {
        "id": inspection.pk,
        "agency_id": inspection.agency_id,
        "number": inspection.number,
        "party": {"id": inspection.party.pk, "name": inspection.party.name},
        "category": {"id": category.pk, "code": category.code, "name": category.name},
        "kind": inspection.kind,
        "kind_label": str(InspectionKind(inspection.kind).label),
        "planned_on": inspection.planned_on,
        "stage": inspection.stage,
        "stage_label": str(Stage(inspection.stage).label),
        "case_id": inspection.case_id,
        "created_at": inspection.created_at,
    }


def inspection_detail(inspection: Inspection) -> dict[str, Any]:
    assignments = inspection.assignments.select_related("officer").order_by("pk")
    return {
        **inspection_row(inspection),
        "scope": inspection.scope,
        "officers": [{"id": a.officer.pk, "name": a.officer.name} for a in assignments],
        "check_items": [{"id": i.pk, "name": i.item} for i in inspection.check_items.order_by("pk")],
    }


class _Rows:
    """A queryset the paginator slices and counts, turned into rows only for the page it shows."""

    def __init__(self, inspections: Any) -> None:
        self.inspections = inspections

    def __len__(self) -> int:
        return int(self.inspections.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [inspection_row(inspection) for inspection in self.inspections[index]]


@router.get("", response=list[InspectionOut], summary="行政检查列表（可按环节筛选）")
@paginate(PageNumberPagination, page_size=50)
def inspection_list(request: HttpRequest, stage: str = "") -> Any:
    inspections = selectors.inspection_search_for(request.auth, stage=stage)  # type: ignore[attr-defined]
    return _Rows(inspections.order_by("-planned_on", "-pk"))


@router.get("/{inspection_id}", response={200: InspectionDetailOut, 404: Error}, summary="行政检查详情")
def inspection_get(request: HttpRequest, inspection_id: int) -> Any:
    try:
        inspection = selectors.inspection_get_for(request.auth, inspection_id)  # type: ignore[attr-defined]
    except Inspection.DoesNotExist:
        raise Http404(gettext("未找到该行政检查。")) from None
    return inspection_detail(inspection)


def _refused(errors: dict[str, str]) -> Status[dict[str, Any]]:
    return Status(
        400,
        {"detail": "；".join(errors.values()), "errors": {k: [v] for k, v in errors.items()}},
    )


@router.post(
    "",
    response={201: InspectionDetailOut, 400: ErrorWithFields, 403: Error},
    summary="制定现场检查方案（本人所属机关）",
)
def inspection_create(request: HttpRequest, body: InspectionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    errors: dict[str, str] = {}
    try:
        party = party_get_for(user, body.party_id)
    except Party.DoesNotExist:
        errors["party_id"] = gettext("未找到该当事人。")
    category = EnforcementCategory.objects.filter(pk=body.category_id).first()
    if category is None:
        errors["category_id"] = gettext("未找到该执法类别。")
    wanted = list(dict.fromkeys(body.officer_ids))
    officers = list(officer_list_for(user, agency=user.agency).filter(pk__in=wanted))
    if len(officers) != len(wanted):
        errors["officer_ids"] = gettext("检查人员须为本机关执法人员。")
    officers.sort(key=lambda officer: wanted.index(officer.pk))
    items = list(RandomCheckItem.objects.filter(agency_id=user.agency_id, pk__in=body.check_item_ids))
    if len(items) != len(set(body.check_item_ids)):
        errors["check_item_ids"] = gettext("抽查事项须取自本机关现行有效的随机抽查事项清单。")
    if errors or category is None:
        return _refused(errors)
    try:
        inspection = services.inspection_plan(
            actor=user,
            agency=user.agency,
            party=party,
            category=category,
            kind=body.kind,
            planned_on=body.planned_on,
            officers=officers,
            check_items=items,
            scope=body.scope,
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return _refused({field: "；".join(messages) for field, messages in error.message_dict.items()})
        return Status(400, {"detail": "；".join(error.messages), "errors": {}})
    return Status(201, inspection_detail(inspection))
