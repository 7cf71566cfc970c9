from __future__ import annotations

import pytest

from sanxiang.coercion.tests.factories import World, make_world
from sanxiang.core.personas import Personas
from sanxiang.deadlines import holiday_data, services


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped holiday arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.fixture
def world(personas: Personas, holidays: None) -> World:
    return make_world(personas)
