from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sanxiang.accounts.models import Role, User
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseOfficer, CaseSource
from sanxiang.core.personas import make_user
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.services import evidence_import_file
from sanxiang.evidence.storage import LocalStore

CASE_NUMBER = "（甲县）应急立〔2026〕7号"
CLIP = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> LocalStore:
    """The evidence store in a fresh folder of this test's own."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"
    return LocalStore(settings.EVIDENCE_ROOT)


@pytest.fixture
def case(personas: Any) -> Case:
    """A case of agency A (a county under the city) handled by Alice."""
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


@pytest.fixture
def leader(personas: Any) -> User:
    """Agency A's leader (局长), who approves requests."""
    return make_user("lena", agency=personas.agency_a, roles=[Role.LEADER], name="黎娜")


def ingest(store: LocalStore, case: Case, collector: Any, name: str, data: bytes, tmp_path: Path) -> Evidence:
    source = tmp_path / "card" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    _outcome, evidence = evidence_import_file(path=source, case=case, collector=collector, store=store)
    assert evidence is not None
    return evidence


@pytest.fixture
def clip(store: LocalStore, case: Case, personas: Any, tmp_path: Path) -> Evidence:
    """A 10 KB recording of the case, imported from Alice's body-worn camera."""
    return ingest(store, case, personas.alice, "执法记录仪.mp4", CLIP, tmp_path)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(event_type: EventType) -> list[dict[str, Any]]:
    """The data of every audit event of this type, oldest first, with the actor's id as ``actor``."""
    rows = Event.objects.filter(event_type=event_type).order_by("seq")
    return [{**json.loads(row.data), "actor": row.actor_id} for row in rows]
