from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanxiang.cases.models import Case, CaseOfficer, CaseSource
from sanxiang.evidence.storage import LocalStore

CASE_NUMBER = "（甲县）应急立〔2026〕1号"


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> LocalStore:
    """The evidence store in a fresh folder of this test's own."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"
    return LocalStore(settings.EVIDENCE_ROOT)


@pytest.fixture
def case(personas: Any) -> Case:
    """A case of agency A handled by Alice."""
    case = Case.objects.create(
        agency=personas.agency_a,
        number=CASE_NUMBER,
        title="未按规定对安全设备进行经常性维护、保养",
        source=CaseSource.INSPECTION,
        category=personas.category,
        created_by=personas.alice,
    )
    CaseOfficer.objects.create(case=case, officer=personas.alice_officer)
    return case


def objects_in(store: LocalStore) -> list[Path]:
    return sorted(p for p in store.objects.rglob("*") if p.is_file()) if store.objects.exists() else []


def staged_in(store: LocalStore) -> list[Path]:
    return sorted(store.staging.glob("*")) if store.staging.exists() else []
