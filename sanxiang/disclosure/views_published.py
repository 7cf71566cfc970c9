"""事后公开 on the portal: published decisions and inspection results, their history, feed, downloads,
yearly statistics and the transparency page (行政处罚法 Art.48; 国办发〔2018〕118号).

Pages show only the published (redacted) text, never the source. A withdrawn item's page is its tombstone
with the public reason. The list pages are cached (sanxiang.disclosure.published: a version in the key).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanxiang.agencies.models import Agency, EnforcementCategory
from sanxiang.disclosure import annual, published, selectors
from sanxiang.disclosure.models import (
    Publication,
    PublicationKind,
    PublicationStatus,
    PublicationVersion,
    Withdrawal,
)

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages: narrow the filters (an OFFSET over a province's items costs more)
LIST_CACHE_SECONDS = 600
FEED_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return min(int(value), MAX_PAGE) if value.isdigit() and 0 < len(value) < 5 and int(value) > 0 else 1


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    """The list and search: keyword, agency, category, kind and date range; newest first, paginated."""
    filters = published.Filters.from_query(request.GET)
    number = _page_number(request)
    query = filters.as_query()
    encoded = urlencode(sorted(query.items()))
    key = f"portal:published:list:{get_language()}:{number}:{encoded}"

    def build() -> dict[str, Any]:
        rows, more = published.search_page(filters, number, PAGE_SIZE)
        return {
            "filters": filters,
            "rows": rows,
            "page_number": number,
            "previous_url": _list_url(query, number - 1) if number > 1 else "",
            "next_url": _list_url(query, number + 1) if more and number < MAX_PAGE else "",
            "agencies": Agency.objects.order_by("level", "region_code").only("pk", "name"),
            "categories": EnforcementCategory.objects.all(),
            "kinds": [(k.value, k.label) for k in published.LISTED_KINDS],
            "short_query": 0 < len(filters.q) <= published.SHORT_QUERY,
        }

    return cached_portal_page(request, key, "disclosure/published/list.html", build)


# The page is the same for every visitor but for the CSRF token of the language switcher: it is cached with
# this placeholder, which each response replaces by the visitor's own token.
CSRF_PLACEHOLDER = "csrf-placeholder-5f0e2a"


def cached_portal_page(
    request: HttpRequest, key: str, template: str, build: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """A portal page the same for every visitor, from the cache of ``published.cached_page``.

    ``build`` runs only when the page is rebuilt (an Http404 it raises is never cached).
    """

    def page() -> str:
        return render_to_string(template, {**build(), "csrf_token": CSRF_PLACEHOLDER}, request=request)

    body = published.cached_page(key, page, LIST_CACHE_SECONDS)
    return HttpResponse(body.replace(CSRF_PLACEHOLDER, get_token(request)))


def _list_url(query: dict[str, str], number: int) -> str:
    return f"{reverse('disclosure:published')}?{urlencode({**query, 'page': str(number)})}"


@require_GET
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The published text with its history of corrections, or a withdrawn item's notice with the reason.

    Cached: a publish, correction, withdrawal or expiry raises the pages' version (``published``).
    """
    key = f"portal:published:detail:{get_language()}:{pk}"

    def build() -> dict[str, Any]:
        try:
            publication = selectors.public_publication_get(pk)
        except Publication.DoesNotExist as exc:
            raise Http404(_("该公示信息不存在或已过公示期。")) from exc
        if publication.kind not in published.LISTED_KINDS and publication.report_year is None:
            raise Http404(_("该公示信息不存在或已过公示期。"))
        withdrawal = Withdrawal.objects.filter(publication=publication).first()
        versions = list(selectors.public_versions(publication)) if withdrawal is None else []
        return {
            "publication": publication,
            "withdrawal": withdrawal,
            "current": versions[0] if versions else None,
            "earlier": versions[1:],
        }

    return cached_portal_page(request, key, "disclosure/published/detail.html", build)


