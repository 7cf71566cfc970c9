import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_interface_speaks_chinese_in_china_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SANXIANG_") and k != "DATABASE_URL"}
    clean.update(env)
    code = "import config.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_the_default_database_is_a_sqlite_file_under_var():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert "sqlite3 False" in result.stdout


def test_debug_is_off_unless_asked_for():
    result = _load_settings(SANXIANG_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "sqlite3 True" in result.stdout


def test_database_url_selects_postgresql():
    result = _load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert "postgresql" in result.stdout


@pytest.mark.parametrize("missing", ["SANXIANG_SECRET_KEY", "SANXIANG_SIGNING_KEY", "SANXIANG_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {
        "SANXIANG_ENV": "production",
        "SANXIANG_SECRET_KEY": "x" * 50,
        "SANXIANG_SIGNING_KEY": "a2V5",
        "SANXIANG_ALLOWED_HOSTS": "example.org",
    }
    del env[missing]
    result = _load_settings(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "y" * 40)
    env = {
        "SANXIANG_ENV": "production",
        "SANXIANG_SECRET_KEY_FILE": str(secret),
        "SANXIANG_SIGNING_KEY": "a2V5",
        "SANXIANG_ALLOWED_HOSTS": "example.org",
    }
    result = _load_settings(**env)
    assert result.returncode == 0, result.stderr
    assert "False" in result.stdout


def test_no_page_links_to_an_outside_asset():
    templates = list((ROOT / "sanxiang").rglob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://127.0.0.1", "") and "https://" not in text, template
