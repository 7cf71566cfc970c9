from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case
from sanxiang.evidence.models import Blob, Evidence, FixityCheck, FixityOutcome
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tests.conftest import CASE_NUMBER, objects_in, staged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(tmp_path: Path) -> Path:
    """A body-worn camera's card: two clips, a photo, a copy of one clip and a hidden system file."""
    root = tmp_path / "card" / "DCIM"
    root.mkdir(parents=True)
    (root / "CLIP0001.MP4").write_bytes(b"\x00clip one" * 300_000)
    (root / "CLIP0002.MP4").write_bytes(b"\x00clip two" * 1000)
    (root / "IMG0001.JPG").write_bytes(b"\xff\xd8photo")
    (root / "COPY0001.MP4").write_bytes(b"\x00clip one" * 300_000)
    (root / ".index").write_bytes(b"device bookkeeping")
    return tmp_path / "card"


def _import(folder: Path, **options: Any) -> None:
    call_command(
        "import_media",
        str(folder),
        case=options.get("case", CASE_NUMBER),
        collector=options.get("collector", "alice"),
    )


def test_import_media_stores_every_distinct_file_of_a_card_once(
    store: LocalStore, case: Case, card: Path
) -> None:
    _import(card)

    # COPY0001.MP4 holds CLIP0001.MP4's bytes: the case already has them, so it is skipped.
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "CLIP0001.MP4",
        "CLIP0002.MP4",
        "IMG0001.JPG",
    ]
    assert Blob.objects.count() == 3
    assert len(objects_in(store)) == 3
    assert staged_in(store) == []
    assert Event.objects.filter(event_type=EventType.EVIDENCE_INGESTED).count() == 3


def test_the_same_bytes_in_two_cases_are_two_items_of_one_stored_original(
    store: LocalStore, case: Case, card: Path, personas: Any
) -> None:
    other = Case.objects.create(
        agency=case.agency,
        number="（甲县）应急立〔2026〕2号",
        title=case.title,
        source=case.source,
        category=case.category,
        created_by=personas.alice,
    )
    other.case_officers.create(officer=personas.alice_officer)
    _import(card)
    _import(card, case=other.number)

    assert Evidence.objects.count() == 6
    assert Blob.objects.count() == 3
    assert len(objects_in(store)) == 3


def test_import_media_run_again_skips_what_is_stored(
    store: LocalStore, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (card / "DCIM" / "CLIP0002.MP4").rename(card.parent / "later.mp4")
    _import(card)
    (card.parent / "later.mp4").rename(card / "DCIM" / "CLIP0002.MP4")
    capsys.readouterr()

    _import(card)

    assert "新入库 1 个文件，已入库而跳过 3 个" in capsys.readouterr().out
    assert Evidence.objects.count() == 3
    assert Event.objects.filter(event_type=EventType.EVIDENCE_INGESTED).count() == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"case": "（甲县）应急立〔2026〕999号"}, "未找到编号为"),
        ({"collector": "nobody"}, "未找到用户“nobody”"),
        ({"collector": "charlie"}, "不是该案件的承办人员"),
    ],
)
def test_import_media_refuses_an_unknown_case_or_user_and_changes_nothing(
    store: LocalStore, case: Case, card: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _import(card, **options)
    assert not Evidence.objects.exists() and objects_in(store) == []


def test_import_media_refuses_an_unreadable_folder(store: LocalStore, case: Case, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件夹"):
        _import(tmp_path / "no-such-card")
    assert not Evidence.objects.exists()


def test_verify_fixity_passes_on_intact_originals_and_records_each_check(
    store: LocalStore, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(card)
    call_command("verify_fixity")

    assert "已核验 3 个原件：完好 3" in capsys.readouterr().out
    assert FixityCheck.objects.filter(outcome=FixityOutcome.INTACT).count() == 3
    assert Event.objects.filter(event_type=EventType.EVIDENCE_FIXITY_INTACT).count() == 3


def test_a_changed_stored_file_makes_verify_fixity_fail_naming_it(
    store: LocalStore, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(card)
    altered = Evidence.objects.get(original_name="IMG0001.JPG").blob
    missing = Evidence.objects.get(original_name="CLIP0002.MP4").blob
    altered_path = store.path_of(altered.storage_key)
    os.chmod(altered_path, 0o644)
    altered_path.write_bytes(b"\xff\xd8edited photo")
    store.path_of(missing.storage_key).unlink()

    with pytest.raises(CommandError, match="已被改动 1，缺失 1") as failed:
        call_command("verify_fixity")

    assert failed.value.returncode == 1
    errors = capsys.readouterr().err
    assert str(altered_path) in errors and altered.sha256 in errors
    assert missing.sha256 in errors
    assert Event.objects.filter(event_type=EventType.EVIDENCE_FIXITY_FAILED).count() == 2


def test_verify_fixity_reports_missing_storage_as_such(store: LocalStore, case: Case, card: Path) -> None:
    _import(card)
    store.objects.rename(store.root / "objects-moved")

    with pytest.raises(CommandError, match="证据存储目录不存在") as failed:
        call_command("verify_fixity")
    assert failed.value.returncode == 2
    assert not FixityCheck.objects.exists()


def test_verify_fixity_older_than_days_skips_recently_checked_originals(
    store: LocalStore, case: Case, card: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(card)
    call_command("verify_fixity")
    capsys.readouterr()

    call_command("verify_fixity", older_than_days=7)
    assert "已核验 0 个原件" in capsys.readouterr().out
    FixityCheck.objects.update(checked_at="2020-01-01T00:00:00Z")
    call_command("verify_fixity", older_than_days=7)
    assert "已核验 3 个原件" in capsys.readouterr().out


def test_expire_uploads_clears_idle_uploads_and_files_left_by_a_killed_import(
    store: LocalStore, case: Case, personas: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from sanxiang.evidence import services
    from sanxiang.evidence.models import Upload

    alice = personas.alice
    idle = services.upload_start(case=case, actor=alice, name="a.mp4", size=10)
    services.upload_append(upload=idle, offset=0, source=io.BytesIO(b"12345"), length=5, actor=alice)
    fresh = services.upload_start(case=case, actor=alice, name="b.mp4", size=10)
    services.upload_append(upload=fresh, offset=0, source=io.BytesIO(b"12345"), length=5, actor=alice)
    killed = store.stage()  # an import killed mid-file
    killed.append(iter([b"half a clip"]))
    long_ago = 1_600_000_000
    for path in (store.staging / f"{idle.pk}.part", killed.path):
        os.utime(path, (long_ago, long_ago))

    call_command("expire_uploads")

    assert "已放弃 1 个未完成的上传，删除 1 个中断留下的临时文件" in capsys.readouterr().out
    assert list(Upload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert staged_in(store) == [store.staging / f"{fresh.pk}.part"]
    assert objects_in(store) == [] and not Evidence.objects.exists()
    abandoned = Event.objects.get(event_type=EventType.EVIDENCE_UPLOAD_ABANDONED)
    assert abandoned.actor_id is None


def test_verify_fixity_reports_a_full_disk_as_such(
    store: LocalStore, case: Case, card: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(card)

    def no_space(self: LocalStore, key: str) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(LocalStore, "open", no_space)
    with pytest.raises(CommandError, match="磁盘已满，核验未完成") as failed:
        call_command("verify_fixity")
    assert failed.value.returncode == 2
