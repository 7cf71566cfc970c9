"""事后公开 on the portal: what the public may see of published items, their search, and the pages' cache.

Only published items are listed (行政处罚法 Art.48; 国办发〔2018〕118号); a withdrawn one keeps its tombstone
page with the public reason; drafts, declined and expired items are never shown.

Search. Each publication keeps a search text (title, number, party and the published — redacted — text), set
when a version is published. A query of three characters or more is a substring match on it: on PostgreSQL
served by the trigram GIN index of migration 0003 (pg_trgm splits Chinese into trigrams when the database's
LC_CTYPE is UTF-8-aware, STACK.md), on SQLite a plain LIKE scan (the embedded fallback). The text and the
keyword are compared in upper case, so letters in credit codes and plates match either way. A one- or
two-character query has no trigram, so no index can narrow a substring match and it would read every row of
a province; it is answered as a prefix of the title or of the party's published name (the first characters
of a company's or a township's name are what people type), served by btree pattern indexes.

Cache. The public pages (lists, details, the agencies' pages and yearly figures) are cached with a
version number that every save of a publication, a withdrawal, an agency's data or a review opinion raises
once its transaction commits; a page stored under an older version is rebuilt, so a publish, correction,
withdrawal or expiry is on the portal at once (DESIGN.md, performance targets: "caching allowed"). With a
cache shared by several processes (Redis), each process also keeps the pages it served and reads the
version at most once a second (see ``cached_page``).
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from sanxiang.disclosure.models import Publication, PublicationKind, PublicationStatus, PublicationVersion

__all__ = [
    "CACHE_VERSION_KEY",
    "LISTED_KINDS",
    "Filters",
    "cache_version",
    "cached_page",
    "connect",
    "fine_of",
    "index_publication",
    "listed",
    "search",
    "search_page",
]

# What 事后公开 lists: decisions and inspection results (agency information has its own pages).
LISTED_KINDS = [
    PublicationKind.PENALTY,
    PublicationKind.NO_PENALTY,
    PublicationKind.COERCION,
    PublicationKind.PERMIT,
    PublicationKind.INSPECTION,
]
CACHE_VERSION_KEY = "portal:published:version"
SHORT_QUERY = 2  # characters: answered by prefix, see the module's docstring
MAX_QUERY = 50


def cache_version() -> int:
    """The current version of the public pages' cache.

    An empty cache (or one that evicted the version) starts from the clock in nanoseconds, never from a
    value an older page may still be stored with.
    """
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        cache.add(CACHE_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CACHE_VERSION_KEY, 0)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:  # not in the cache (evicted, or never read): any new value invalidates
        cache.set(CACHE_VERSION_KEY, cache_version() + 1, timeout=None)
    _seen[:] = [cache_version(), time.monotonic()]  # this process sees its own change at once


# Pages are also kept in each process's memory, so that a cached page costs no round trip to a shared cache:
# the version is read from the shared cache at most once a second, so a change made by another process
# reaches this one's pages within that second. With the local-memory cache (one process) none of this is
# needed and the cache is used directly.
VERSION_RECHECK_SECONDS = 1.0
LOCAL_PAGES = 2_000
_seen: list[float] = [0, float("-inf")]  # the version, and when it was read (time.monotonic)
_pages: dict[str, tuple[int, str]] = {}


def _shared_cache() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


def page_version() -> int:
    """The version pages are built against: from the shared cache at most once a second per process."""
    now = time.monotonic()
    if now - _seen[1] >= VERSION_RECHECK_SECONDS or not _shared_cache():
        _seen[:] = [cache_version(), now]
    return int(_seen[0])


def cached_page(key: str, build: Callable[[], str], timeout: int) -> str:
    """The page under ``key`` for the current version: from this process, the shared cache, or ``build``."""
    version = page_version()
    local = _shared_cache()
    stored = _pages.get(key) if local else None
    if stored is not None and stored[0] == version:
        return stored[1]
    shared = cache.get(key)
    if shared is not None and shared[0] == version:
        page = str(shared[1])
    else:
        page = build()
        cache.set(key, (version, page), timeout)
    if local:
        if len(_pages) >= LOCAL_PAGES:
            _pages.clear()
        _pages[key] = (version, page)
    return page


def invalidate() -> None:
    """The public pages change once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(_bump)


def fine_of(fields: dict[str, Any] | None) -> int:
    """The fines of a decision's penalties, in fen."""
    return sum(
        int(row.get("amount_fen") or 0)
        for row in (fields or {}).get("penalties") or []
        if isinstance(row, dict) and row.get("kind") == "fine"
    )


def search_text_of(publication: Publication, text: str) -> str:
    """What a keyword is matched against, in upper case (migration 0003: a plain LIKE uses the index)."""
    return "\n".join([publication.title, publication.number, publication.subject, text]).upper()


def index_publication(version: PublicationVersion) -> None:
    """Keep the publication's search text, category and fine from its newly published version."""
    publication = version.publication
    Publication.objects.filter(pk=publication.pk).update(
        search_text=search_text_of(publication, version.text),
        category_id=publication.case.category_id if publication.case_id and publication.case else None,
        fine_fen=fine_of(publication.source_document.fields if publication.source_document else None),
    )


