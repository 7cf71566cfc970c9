"""Who am I, what is due, who are the officers: the endpoints every terminal starts with."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router

from sanxiang.accounts.models import User
from sanxiang.agencies import selectors as agency_selectors
from sanxiang.agencies.models import Agency, Officer
from sanxiang.api.schemas import Error, MeOut, OfficerOut, WorkOut
from sanxiang.worklist import selectors as worklist_selectors
from sanxiang.worklist.selectors import Show

router = Router(tags=["基本信息"])


def _certificate(officer: Officer) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "officer_id": officer.pk,
        "name": officer.name,
        "certificate_number": officer.certificate_number,
        "valid_from": officer.valid_from,
        "valid_to": officer.valid_to,
        "status": officer.status,
        "state": officer.certificate_state(today),
        "is_certified": officer.is_certified(today),
    }


@router.get("/me", response=MeOut, summary="当前用户：所属机关、角色、执法证状态")
def me(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    officer = Officer.objects.filter(user=user).first()
    agency = user.agency
    return {
        "username": user.username,
        "display_name": user.display_name,
        "agency": (
            {"id": agency.pk, "name": agency.name, "short_name": agency.short_name} if agency else None
        ),
        "roles": sorted(user.role_set),
        "officer": _certificate(officer) if officer else None,
    }


@router.get("/work", response=WorkOut, summary="我的待办期限：逾期在前，其次按届满日")
def work(request: HttpRequest, show: Show = Show.ALL) -> dict[str, Any]:
    today = timezone.localdate()
    found = worklist_selectors.due_items_for(request.auth, today=today, show=show)  # type: ignore[attr-defined]
    return {
        "today": today,
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "subject": item.subject,
                "due": item.due,
                "days_left": item.days_left(today),
                "overdue": item.is_overdue(today),
                "url": request.build_absolute_uri(item.url) if item.url else "",
                "basis": item.basis,
            }
            for item in found.items
        ],
        "missing_years": found.missing_years,
    }


@router.get(
    "/agencies/{agency_id}/officers",
    response={200: list[OfficerOut], 404: Error},
    summary="执法机关的执法人员及证件状态",
)
def agency_officers(request: HttpRequest, agency_id: int) -> list[dict[str, Any]]:
    try:
        agency = agency_selectors.agency_get_for(request.auth, agency_id)  # type: ignore[attr-defined]
    except Agency.DoesNotExist:
        raise Http404(gettext("未找到该执法机关。")) from None
    today = timezone.localdate()
    return [
        {
            "id": officer.pk,
            "name": officer.name,
            "certificate_number": officer.certificate_number,
            "section": officer.section.name if officer.section else "",
            "categories": [category.name for category in officer.categories.all()],
            "valid_from": officer.valid_from,
            "valid_to": officer.valid_to,
            "status": officer.status,
            "state": officer.certificate_state(today),
        }
        for officer in agency_selectors.officer_list_for(request.auth, agency=agency)  # type: ignore[attr-defined]
    ]
