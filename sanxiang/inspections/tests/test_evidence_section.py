"""The inspection page lists the inspection's evidence items and links each to its page."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.evidence.models import Blob, Channel, Evidence, Kind
from sanxiang.inspections.models import Inspection
from sanxiang.inspections.tests.factories import plan

pytestmark = pytest.mark.django_db


def _photo(inspection: Inspection, user, name: str = "现场照片1.jpg") -> Evidence:
    """A photo of the inspection as the evidence store keeps it (its bytes are not needed here)."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    now = timezone.now()
    blob = Blob.objects.create(sha256=digest, size=1024, storage_key=f"sha256/{digest}", stored_at=now)
    return Evidence.objects.create(
        agency=inspection.agency,
        inspection=inspection,
        blob=blob,
        kind=Kind.PHOTO,
        original_name=name,
        proves="消防通道堵塞",
        collected_at=now - datetime.timedelta(hours=1),
        channel=Channel.IMPORT,
        ingested_at=now,
        ingested_by=user,
    )


def _page(client, user, inspection: Inspection) -> str:
    client.force_login(user)
    response = client.get(reverse("inspections:detail", args=[inspection.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_inspection_without_evidence_says_so_and_where_uploads_go(client, team):
    inspection = plan(team)
    page = _page(client, team.personas.alice, inspection)
    assert 'id="inspection-evidence"' in page
    assert "本次检查尚无证据" in page


def test_the_inspections_officer_finds_each_item_linked_to_its_page(client, team):
    inspection = plan(team)
    photo = _photo(inspection, team.personas.alice)
    other = plan(team)
    _photo(other, team.personas.alice, name="另一次检查.jpg")
    page = _page(client, team.personas.alice, inspection)
    assert f'href="{reverse("evidence:item", args=[photo.pk])}"' in page
    assert "现场照片1.jpg" in page
    assert "消防通道堵塞" in page
    assert "另一次检查.jpg" not in page
    assert "本次检查尚无证据" not in page


def test_other_staff_of_the_agency_are_offered_a_logged_access_instead(client, team):
    inspection = plan(team)
    photo = _photo(inspection, team.personas.alice)
    page = _page(client, team.personas.bob, inspection)
    assert "现场照片1.jpg" in page
    assert f'href="{reverse("evidence:item", args=[photo.pk])}"' not in page
    assert f'href="{reverse("access:evidence_open", args=[photo.pk])}"' in page


def test_the_linked_item_page_opens_for_the_inspections_officer(client, team):
    inspection = plan(team)
    photo = _photo(inspection, team.personas.alice)
    client.force_login(team.personas.alice)
    response = client.get(reverse("evidence:item", args=[photo.pk]))
    assert response.status_code == 200
    assert "现场照片1.jpg" in response.content.decode()
