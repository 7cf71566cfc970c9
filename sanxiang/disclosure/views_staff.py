"""The discloser's pages: parse → permission → service → render or redirect."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanxiang.disclosure import permissions, selectors, services
from sanxiang.disclosure.models import (
    Publication,
    PublicationKind,
    PublicationStatus,
    RedactionAction,
    RevocationGround,
)
from sanxiang.disclosure.redaction import KIND_LABELS, Kind
from sanxiang.documents import clock


def _get(request: HttpRequest, pk: int) -> Publication:
    try:
        return selectors.publication_get_for(request.user, pk)
    except Publication.DoesNotExist as exc:
        raise Http404(_("没有找到该公示信息。")) from exc


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Drafts to publish (overdue first) and published decisions to withdraw."""
    today = clock.today()
    items = list(selectors.publication_queue_for(request.user).select_related("source_document"))
    context = {
        "items": items,
        "today": today,
        "report_years": list(range(today.year - 1, today.year - 6, -1)),
        "can_report": permissions.can_disclose_for(request.user, getattr(request.user, "agency_id", 0) or 0),
    }
    return render(request, "disclosure/staff/queue.html", context)


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    publications = selectors.publication_list_for(request.user)
    if status in PublicationStatus.values:
        publications = publications.filter(status=status)
    page = Paginator(publications.order_by("-decided_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/staff/list.html",
        {"page": page, "status": status, "statuses": PublicationStatus.choices},
    )


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The redaction beside the source, every detected span highlighted; the discloser's actions."""
    publication = _get(request, pk)
    version = publication.latest_version()
    source_segments = selectors.segments(version.source_text, version.spans) if version else []
    redacted_segments = (
        selectors.redacted_segments(version.source_text, version.text, version.spans) if version else []
    )
    today = clock.today()
    context: dict[str, Any] = {
        "publication": publication,
        "version": version,
        "versions": publication.versions.order_by("-number"),
        "source_segments": source_segments,
        "redacted_segments": redacted_segments,
        "spans": version.spans if version else [],
        "kind_labels": {k.value: str(v) for k, v in KIND_LABELS.items()},
        "kinds": [(k.value, str(KIND_LABELS[k])) for k in Kind],
        "changes": publication.redaction_changes.select_related("actor"),
        "grounds": RevocationGround.choices,
        "can_disclose": permissions.can_disclose(request.user, publication),
        "is_draft": bool(version and version.published_at is None),
        "first": not publication.versions.exclude(published_at=None).exists(),
        "overdue": publication.status == PublicationStatus.DRAFT
        and publication.due_on is not None
        and today > publication.due_on,
        "today": today,
    }
    return render(request, "disclosure/staff/review.html", context)


def _act(request: HttpRequest, pk: int, action: Callable[[Publication], str]) -> HttpResponse:
    publication = _get(request, pk)
    try:
        done = action(publication)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您无权办理此项公示。"))
    else:
        messages.success(request, done)
    return redirect("publications:review", pk=pk)


@login_required
@require_POST
def redaction_change(request: HttpRequest, pk: int) -> HttpResponse:
    def act(publication: Publication) -> str:
        action = request.POST.get("action", "")
        services.publication_redaction_change(
            publication=publication,
            actor=request.user,
            action=action,
            phrase=request.POST.get("phrase", ""),
            kind=request.POST.get("kind", Kind.OTHER.value) or Kind.OTHER.value,
            reason=request.POST.get("reason", ""),
        )
        return _("已增加脱敏。") if action == RedactionAction.ADD else _("已取消脱敏。")

    return _act(request, pk, act)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    def act(publication: Publication) -> str:
        services.publication_publish(
            publication=publication,
            actor=request.user,
            correction_note=request.POST.get("correction_note", ""),
        )
        return _("已公示。")

    return _act(request, pk, act)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    def act(publication: Publication) -> str:
        services.publication_decline(
            publication=publication, actor=request.user, reason=request.POST.get("reason", "")
        )
        return _("已决定不予公示。")

    return _act(request, pk, act)


@login_required
@require_POST
def revocation(request: HttpRequest, pk: int) -> HttpResponse:
    def act(publication: Publication) -> str:
        try:
            revoked_on = datetime.date.fromisoformat(request.POST.get("revoked_on", ""))
        except ValueError as exc:
            raise ValidationError(_("请填写有效的变更、撤销日期。")) from exc
        updated = services.publication_record_revocation(
            publication=publication,
            actor=request.user,
            ground=request.POST.get("ground", ""),
            revoked_on=revoked_on,
        )
        return _("已登记，请在 %(date)s 前撤回公示（行政处罚法第四十八条）。") % {
            "date": updated.withdrawal_due_on.isoformat() if updated.withdrawal_due_on else ""
        }

    return _act(request, pk, act)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def act(publication: Publication) -> str:
        services.publication_withdraw(
            publication=publication,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            ground=request.POST.get("ground", ""),
        )
        return _("公示已撤回，公示平台保留撤回说明。")

    return _act(request, pk, act)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A changed source text (agency information): a new version, published later with its note."""

    def act(publication: Publication) -> str:
        services.publication_correct(
            publication=publication, actor=request.user, text=request.POST.get("text", "")
        )
        return _("已生成更正稿，请审核脱敏并填写更正说明后公示。")

    return _act(request, pk, act)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """The discloser writes a publication: agency information or an inspection result without a document."""
    user: Any = request.user
    if not permissions.can_disclose_for(user, user.agency_id or 0):
        raise PermissionDenied(_("只有本机关的公示审核员可以办理公示。"))
    kinds = [
        (PublicationKind.AGENCY_INFO.value, PublicationKind.AGENCY_INFO.label),
        (PublicationKind.INSPECTION.value, PublicationKind.INSPECTION.label),
    ]
    values = {
        "kind": PublicationKind.AGENCY_INFO.value,
        "title": "",
        "text": "",
        "decided_on": "",
        "persons": "",
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            try:
                decided_on = datetime.date.fromisoformat(values["decided_on"])
            except ValueError as exc:
                raise ValidationError(_("请填写有效的形成日期。")) from exc
            publication = services.publication_draft_for_text(
                agency=user.agency,
                actor=user,
                kind=values["kind"],
                title=values["title"],
                text=values["text"],
                decided_on=decided_on,
                persons=values["persons"].replace("，", ",").replace("、", ",").split(","),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已生成待公示稿。"))
            return redirect("publications:review", pk=publication.pk)
    return render(
        request, "disclosure/staff/new.html", {"values": values, "kinds": kinds, "today": clock.today()}
    )


@login_required
@require_POST
def annual_report(request: HttpRequest) -> HttpResponse:
    """Draft the annual report of a past year from the agency's figures (国办发〔2018〕118号)."""
    from sanxiang.disclosure import annual

    value = request.POST.get("year", "")
    agency = getattr(request.user, "agency", None)
    if not value.isdigit() or len(value) != 4 or agency is None:
        messages.error(request, _("请选择年度。"))
        return redirect("publications:queue")
    try:
        publication = annual.annual_report_draft(agency=agency, actor=request.user, year=int(value))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("publications:queue")
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您无权办理此项公示。"))
        return redirect("publications:queue")
    messages.success(request, _("已生成年度报告待公示稿。"))
    return redirect("publications:review", pk=publication.pk)
