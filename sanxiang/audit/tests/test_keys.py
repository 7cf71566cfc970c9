"""The signing key: generated once with mode 0600, from settings or a file, never invented in production."""

from __future__ import annotations

import base64
import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from sanxiang.audit import keys


def test_generate_signing_key_writes_a_private_file_once_and_prints_the_public_key(
    settings: Any, tmp_path: Path
) -> None:
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = tmp_path / "var" / "audit-signing.key"
    out = io.StringIO()
    call_command("generate_signing_key", stdout=out)
    written = settings.SIGNING_KEY_FILE.read_text()
    assert len(base64.b64decode(written)) == 32
    assert stat.S_IMODE(settings.SIGNING_KEY_FILE.stat().st_mode) == 0o600
    public = base64.b64encode(keys.signing_key().public_key).decode()
    assert public in out.getvalue()

    again = io.StringIO()
    call_command("generate_signing_key", stdout=again)
    assert settings.SIGNING_KEY_FILE.read_text() == written
    assert "已存在" in again.getvalue()
    assert public in again.getvalue()


def test_the_setting_wins_over_the_file(settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_KEY_FILE = tmp_path / "absent.key"
    assert keys.signing_key().public_key == keys.SigningKey(settings.SIGNING_KEY).public_key


def test_a_malformed_key_is_refused_in_chinese(settings: Any) -> None:
    settings.SIGNING_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(ImproperlyConfigured, match="32 字节"):
        keys.signing_key()


def test_production_never_invents_a_key(settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = tmp_path / "absent.key"
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="未配置审计签名密钥"):
        keys.signing_key()
    assert not settings.SIGNING_KEY_FILE.exists()


def test_development_without_a_key_uses_a_fixed_development_key(settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = tmp_path / "absent.key"
    settings.PRODUCTION = False
    assert keys.signing_key().public_key == keys.signing_key().public_key
    assert not settings.SIGNING_KEY_FILE.exists()
