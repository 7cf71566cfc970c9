"""The catalog is edited in the admin: a type that issued documents use is versioned, not changed in place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.tests.factories import open_case
from sanxiang.documents.admin import EDITABLE
from sanxiang.documents.models import Document, DocumentSettings, DocumentType, SerialScope
from sanxiang.documents.testing import issue


@pytest.fixture
def admin_client(client: Any, world: Any) -> Any:
    from sanxiang.accounts.models import User

    root = User.objects.create_superuser(
        username="root", password="x-Long-Password-1", agency=world.p.agency_a
    )
    client.force_login(root)
    return client


def _form(doc_type: DocumentType, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in EDITABLE:
        value = changes.get(name, getattr(doc_type, name))
        if isinstance(value, list | dict):
            data[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def _national(key: str) -> DocumentType:
    return DocumentType.objects.get(agency__isnull=True, key=key, current=True)


def test_a_type_nobody_issued_changes_in_place(admin_client: Any, world: Any) -> None:
    doc_type = _national("inquiry_notice")
    url = reverse("admin:documents_documenttype_change", args=[doc_type.pk])
    response = admin_client.post(url, _form(doc_type, title="询问通知书（新式样）"))
    assert response.status_code == 302
    doc_type.refresh_from_db()
    assert (doc_type.title, doc_type.version, doc_type.current) == ("询问通知书（新式样）", 1, True)
    assert Event.objects.filter(event_type=EventType.DOCUMENT_TYPE_CHANGED).count() == 1


def test_a_type_with_issued_documents_gets_a_new_version(admin_client: Any, world: Any) -> None:
    issued = issue(open_case(world), "filing_approval")
    doc_type = _national("filing_approval")
    url = reverse("admin:documents_documenttype_change", args=[doc_type.pk])
    response = admin_client.post(url, _form(doc_type, title="立案审批表（新式样）"), follow=True)
    assert "已另立第 2 版" in response.content.decode()
    issued.refresh_from_db()
    assert issued.type.title == "立案审批表" and not issued.type.current
    assert _national("filing_approval").title == "立案审批表（新式样）"
    assert Document.objects.get(pk=issued.pk).type.version == 1


def test_a_bad_field_list_is_refused_naming_the_problem(admin_client: Any, world: Any) -> None:
    doc_type = _national("inquiry_notice")
    url = reverse("admin:documents_documenttype_change", args=[doc_type.pk])
    bad = [{"name": "x", "label": "甲", "kind": "colour"}]
    response = admin_client.post(url, _form(doc_type, fields=bad))
    assert response.status_code == 200
    assert "字段类型“colour”无效" in response.content.decode()
    doc_type.refresh_from_db()
    assert doc_type.fields != bad


def test_documents_are_read_only_in_the_admin(admin_client: Any, world: Any) -> None:
    document = issue(open_case(world), "filing_approval")
    assert admin_client.get(reverse("admin:documents_document_change", args=[document.pk])).status_code == 200
    assert admin_client.get(reverse("admin:documents_document_add")).status_code == 403
    assert admin_client.get(reverse("admin:documents_document_delete", args=[document.pk])).status_code == 403


def test_the_numbering_setting_is_saved_through_the_service(admin_client: Any, world: Any) -> None:
    response = admin_client.post(
        reverse("admin:documents_documentsettings_add"),
        {"agency": world.p.agency_a.pk, "serial_scope": SerialScope.PER_CASE},
    )
    assert response.status_code == 302
    assert DocumentSettings.objects.get(agency=world.p.agency_a).serial_scope == SerialScope.PER_CASE
    assert Event.objects.filter(event_type=EventType.DOCUMENT_SETTINGS_CHANGED).count() == 1
