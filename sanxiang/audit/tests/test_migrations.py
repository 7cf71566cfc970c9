from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_audit_models_have_no_unmigrated_changes() -> None:
    call_command("makemigrations", "audit", "--check", "--dry-run", stdout=io.StringIO())
