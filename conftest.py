"""Suite-wide test setup: forbid skips in CI, keep PostgreSQL-only tests to the PostgreSQL run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("SANXIANG_FORBID_SKIPS") and skipped:
        if reporter:
            reporter.write_line(f"{len(skipped)} test(s) skipped: skips are not allowed in CI", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def personas(db: None) -> object:
    """Alice (officer) and Bob (reviewer) of agency A, Charlie (officer) of agency B, a city supervisor."""
    from sanxiang.core.personas import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Password hashing at production strength costs ~0.3 s per user; the tests don't need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _evidence_store_of_the_test(settings: Any, tmp_path: Path) -> None:
    """Originals written by a test (the demo's footage among them) go to a folder of that test's own."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """Each test's transaction is rolled back behind the holiday cache's back: drop it around every test."""
    from sanxiang.deadlines import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session, shared by every app's browser tests.

    Playwright's sync API runs one event loop per thread: a second instance in the same process fails, so
    this fixture lives here, once, rather than in an app's conftest."""
    from playwright.sync_api import sync_playwright

    from sanxiang.disclosure.tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make install' (it installs Debian's chromium)")
    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
