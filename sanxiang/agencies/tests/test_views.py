import datetime

from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import UserRole
from sanxiang.agencies import services
from sanxiang.agencies.models import CertificateStatus


def _expiring_expired_revoked(personas):
    today = timezone.localdate()
    make = services.officer_create
    soon = make(
        actor=None,
        agency=personas.agency_a,
        name="将到期",
        certificate_number="A-SOON",
        categories=[personas.category],
        valid_from=datetime.date(2022, 1, 1),
        valid_to=today + datetime.timedelta(days=10),
    )
    old = make(
        actor=None,
        agency=personas.agency_a,
        name="已过期",
        certificate_number="A-OLD",
        categories=[personas.category],
        valid_from=datetime.date(2020, 1, 1),
        valid_to=today - datetime.timedelta(days=3),
    )
    gone = make(
        actor=None,
        agency=personas.agency_a,
        name="已注销",
        certificate_number="A-GONE",
        categories=[personas.category],
        valid_from=datetime.date(2022, 1, 1),
        valid_to=datetime.date(2030, 1, 1),
    )
    services.officer_set_status(actor=None, officer=gone, status=CertificateStatus.REVOKED, reason="调离")
    return soon, old, gone


def test_the_officer_list_shows_expiring_expired_and_revoked_certificates(client, personas):
    _expiring_expired_revoked(personas)
    client.force_login(personas.alice)
    body = client.get(reverse("agencies:officer_list")).content.decode()
    assert "证件即将到期" in body
    assert "即将到期（剩 10 天）" in body
    assert "已过期" in body
    assert "已注销" in body


def test_the_attention_filter_leaves_only_certificates_that_need_action(client, personas):
    _expiring_expired_revoked(personas)
    client.force_login(personas.alice)
    body = client.get(reverse("agencies:officer_list") + "?state=attention").content.decode()
    assert "A-SOON" in body and "A-OLD" in body and "A-GONE" in body
    assert personas.alice_officer.certificate_number not in body


def test_charlie_sees_nothing_of_agency_a(client, personas):
    client.force_login(personas.charlie)
    body = client.get(reverse("agencies:officer_list")).content.decode()
    assert personas.alice_officer.certificate_number not in body
    assert client.get(reverse("agencies:officer_detail", args=[personas.alice_officer.pk])).status_code == 404
    assert client.get(reverse("agencies:officer_card", args=[personas.alice_officer.pk])).status_code == 404
    assert client.get(reverse("agencies:overview") + f"?agency={personas.agency_a.pk}").status_code == 404


def test_a_supervisor_reads_the_agencies_below(client, personas):
    client.force_login(personas.supervisor)
    body = client.get(reverse("agencies:supervised")).content.decode()
    assert personas.agency_a.name in body
    assert personas.agency_b.name not in body
    listing = client.get(
        reverse("agencies:officer_list") + f"?agency={personas.agency_a.pk}"
    ).content.decode()
    assert personas.alice_officer.certificate_number in listing


def test_only_supervisors_open_the_supervision_page(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("agencies:supervised")).status_code == 403


def test_the_card_links_to_the_public_page_by_token_not_by_id(client, personas):
    client.force_login(personas.alice)
    body = client.get(reverse("agencies:officer_card", args=[personas.alice_officer.pk])).content.decode()
    assert f"/credential/{personas.alice_officer.credential_token}/" in body
    assert "<svg" in body
    png = client.get(reverse("agencies:officer_qr_png", args=[personas.alice_officer.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_only_the_agency_admin_or_leader_changes_a_certificate(client, personas):
    client.force_login(personas.alice)
    url = reverse("agencies:officer_status", args=[personas.alice_officer.pk])
    assert client.post(url, {"status": "suspended", "reason": "自己"}).status_code == 403
    UserRole.objects.create(user=personas.bob, role="leader")
    client.force_login(personas.bob)
    response = client.post(url, {"status": "suspended", "reason": "考核不合格"}, follow=True)
    assert "证件状态已变更" in response.content.decode()
    personas.alice_officer.refresh_from_db()
    assert personas.alice_officer.status == CertificateStatus.SUSPENDED


def test_a_status_change_without_a_reason_changes_nothing(client, personas):
    UserRole.objects.create(user=personas.bob, role="leader")
    client.force_login(personas.bob)
    url = reverse("agencies:officer_status", args=[personas.alice_officer.pk])
    response = client.post(url, {"status": "suspended", "reason": ""}, follow=True)
    assert "理由" in response.content.decode()
    personas.alice_officer.refresh_from_db()
    assert personas.alice_officer.status == CertificateStatus.ACTIVE


def test_rotating_the_token_retires_the_old_qr_code(client, personas):
    UserRole.objects.create(user=personas.bob, role="admin")
    old_token = personas.alice_officer.credential_token
    client.force_login(personas.bob)
    client.post(reverse("agencies:officer_rotate_token", args=[personas.alice_officer.pk]))
    assert client.get(reverse("disclosure:credential", args=[old_token])).status_code == 404
    personas.alice_officer.refresh_from_db()
    assert (
        client.get(
            reverse("disclosure:credential", args=[personas.alice_officer.credential_token])
        ).status_code
        == 200
    )
