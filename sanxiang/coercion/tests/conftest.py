from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanxiang.coercion.tests.factories import World, make_world
from sanxiang.core.personas import Personas
from sanxiang.deadlines import holiday_data, services


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped holiday arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.fixture(autouse=True)
def evidence_store(settings: Any, tmp_path: Path) -> None:
    """The AV records of the acts are real evidence: originals go to a store of the test's own."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"


@pytest.fixture
def world(personas: Personas, holidays: None) -> World:
    return make_world(personas)
