"""The item page in a headless Chromium: metadata arrives while the page waits, then the AV description."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.disclosure.tests.browser import axe_violations, describe
from sanxiang.evidence import services
from sanxiang.evidence.models import AVRecord, MediaStatus
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tasks import extract_media_metadata
from sanxiang.evidence.tests import media_files
from sanxiang.evidence.tests.conftest import CASE_NUMBER


@pytest.fixture
def officer_page(browser: Any, live_server: Any, personas: Any) -> Any:
    client = Client()
    client.force_login(personas.alice)
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_the_item_page_shows_the_metadata_when_the_worker_is_done_and_takes_the_description(
    officer_page: Any, store: LocalStore, case: Case, personas: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = media_files.video()
    upload = services.upload_start(case=case, actor=personas.alice, name="执法记录仪.mp4", size=len(data))
    upload = services.upload_append(
        upload=upload, offset=0, source=io.BytesIO(data), length=len(data), actor=personas.alice
    )
    assert upload.evidence is not None
    evidence = upload.evidence
    page = officer_page

    page.goto(reverse("evidence:item", args=[evidence.pk]))
    page.get_by_text("提取中…").wait_for()
    # The worker takes the queued task while the page is open; the panel then shows what it read.
    assert extract_media_metadata.call(evidence.pk) == MediaStatus.EXTRACTED
    page.locator("[data-status=extracted]").wait_for()
    assert "64×48" in page.locator("#evidence-media").inner_text()
    thumbnail = page.locator("#evidence-media img")
    thumbnail.wait_for()
    page.wait_for_function("img => img.complete", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") == 64

    page.select_option("#id_act", "inquiry")
    page.fill("#id_started_at", "2026-03-02T09:00:00")
    page.fill("#id_ended_at", "2026-03-02T09:30:00")
    page.fill("#id_place", "执法大队询问室")
    page.get_by_label(str(personas.alice_officer)).check()
    page.get_by_role("button", name="登记音像记录").click()

    page.locator("[data-av-number]").wait_for()
    assert page.locator("[data-av-number]").inner_text() == f"{CASE_NUMBER}-音像1"
    assert AVRecord.objects.get().place == "执法大队询问室"
    violations = axe_violations(page)
    assert not violations, describe(violations)
