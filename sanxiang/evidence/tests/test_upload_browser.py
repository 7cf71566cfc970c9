"""The upload page in a headless Chromium: several files, a connection dropped mid-file and resumed."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.disclosure.tests.browser import axe_violations, describe
from sanxiang.evidence import views
from sanxiang.evidence.models import Evidence, Upload
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tests.conftest import staged_in

VIDEO = bytes(range(251)) * 2000  # 502 KB: eight pieces of 64 KiB
PHOTO = b"\xff\xd8\xff\xe0 photo" * 1000


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


def test_an_officer_uploads_two_files_and_a_dropped_connection_resumes(
    officer_page: Any, store: LocalStore, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "UPLOAD_CHUNK", 64 * 1024)
    patches: list[str] = []

    def drop_the_third_piece(route: Any) -> None:
        if route.request.method == "PATCH":
            patches.append(route.request.headers["upload-offset"])
            if len(patches) == 3:
                route.abort("connectionreset")
                return
        route.continue_()

    page = officer_page
    page.route("**/evidence/uploads/**", drop_the_third_piece)
    page.goto(reverse("evidence:case", args=[case.pk]))
    page.get_by_label("选择文件（可多选）").set_input_files(
        [
            {"name": "执法记录仪.mp4", "mimeType": "video/mp4", "buffer": VIDEO},
            {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": PHOTO},
        ]
    )
    page.get_by_label("证明对象").fill("现场未设置安全警示标志")
    page.get_by_role("button", name="开始上传").click()
    page.get_by_text("全部完成，刷新页面查看证据清单。").wait_for()

    # The dropped third piece was asked for again from the offset the server kept.
    assert patches[2] == patches[3] == str(2 * 64 * 1024)
    hashes = dict(Evidence.objects.values_list("original_name", "blob__sha256"))
    assert hashes == {
        "执法记录仪.mp4": hashlib.sha256(VIDEO).hexdigest(),
        "现场.jpg": hashlib.sha256(PHOTO).hexdigest(),
    }
    assert set(Evidence.objects.values_list("proves", flat=True)) == {"现场未设置安全警示标志"}
    assert staged_in(store) == [] and Upload.objects.filter(evidence__isnull=True).count() == 0
    page.reload()
    assert page.get_by_role("cell", name="执法记录仪.mp4").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
