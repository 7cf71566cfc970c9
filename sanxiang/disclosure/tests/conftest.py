"""A real browser for the portal's tests: Debian's Chromium driven by Playwright, one per test session.

``make install`` puts Chromium at /usr/bin/chromium (the Makefile's SYSTEM_PACKAGES); Playwright never
downloads a browser of its own here. A missing browser fails the tests loudly instead of skipping them. The
pages run on pytest-django's ``live_server``; ``browser.axe_violations`` injects the vendored axe-core into a
page and returns the serious and critical accessibility violations it finds (WCAG 2 A and AA rules).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanxiang.disclosure.tests.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(autouse=True)
def _no_counted_failures() -> Iterator[None]:
    """Wrong codes are counted in the cache (sanxiang.core.throttle); no test inherits another's count."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (starting one costs ~0.5 s)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make install' (it installs Debian's chromium)")
    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
