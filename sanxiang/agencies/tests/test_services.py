import datetime

import pytest
from django.core.exceptions import ValidationError

from sanxiang.agencies import services
from sanxiang.agencies.models import CertificateStatus, Officer
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event


def _event_types():
    return [e.event_type for e in Event.objects.order_by("seq")]


def test_registering_an_officer_records_an_event(personas):
    officer = services.officer_create(
        actor=personas.alice,
        agency=personas.agency_a,
        name="新人",
        certificate_number="34152301099",
        categories=[personas.category],
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2030, 1, 1),
    )
    assert _event_types() == [EventType.OFFICER_CREATED]
    assert Event.objects.get().subject_id == str(officer.pk)


def test_an_officer_needs_a_category_and_nothing_is_saved_without_one(personas):
    with pytest.raises(ValidationError):
        services.officer_create(
            actor=None,
            agency=personas.agency_a,
            name="无类别",
            certificate_number="X1",
            categories=[],
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2030, 1, 1),
        )
    assert not Officer.objects.filter(certificate_number="X1").exists()
    assert _event_types() == []


def test_validity_cannot_end_before_it_starts(personas):
    with pytest.raises(ValidationError, match="有效期至不能早于有效期起"):
        services.officer_create(
            actor=None,
            agency=personas.agency_a,
            name="倒置",
            certificate_number="X2",
            categories=[personas.category],
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2025, 1, 1),
        )


def test_a_section_of_another_agency_is_refused(personas):
    section_b = services.section_create(actor=None, agency=personas.agency_b, name="乙股")
    with pytest.raises(ValidationError, match="股室不属于该执法机关"):
        services.officer_create(
            actor=None,
            agency=personas.agency_a,
            section=section_b,
            name="错股",
            certificate_number="X3",
            categories=[personas.category],
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2030, 1, 1),
        )


def test_suspending_needs_a_reason_and_keeps_history(personas):
    officer = personas.alice_officer
    versions = officer.history.count()
    with pytest.raises(ValidationError, match="说明理由"):
        services.officer_set_status(
            actor=None, officer=officer, status=CertificateStatus.SUSPENDED, reason=""
        )
    services.officer_set_status(
        actor=None, officer=officer, status=CertificateStatus.SUSPENDED, reason="考核"
    )
    officer.refresh_from_db()
    assert officer.status == CertificateStatus.SUSPENDED
    assert officer.history.count() == versions + 1
    assert officer.history.first().status == CertificateStatus.SUSPENDED
    assert Event.objects.filter(event_type=EventType.OFFICER_STATUS_CHANGED).count() == 1


def test_a_revoked_certificate_cannot_be_restored(personas):
    officer = personas.alice_officer
    services.officer_set_status(actor=None, officer=officer, status=CertificateStatus.REVOKED, reason="调离")
    with pytest.raises(ValidationError, match="已注销"):
        services.officer_set_status(
            actor=None, officer=officer, status=CertificateStatus.ACTIVE, reason="回来"
        )
    with pytest.raises(ValidationError, match="已注销"):
        services.officer_renew_certificate(
            actor=None,
            officer=officer,
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2031, 1, 1),
        )


def test_status_is_not_changed_through_the_general_update(personas):
    with pytest.raises(ValidationError, match="变更证件状态"):
        services.officer_update(actor=None, officer=personas.alice_officer, status=CertificateStatus.REVOKED)


def test_renewing_records_old_and_new_validity(personas):
    services.officer_renew_certificate(
        actor=None,
        officer=personas.alice_officer,
        valid_from=datetime.date(2030, 1, 1),
        valid_to=datetime.date(2034, 12, 31),
    )
    event = Event.objects.get(event_type=EventType.CERTIFICATE_RENEWED)
    assert "2029-12-31" in event.data and "2034-12-31" in event.data


@pytest.mark.parametrize(
    ("valid_to_offset", "status", "state"),
    [
        (100, CertificateStatus.ACTIVE, "valid"),
        (30, CertificateStatus.ACTIVE, "expiring"),
        (0, CertificateStatus.ACTIVE, "expiring"),
        (-1, CertificateStatus.ACTIVE, "expired"),
        (100, CertificateStatus.SUSPENDED, "suspended"),
        (100, CertificateStatus.REVOKED, "revoked"),
    ],
)
def test_certificate_state_on_a_day(valid_to_offset, status, state):
    today = datetime.date(2026, 11, 28)
    officer = Officer(
        valid_from=datetime.date(2024, 1, 1),
        valid_to=today + datetime.timedelta(days=valid_to_offset),
        status=status,
    )
    assert officer.certificate_state(today) == state
    assert officer.is_certified(today) == (state in {"valid", "expiring"})
