"""The player in a headless Chromium: a real VP8 video plays and seeks through range requests, logged once."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sanxiang.access.tests.conftest import events, ingest
from sanxiang.audit.events import EventType
from sanxiang.cases.models import Case
from sanxiang.disclosure.tests.browser import axe_violations, describe
from sanxiang.evidence.storage import LocalStore


def tiny_webm(seconds: int = 2, fps: int = 10) -> bytes:
    """A real WebM/VP8 video, 64×48, ``seconds`` long: a grey ramp so every frame differs."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.time_base = Fraction(1, fps)
        for index in range(seconds * fps):
            shade = 20 + index * 10
            frame = av.VideoFrame(64, 48, "yuv420p")
            luma, blue, red = frame.planes
            luma.update(bytes([shade]) * luma.buffer_size)
            blue.update(bytes([128]) * blue.buffer_size)
            red.update(bytes([255 - shade]) * red.buffer_size)
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


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


def test_a_handler_plays_a_video_and_seeks_through_range_requests(
    officer_page: Any, store: LocalStore, case: Case, personas: Any, tmp_path: Path
) -> None:
    video = ingest(store, case, personas.alice, "执法记录仪.webm", tiny_webm(), tmp_path)
    page = officer_page
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/content" in r.url else None)
    page.goto(reverse("access:evidence_open", args=[video.pk]))
    player = page.locator("video#evidence-player")
    player.wait_for()
    duration = page.evaluate(
        """() => new Promise((done, fail) => {
            const v = document.getElementById('evidence-player');
            if (v.readyState >= 1) return done(v.duration);
            v.addEventListener('loadedmetadata', () => done(v.duration));
            v.addEventListener('error', () => fail(new Error('media error ' + (v.error && v.error.code))));
        })"""
    )
    assert 1.5 < duration < 2.5
    seeked = page.evaluate(
        """() => new Promise((done) => {
            const v = document.getElementById('evidence-player');
            v.addEventListener('seeked', () => done(v.currentTime), {once: true});
            v.currentTime = 1.5;
        })"""
    )
    assert seeked == pytest.approx(1.5, abs=0.2)
    played = page.evaluate(
        """() => new Promise((done, fail) => {
            const v = document.getElementById('evidence-player');
            v.muted = true;
            v.currentTime = 0;
            v.addEventListener('timeupdate', function check() {
                if (v.currentTime <= 0.2) return;
                v.removeEventListener('timeupdate', check);
                v.pause();
                done(true);
            });
            v.play().catch(fail);
        })"""
    )
    assert played is True
    assert 206 in statuses
    # However many ranges the player asked for, the playback is the one view logged when the page opened.
    assert len(events(EventType.EVIDENCE_VIEWED)) == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)