# ----------------------------------------------------------------------------------------------------
# Feed and downloads


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """Atom feed of the newest published items (RFC 4287)."""
    feed = Atom1Feed(
        title=_("行政执法决定公示"),
        link=request.build_absolute_uri(reverse("disclosure:published")),
        description=_("行政处罚、行政强制、行政许可决定和行政检查结果"),
        language="zh-cn",
        feed_url=request.build_absolute_uri(reverse("disclosure:published_feed")),
    )
    for publication in published.listed()[:FEED_SIZE]:
        published_at = publication.published_at or timezone.now()
        feed.add_item(
            title=publication.title,
            link=request.build_absolute_uri(reverse("disclosure:published_detail", args=[publication.pk])),
            description=" · ".join(
                [publication.agency.name, publication.get_kind_display(), publication.number]
            ),
            unique_id=request.build_absolute_uri(
                reverse("disclosure:published_detail", args=[publication.pk])
            ),
            pubdate=published_at,
            updateddate=published_at,
            categories=[publication.get_kind_display()],
            author_name=publication.agency.name,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


DOWNLOAD_FIELDS = [
    ("id", "编号"),
    ("agency", "执法机关"),
    ("kind", "公示类别"),
    ("title", "标题"),
    ("number", "决定书文号"),
    ("subject", "行政相对人"),
    ("decided_on", "决定日期"),
    ("published_at", "公示时间"),
    ("version", "版本"),
    ("url", "网址"),
    ("text", "公示文本"),
]


def _download_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """Every listed item with its current published text, read in chunks (a province's volume streams)."""
    current = PublicationVersion.objects.filter(publication=OuterRef("pk")).exclude(published_at=None)
    current = current.order_by("-number")
    rows = (
        published.listed()
        .annotate(
            current_text=Subquery(current.values("text")[:1]),
            current_number=Subquery(current.values("number")[:1]),
            agency_name=F("agency__name"),
        )
        .values(
            "pk",
            "agency_name",
            "kind",
            "title",
            "number",
            "subject",
            "decided_on",
            "published_at",
            "current_text",
            "current_number",
        )
    )
    kinds = dict(PublicationKind.choices)
    base = request.build_absolute_uri("/").rstrip("/")
    for row in rows.iterator(chunk_size=2000):
        yield {
            "id": row["pk"],
            "agency": row["agency_name"],
            "kind": str(kinds.get(row["kind"], row["kind"])),
            "title": row["title"],
            "number": row["number"],
            "subject": row["subject"],
            "decided_on": row["decided_on"].isoformat(),
            "published_at": timezone.localtime(row["published_at"]).isoformat()
            if row["published_at"]
            else "",
            "version": row["current_number"],
            "url": base + reverse("disclosure:published_detail", args=[row["pk"]]),
            "text": row["current_text"] or "",
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _attachment(response: StreamingHttpResponse, name: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def download_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Everything published as CSV (UTF-8 with BOM so that spreadsheet programs read Chinese), streamed."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([label for _key, label in DOWNLOAD_FIELDS])
        for row in _download_rows(request):
            yield writer.writerow([row[key] for key, _label in DOWNLOAD_FIELDS])

    return _attachment(
        StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), "published-decisions.csv"
    )


@require_GET
def download_json(request: HttpRequest) -> StreamingHttpResponse:
    """Everything published as one JSON array, streamed item by item."""

    def chunks() -> Iterator[str]:
        yield "["
        for index, row in enumerate(_download_rows(request)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"

    return _attachment(
        StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8"),
        "published-decisions.json",
    )


# ----------------------------------------------------------------------------------------------------
# Yearly statistics (the annual report) and transparency


@require_GET
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    """One agency's year: items by kind, fines, legal review outcomes, publication on time, the report."""
    today = timezone.localdate()
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year - 1
    # The day is in the key: overdue drafts and whether the year is complete change with it.
    key = f"portal:agency:statistics:{get_language()}:{pk}:{year}:{today.isoformat()}"

    def build() -> dict[str, Any]:
        agency = get_object_or_404(Agency, pk=pk)
        figures = annual.annual_figures(agency, year)
        return {
            "agency": agency,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "kinds": figures.kinds,
            "count": figures.count,
            "fines_yuan": figures.fines_yuan,
            "record": figures.record,
            "on_time_rate": _rate(figures.record.on_time_rate),
            "withdrawal_rate": _rate(figures.record.withdrawal_on_time_rate),
            "reviews": figures.reviews,
            "review_on_time_rate": _rate(figures.reviews.on_time_rate),
            "complete": year < today.year,
            "report_due": annual.annual_report_due(year),
            "report": annual.published_report(agency.pk, year),
        }

    return cached_portal_page(request, key, "disclosure/published/statistics.html", build)


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


TRANSPARENCY_SIZE = 50


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    """Corrections, withdrawals (with their public reasons) and each agency's on-time rates."""
    today = timezone.localdate()
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year
    key = f"portal:published:transparency:{get_language()}:{year}"

    def build() -> dict[str, Any]:
        rates = []
        for agency in Agency.objects.filter(publications__published_at__isnull=False).distinct():
            record = selectors.timeliness(year=year, agency_id=agency.pk)
            rates.append(
                {
                    "agency": agency,
                    "record": record,
                    "on_time_rate": _rate(record.on_time_rate),
                    "withdrawal_rate": _rate(record.withdrawal_on_time_rate),
                }
            )
        corrections = (
            PublicationVersion.objects.filter(
                number__gt=1,
                publication__status=PublicationStatus.PUBLISHED,
                publication__kind__in=published.LISTED_KINDS,
            )
            .exclude(published_at=None)
            .select_related("publication", "publication__agency")
            .order_by("-published_at")[:TRANSPARENCY_SIZE]
        )
        withdrawals = Withdrawal.objects.filter(publication__kind__in=published.LISTED_KINDS)
        withdrawals = withdrawals.select_related("publication", "publication__agency")
        return {
            "year": year,
            "rates": rates,
            "corrections": corrections,
            "withdrawals": withdrawals.order_by("-withdrawn_at")[:TRANSPARENCY_SIZE],
        }

    return cached_portal_page(request, key, "disclosure/published/transparency.html", build)
