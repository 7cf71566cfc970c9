"""The demo's publications: the drafts its issued decisions produced, reviewed and published by the discloser.

Most drafts are published on time (two working days after the decision); the latest one past its clock is
left as a draft, so the discloser's queue shows an overdue item; one published penalty was revoked on
行政复议 and is withdrawn with its public reason (行政处罚法 Art.48). Drafts inside their clock stay drafts.
"""

from __future__ import annotations

import datetime
from unittest import mock

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency
from sanxiang.cases import workflow as case_workflow
from sanxiang.deadlines import calendar
from sanxiang.disclosure import services
from sanxiang.disclosure.models import Publication, PublicationKind, PublicationStatus, RevocationGround

REVOCATION_REASON = (
    "该行政处罚决定已被舒城县人民政府行政复议决定撤销（舒政复决〔2026〕3号），"
    "依据《中华人民共和国行政处罚法》第四十八条第二款撤回公示。"
)


def _on(day: datetime.date) -> mock._patch[object]:
    return mock.patch.object(case_workflow, "today", lambda: day)


def load_publications(*, agency: Agency, today: datetime.date) -> dict[str, int]:
    """Publish, leave overdue and withdraw the demo agency's drafts as described above; returns counts."""
    discloser = User.objects.get(username="discloser")
    drafts = list(
        Publication.objects.filter(agency=agency, status=PublicationStatus.DRAFT)
        .exclude(due_on=None)
        .order_by("decided_on", "pk")
    )
    overdue = [(p, p.due_on) for p in drafts if p.due_on is not None and p.due_on < today]
    left_overdue = overdue[-1:]  # the latest one: a few days late, as a real queue would show it
    published: list[Publication] = []
    for publication, due_on in overdue[:-1]:
        day = min(calendar.add_working_days(publication.decided_on, 2), due_on)
        with _on(day):
            services.publication_publish(publication=publication, actor=discloser)
        published.append(publication)
    withdrawn = 0
    revoked = next((p for p in published if p.kind == PublicationKind.PENALTY), None)
    if revoked is not None:
        revoked.refresh_from_db()
        revoked_on = calendar.add_working_days(revoked.decided_on, 10)
        if revoked_on < today:
            with _on(revoked_on):
                services.publication_record_revocation(
                    publication=revoked,
                    actor=discloser,
                    ground=RevocationGround.REVOKED,
                    revoked_on=revoked_on,
                )
            with _on(calendar.add_working_days(revoked_on, 1)):
                services.publication_withdraw(publication=revoked, actor=discloser, reason=REVOCATION_REASON)
            withdrawn = 1
    counts = services.publications_run_due(today=today)
    return {
        "publications_published": len(published) - withdrawn,
        "publications_withdrawn": withdrawn,
        "publications_overdue": len(left_overdue),
        "publications_draft": len(drafts) - len(published) - len(left_overdue),
        "publications_overdue_flagged": counts.overdue_flagged,
    }
