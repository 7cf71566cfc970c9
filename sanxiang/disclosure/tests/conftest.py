"""A real browser for the portal's tests: Debian's Chromium driven by Playwright, one per test session
(the ``browser`` fixture of the suite-wide conftest.py, shared by every app's browser tests).

``make install`` puts Chromium at /usr/bin/chromium (the Makefile's SYSTEM_PACKAGES); Playwright never
downloads a browser of its own here. A missing browser fails the tests loudly instead of skipping them. The
pages run on pytest-django's ``live_server``; ``browser.axe_violations`` injects the vendored axe-core into a
page and returns the serious and critical accessibility violations it finds (WCAG 2 A and AA rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_counted_failures() -> Iterator[None]:
    """Wrong codes are counted in the cache (sanxiang.core.throttle); no test inherits another's count."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) on a phone-sized screen, Chinese first, at the live server."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
