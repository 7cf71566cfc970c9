from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanxiang.cases.models import Case, CaseOfficer, CaseSource
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.storage_s3 import S3Store
from sanxiang.evidence.testing.ceph_rgw import CephRGW, CephUnavailableError

CASE_NUMBER = "（甲县）应急立〔2026〕1号"


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> LocalStore:
    """The evidence store in a fresh folder of this test's own."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"
    return LocalStore(settings.EVIDENCE_ROOT)


@pytest.fixture(scope="session")
def ceph_rgw() -> Iterator[CephRGW]:
    """A real S3 server for this test run: a single-node Ceph cluster with its RADOS Gateway on loopback."""
    try:
        cluster = CephRGW().start()
    except CephUnavailableError as error:
        pytest.fail(f"The S3 tests need Ceph's RADOS Gateway: {error}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def s3_store(ceph_rgw: CephRGW, settings: Any, tmp_path: Path) -> S3Store:
    """The evidence store in a new bucket with object lock of this test's own, configured as the store."""
    settings.EVIDENCE_STORAGE = "s3"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_S3_ENDPOINT_URL = ceph_rgw.endpoint_url
    settings.EVIDENCE_S3_REGION = "us-east-1"
    settings.EVIDENCE_S3_BUCKET = f"evidence-{secrets.token_hex(6)}"
    settings.EVIDENCE_S3_ACCESS_KEY = ceph_rgw.access_key
    settings.EVIDENCE_S3_SECRET_KEY = ceph_rgw.secret_key
    settings.EVIDENCE_S3_LOCK_MODE = "COMPLIANCE"
    settings.EVIDENCE_RETENTION_YEARS = 30
    store = S3Store.from_settings()
    store.create_bucket()
    return store


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
