"""Audit tests sign with a fixed test key, never with a key file that may lie around in var/."""

from __future__ import annotations

import base64
from typing import Any

import pytest

TEST_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def signing_key_setting(settings: Any) -> str:
    settings.SIGNING_KEY = TEST_KEY
    return TEST_KEY
