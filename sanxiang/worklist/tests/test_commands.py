from io import StringIO

from django.core.management import call_command

from sanxiang.worklist.models import Notification


def run(**options):
    out = StringIO()
    call_command("check_deadlines", today="2026-03-10", stdout=out, **options)
    return out.getvalue().strip()


def test_check_deadlines_prints_its_counts_in_chinese(personas, clocks):
    assert run() == "已检查 6 项期限，新建提醒 7 条，逾期 1 项"


def test_check_deadlines_is_safe_to_run_twice(personas, clocks):
    run()
    assert run() == "已检查 6 项期限，新建提醒 0 条，逾期 1 项"
    assert Notification.objects.count() == 7


def test_check_deadlines_reads_the_window_from_the_settings(personas, clocks, settings):
    settings.SANXIANG_NOTIFY_DAYS_BEFORE = 0
    assert run() == "已检查 6 项期限，新建提醒 4 条，逾期 1 项"


def test_check_deadlines_takes_the_window_as_an_option(personas, clocks):
    assert run(days_before=7) == "已检查 6 项期限，新建提醒 9 条，逾期 1 项"


def test_check_deadlines_runs_with_every_installed_provider(personas, holidays):
    assert run() == "已检查 0 项期限，新建提醒 0 条，逾期 0 项"
