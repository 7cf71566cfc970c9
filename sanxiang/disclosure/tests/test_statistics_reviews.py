"""The yearly figures show the agency's legal review outcomes (法制审核), read from the review records."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from sanxiang.cases.tests.factories import World
from sanxiang.disclosure import annual
from sanxiang.documents.tests.conftest import _media, holidays, today  # noqa: F401
from sanxiang.review import services
from sanxiang.review.tests.conftest import _guards, world  # noqa: F401
from sanxiang.review.tests.factories import SOUND, WAN, approve, at_review_point, correct, fine, publish


def test_the_yearly_page_counts_reviews_by_outcome_and_on_time(
    client: Any,
    world: World,  # noqa: F811
    today: Any,  # noqa: F811
) -> None:
    publish(world)
    corrected = at_review_point(world, penalties=[fine(6 * WAN)])
    correct(world, services.review_submit(actor=world.alice, case=corrected))
    today.set(datetime.date(2026, 3, 4))
    approve(world, services.review_submit(actor=world.alice, case=corrected))
    transferred = at_review_point(world, penalties=[fine(7 * WAN)])
    services.review_opinion_give(
        actor=world.bob,
        round=services.review_submit(actor=world.alice, case=transferred),
        kind="transfer",
        findings={**SOUND, "crime_referral": ("problem", "涉嫌犯罪")},
        text="建议移送",
        organ="甲县公安局",
    )
    agency = world.p.agency_a
    found = annual.review_outcomes(year=2026, agency_id=agency.pk)
    assert (found.reviews, found.approved, found.corrected, found.transferred) == (3, 1, 1, 1)
    assert found.on_time == 3 and found.on_time_rate == 1.0
    assert annual.review_outcomes(year=2026, agency_id=world.p.agency_b.pk).reviews == 0
    assert annual.review_outcomes(year=2025, agency_id=agency.pk).reviews == 0
    response = client.get(reverse("disclosure:statistics", args=[agency.pk]), {"year": 2026})
    page = response.content.decode()
    assert "法制审核" in page and "100.0%" in page
    assert response.context["reviews"] == found
