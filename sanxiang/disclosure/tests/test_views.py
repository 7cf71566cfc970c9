import datetime

import pytest
from django.urls import reverse

from sanxiang.agencies import services
from sanxiang.agencies.models import CertificateStatus


def _page(client, officer):
    return client.get(reverse("disclosure:credential", args=[officer.credential_token])).content.decode()


def test_a_valid_certificate_shows_as_valid(client, personas):
    body = _page(client, personas.alice_officer)
    assert "证件有效" in body
    assert personas.alice_officer.name in body and personas.alice_officer.certificate_number in body
    assert personas.agency_a.name in body and "安全生产" in body


@pytest.mark.parametrize(
    ("status", "text"),
    [(CertificateStatus.SUSPENDED, "证件已暂扣"), (CertificateStatus.REVOKED, "证件已注销")],
)
def test_a_suspended_or_revoked_certificate_is_shown_in_red(client, personas, status, text):
    services.officer_set_status(actor=None, officer=personas.alice_officer, status=status, reason="测试")
    body = _page(client, personas.alice_officer)
    assert text in body
    assert 'class="credential invalid"' in body


def test_an_expired_certificate_is_shown_in_red(client, personas):
    officer = services.officer_create(
        actor=None,
        agency=personas.agency_a,
        name="过期者",
        certificate_number="EXP1",
        categories=[personas.category],
        valid_from=datetime.date(2019, 1, 1),
        valid_to=datetime.date(2024, 1, 1),
    )
    body = _page(client, officer)
    assert "证件已过期" in body and 'class="credential invalid"' in body


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("disclosure:credential", args=["not-a-token"])).status_code == 404


def test_the_credential_page_does_not_reveal_the_account_or_reasons(client, personas):
    services.officer_set_status(
        actor=None, officer=personas.alice_officer, status=CertificateStatus.SUSPENDED, reason="内部考核细节"
    )
    body = _page(client, personas.alice_officer)
    assert "内部考核细节" not in body
    assert personas.alice.username not in body


def test_the_search_needs_both_number_and_name(client, personas):
    body = client.get(reverse("disclosure:credential_search"), {"number": "34152301001"}).content.decode()
    assert "请同时填写执法证号和姓名" in body
    found = client.get(
        reverse("disclosure:credential_search"), {"number": "34152301001", "name": "艾丽"}
    ).content.decode()
    assert "证件有效" in found
    missing = client.get(
        reverse("disclosure:credential_search"), {"number": "34152301001", "name": "别人"}
    ).content.decode()
    assert "未查到该执法证件" in missing


def test_the_portal_lists_agencies_and_their_public_officers(client, personas):
    services.officer_set_status(
        actor=None, officer=personas.charlie_officer, status=CertificateStatus.REVOKED, reason="调离"
    )
    home = client.get(reverse("disclosure:home")).content.decode()
    assert personas.agency_a.name in home
    page = client.get(reverse("disclosure:agency", args=[personas.agency_b.pk])).content.decode()
    assert personas.charlie_officer.certificate_number not in page
    page_a = client.get(reverse("disclosure:agency", args=[personas.agency_a.pk])).content.decode()
    assert personas.alice_officer.certificate_number in page_a
