"""Published items as the services leave them, for the portal's tests (list, search, browser)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from sanxiang.disclosure.models import Publication, PublicationKind, PublicationStatus, PublicationVersion

TEXT = (
    "舒城县应急管理局行政处罚决定书\n当事人：{party}，法定代表人：王某某\n经查，{party}{fact}，违反了《中华人民共和国安全生产法》"
    "第{article}条的规定。依据该法第九十九条，决定给予罚款人民币{amount}元的行政处罚。\n"
)


def make_published(
    agency: Any,
    party: str,
    *,
    fact: str = "未对安全设备进行经常性维护",
    kind: str = PublicationKind.PENALTY,
    decided_on: datetime.date = datetime.date(2026, 3, 2),
    status: str = PublicationStatus.PUBLISHED,
    fine_yuan: int = 20000,
    due_on: datetime.date | None = datetime.date(2026, 3, 11),
    published_on: datetime.date = datetime.date(2026, 3, 5),
) -> Publication:
    """A publication as the services leave it once published; its version's save indexes it for search."""
    at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(10)))
    publication = Publication.objects.create(
        agency=agency,
        kind=kind,
        status=status,
        title=f"{party}{PublicationKind(kind).label}",
        number=f"（舒）应急罚〔2026〕{Publication.objects.count() + 1}号",
        subject=party,
        decided_on=decided_on,
        due_on=due_on,
        published_at=at if status != PublicationStatus.DRAFT else None,
    )
    text = TEXT.format(party=party, fact=fact, article="三十六", amount=fine_yuan)
    PublicationVersion.objects.create(
        publication=publication,
        number=1,
        source_text=text.replace("王某某", "王建国"),
        source_sha256="0" * 64,
        text=text,
        published_at=at if status != PublicationStatus.DRAFT else None,
    )
    Publication.objects.filter(pk=publication.pk).update(fine_fen=fine_yuan * 100)
    publication.refresh_from_db()
    return publication
