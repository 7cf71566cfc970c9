from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("holidays")


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("add", "2026-02-12", "7"), "2026-02-28\n"),
        (("calendar", "2026-09-16", "15"), "2026-10-08\n"),
        (("check", "2026-02-14"), "workday\n"),
        (("check", "2026-02-15"), "restday\n"),
        (("add", "2025-12-31", "3"), "2026-01-06\n"),
        (("calendar", "2026-03-01", "90"), "2026-06-01\n"),
    ],
)
def test_workdays_prints_exactly_the_date_or_the_kind_of_day(args: tuple[str, ...], output: str) -> None:
    assert workdays(*args) == output


def test_workdays_in_an_unloaded_year_fails_with_status_2_naming_the_year() -> None:
    with pytest.raises(CommandError) as excinfo:
        workdays("add", "2027-03-01", "1")
    assert excinfo.value.returncode == 2
    assert "2027年的节假日安排尚未导入" in str(excinfo.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "缺少参数"),
        (("frob", "2026-01-01"), "未知的操作“frob”"),
        (("add", "2026-02-30", "1"), "日期“2026-02-30”无效"),
        (("add", "2026-02-12", "seven"), "天数“seven”无效"),
        (("add", "2026-02-12", "-1"), "天数“-1”无效"),
        (("add", "2026-02-12"), "add 需要 2 个参数"),
        (("check", "2026-02-12", "7"), "check 需要 1 个参数"),
    ],
)
def test_bad_arguments_are_refused_in_chinese_with_status_1(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        workdays(*args)
    assert message in str(excinfo.value)
    assert excinfo.value.returncode == 1


def test_run_as_a_program_an_unloaded_year_exits_2_with_the_year_on_stderr(tmp_path: Path) -> None:
    # A throwaway SQLite database: the program cannot see the test database's transaction.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SANXIANG_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "load_holidays"], env=env, check=True, capture_output=True)
    ok = subprocess.run(
        [*manage, "workdays", "add", "2026-02-12", "7"], env=env, capture_output=True, text=True
    )
    assert (ok.returncode, ok.stdout) == (0, "2026-02-28\n")
    missing = subprocess.run(
        [*manage, "workdays", "add", "2027-03-01", "1"], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert "2027年" in missing.stderr
    assert missing.stdout == ""
    bad = subprocess.run([*manage, "workdays", "add", "x", "1"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "日期“x”无效" in bad.stderr


def test_the_deadlines_app_has_no_missing_migrations() -> None:
    out = StringIO()
    call_command("makemigrations", "deadlines", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
