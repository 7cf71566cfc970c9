from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from sanxiang.cases import workflow
from sanxiang.cases.tests.factories import World, make_world

# The calendar, the pinned today and the media folder are the documents tests' own.
from sanxiang.documents.tests.conftest import _media, holidays, today  # noqa: F401


@pytest.fixture(autouse=True)
def _guards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every guard as the running system has it, on a copy the test may not leak."""
    registered = defaultdict(list, {k: list(v) for k, v in workflow._REGISTERED.items()})
    monkeypatch.setattr(workflow, "_REGISTERED", registered)


@pytest.fixture
def world(personas: Any, holidays: None, today: Any) -> World:  # noqa: F811
    from sanxiang.review.tests.factories import qualify

    w = make_world(personas)
    qualify(w.bob)
    return w
