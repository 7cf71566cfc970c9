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


LEVELS = [
    {
        "level": "slight",
        "circumstance": "未设置 1 处，在责令限期内改正的",
        "penalty": "责令限期改正，可以处一万元以下的罚款",
        "fine_min_yuan": None,
        "fine_max_yuan": 10000,
    },
    {
        "level": "serious",
        "circumstance": "未设置 4 处以上的",
        "penalty": "责令限期改正，处三万元以上五万元以下的罚款",
        "fine_min_yuan": 30000,
        "fine_max_yuan": 50000,
    },
]


def make_benchmark(personas: Any, number: str, effective_on: datetime.date, violation: str) -> Any:
    """A published 裁量基准 of agency A with one violation at two 情节 levels."""
    from sanxiang.agencies import services as agency_services

    draft = agency_services.benchmark_draft(
        actor=personas.bob,
        agency=personas.agency_a,
        title=f"甲县应急管理局行政处罚裁量基准（{number}）",
        document_number=number,
        effective_on=effective_on,
        items=[
            {
                "violation": violation,
                "violated_provision": "《中华人民共和国安全生产法》第三十五条",
                "penalty_provision": "《中华人民共和国安全生产法》第九十九条第一项",
                "leniency_note": "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
                "levels": LEVELS,
            }
        ],
    )
    return agency_services.benchmark_publish(actor=personas.bob, benchmark=draft)
