"""The discloser's pages: queue, side-by-side review, publish (with the post-scan), redaction, withdrawal."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sanxiang.core.personas import make_user
from sanxiang.disclosure.models import Publication, PublicationStatus
from sanxiang.documents.tests.signing_factories import DECISION_FIELDS, Setting, setting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    return setting(personas, monkeypatch)


@pytest.fixture
def discloser(personas: Any) -> Any:
    return make_user("disc", agency=personas.agency_a, roles=["discloser"], name="刘芳菲")


def _draft(s: Setting) -> Publication:
    case = s.case_at(party=s.w.person)
    decision = s.issue(case, "penalty_decision", **DECISION_FIELDS)
    return Publication.objects.get(source_document=decision)


def test_the_queue_lists_the_draft_with_its_due_day(client, s, discloser):
    publication = _draft(s)
    client.force_login(discloser)
    body = client.get(reverse("publications:queue")).content.decode()
    assert publication.title in body and "2026-03-11" in body


def test_the_review_page_marks_each_detected_item_beside_the_redacted_text(client, s, discloser):
    publication = _draft(s)
    client.force_login(discloser)
    body = client.get(reverse("publications:review", args=[publication.pk])).content.decode()
    assert '<mark class="span span-name"' in body and '<mark class="span span-resident_id"' in body
    assert "341523********0014" in body
    assert body.count("341523198001010014") >= 1  # in the source panel, marked


def test_publishing_from_the_page_and_a_post_scan_refusal_named_in_chinese(client, s, discloser):
    publication = _draft(s)
    version = publication.latest_version()
    assert version is not None
    original = version.text
    version.text = original + "\n联系电话13956412345"
    version.save(update_fields=["text"])
    client.force_login(discloser)
    response = client.post(reverse("publications:publish", args=[publication.pk]), follow=True)
    assert "电话号码“13956412345”" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.DRAFT
    version.text = original
    version.save(update_fields=["text"])
    response = client.post(reverse("publications:publish", args=[publication.pk]), follow=True)
    assert "已公示。" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.PUBLISHED


def test_a_span_is_added_with_a_reason_and_shown_in_the_log(client, s, discloser):
    publication = _draft(s)
    client.force_login(discloser)
    response = client.post(
        reverse("publications:redaction_change", args=[publication.pk]),
        {"action": "add", "phrase": "舒城县农村商业银行", "kind": "other", "reason": "涉及商业秘密"},
        follow=True,
    )
    body = response.content.decode()
    assert "已增加脱敏。" in body and "涉及商业秘密" in body


def test_withdrawal_from_the_page_after_the_revocation_is_recorded(client, s, discloser):
    publication = _draft(s)
    client.force_login(discloser)
    client.post(reverse("publications:publish", args=[publication.pk]))
    client.post(
        reverse("publications:revocation", args=[publication.pk]),
        {"ground": "revoked", "revoked_on": "2026-03-02"},
    )
    response = client.post(
        reverse("publications:withdraw", args=[publication.pk]),
        {"reason": "该决定已被复议机关撤销"},
        follow=True,
    )
    assert "公示已撤回" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.WITHDRAWN


def test_an_officer_cannot_publish_and_another_agency_sees_nothing(client, s, discloser):
    publication = _draft(s)
    client.force_login(s.w.alice)
    response = client.post(reverse("publications:publish", args=[publication.pk]), follow=True)
    assert "只有本机关的公示审核员可以办理公示。" in response.content.decode()
    client.force_login(s.w.p.charlie)
    assert client.get(reverse("publications:review", args=[publication.pk])).status_code == 404


def test_the_discloser_writes_agency_information_on_the_new_page(client, s, discloser):
    client.force_login(discloser)
    response = client.post(
        reverse("publications:new"),
        {
            "kind": "agency_info",
            "title": "执法人员调整公告",
            "decided_on": "2026-03-02",
            "persons": "",
            "text": "因工作调整，执法人员名单更新如下。联系人电话13905641234。",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "已生成待公示稿。" in body and "139****1234" in body
    assert Publication.objects.get(title="执法人员调整公告").status == PublicationStatus.DRAFT


def test_the_supervisor_sees_the_overdue_draft_of_an_agency_below_but_cannot_act(client, s, personas):
    publication = _draft(s)
    Publication.objects.filter(pk=publication.pk).update(due_on="2026-02-27")
    client.force_login(personas.supervisor)
    body = client.get(reverse("publications:queue")).content.decode()
    assert publication.title in body and "已逾期" in body and "公示监督" in body
    review = client.get(reverse("publications:review", args=[publication.pk])).content.decode()
    assert reverse("publications:publish", args=[publication.pk]) not in review


def test_the_redacted_panel_marks_each_replacement(client, s, discloser):
    publication = _draft(s)
    client.force_login(discloser)
    body = client.get(reverse("publications:review", args=[publication.pk])).content.decode()
    assert '<mark class="span span-resident_id" title="公民身份号码">341523********0014</mark>' in body