def _version_saved(sender: Any, instance: PublicationVersion, **kwargs: Any) -> None:
    if instance.published_at is not None:
        index_publication(instance)
        invalidate()


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate()


def connect() -> None:
    """Called from the app's ready(): publish, correct, withdraw and expire refresh the portal.

    The agencies' pages (profile, officers, lists, benchmarks) and the yearly figures (legal review
    outcomes) are cached the same way: any save of what they show raises the version too.
    """
    from sanxiang.agencies import models as agencies
    from sanxiang.disclosure.models import Withdrawal
    from sanxiang.review.models import Opinion

    post_save.connect(_version_saved, sender=PublicationVersion, dispatch_uid="published-index")
    post_save.connect(_changed, sender=Publication, dispatch_uid="published-cache-publication")
    post_save.connect(_changed, sender=Withdrawal, dispatch_uid="published-cache-withdrawal")
    for model in (
        agencies.Agency,
        agencies.Section,
        agencies.Officer,
        agencies.PowerItem,
        agencies.RandomCheckItem,
        agencies.DiscretionBenchmark,
        agencies.BenchmarkItem,
        agencies.BenchmarkLevel,
        Opinion,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"published-cache-{model._meta.label_lower}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"published-cache-del-{model._meta.label_lower}"
        )
    m2m_changed.connect(
        _changed,
        sender=agencies.Officer.categories.through,
        dispatch_uid="published-cache-officer-categories",
    )


# ----------------------------------------------------------------------------------------------------
# What the public sees


@dataclass(frozen=True)
class Filters:
    """The public list's filters, all optional; bad values are ignored (a public page never fails on them)."""

    q: str = ""
    agency: int | None = None
    category: int | None = None
    kind: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        def number(key: str) -> int | None:
            value = str(data.get(key, "")).strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        def day(key: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(str(data.get(key, "")).strip())
            except ValueError:
                return None

        kind = str(data.get("kind", "")).strip()
        return cls(
            q=" ".join(str(data.get("q", "")).split())[:MAX_QUERY],
            agency=number("agency"),
            category=number("category"),
            kind=kind if kind in LISTED_KINDS else "",
            start=day("start"),
            end=day("end"),
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links to other pages of the list)."""
        pairs = {
            "q": self.q,
            "agency": str(self.agency or ""),
            "category": str(self.category or ""),
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
        }
        return {key: value for key, value in pairs.items() if value}


def listed() -> QuerySet[Publication]:
    """Every item 事后公开 lists: published decisions and inspection results, newest first."""
    return (
        Publication.objects.filter(status=PublicationStatus.PUBLISHED, kind__in=LISTED_KINDS)
        .select_related("agency", "category")
        .defer("search_text", "context")
        .order_by("-decided_on", "-id")
    )


def search(filters: Filters) -> QuerySet[Publication]:
    """The listed items matching the filters (see the module's docstring for short queries)."""
    found = listed()
    if filters.agency:
        found = found.filter(agency_id=filters.agency)
    if filters.category:
        found = found.filter(category_id=filters.category)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.start:
        found = found.filter(decided_on__gte=filters.start)
    if filters.end:
        found = found.filter(decided_on__lte=filters.end)
    if filters.q:
        if len(filters.q) <= SHORT_QUERY:
            found = found.filter(Q(title__startswith=filters.q) | Q(subject__startswith=filters.q))
        else:
            found = found.filter(search_text__contains=filters.q.upper())
    return found


def page_of(found: QuerySet[Publication], number: int, size: int) -> tuple[list[Publication], bool]:
    """One page and whether another follows, without counting a province's rows (no COUNT(*))."""
    start = (max(number, 1) - 1) * size
    rows = list(found[start : start + size + 1])
    return rows[:size], len(rows) > size


# A keyword search on PostgreSQL has two good plans and the planner cannot tell which one a keyword needs (its
# estimate of a LIKE pattern, and of a keyword together with the filters, is often far off): reading the
# newest items along the list index until a page of matches is found is fast for a common keyword and reads
# the whole table for a rare one; collecting the matches from the trigram index and sorting them is fast for
# a rare keyword and slow for one in most texts. So the newest RECENT_WINDOW items that pass the filters are
# searched first, along the list index down to the oldest of them: if they hold the page and one more match,
# or are all there is, that page is exact (every older match comes after them); otherwise the keyword is rare
# there and the trigram index finds all its matches.
RECENT_WINDOW = 2_000


def search_page(filters: Filters, number: int, size: int) -> tuple[list[Publication], bool]:
    """The page ``number`` of the search and whether another follows (see above for PostgreSQL)."""
    from django.db import connection

    found = search(filters)
    if not filters.q or len(filters.q) <= SHORT_QUERY or connection.vendor != "postgresql":
        return page_of(found, number, size)
    # The oldest of the newest RECENT_WINDOW items that pass the filters, along the list's index.
    edge = (
        search(dataclasses.replace(filters, q=""))
        .values_list("decided_on", flat=True)[RECENT_WINDOW - 1 : RECENT_WINDOW]
        .first()
    )
    window = found if edge is None else found.filter(decided_on__gte=edge)  # the edge's whole day
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        rows, more = page_of(window, number, size)
    if more or edge is None:
        return rows, more
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        return page_of(found, number, size)
