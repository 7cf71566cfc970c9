import pytest
from django.core.exceptions import ValidationError

from sanxiang.accounts.models import User
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.core.due import EVERY_ROLE
from sanxiang.core.personas import make_user
from sanxiang.worklist import services
from sanxiang.worklist.models import Notification
from sanxiang.worklist.tests.conftest import TODAY, clock, install


def notified(user):
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_check_notifies_of_overdue_clocks_and_those_due_within_the_window(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    assert notified(personas.alice) == {"case:2:delivery_due", "case:3:payment_due", "case:5:decision_due"}
    assert notified(personas.bob) == notified(personas.alice)


def test_check_counts_distinct_clocks_notifications_and_overdue_clocks(personas, clocks):
    result = services.notifications_create_due(today=TODAY, days_before=3)
    # alice and bob see A's five clocks, charlie B's one; three of A's and B's one are near.
    assert (result.checked, result.created, result.overdue) == (6, 2 * 3 + 1, 1)


def test_check_run_twice_creates_nothing_the_second_time(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    events = Event.objects.filter(event_type=EventType.NOTIFICATION_CREATED).count()
    again = services.notifications_create_due(today=TODAY, days_before=3)
    assert again.created == 0
    assert Notification.objects.count() == 7
    assert Event.objects.filter(event_type=EventType.NOTIFICATION_CREATED).count() == events


def test_a_clock_coming_into_the_window_later_is_notified_then(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    later = services.notifications_create_due(today=TODAY.replace(day=13), days_before=3)
    # case:4 (six days left on the 10th) is three days from due on the 13th.
    assert later.created == 2
    assert "case:4:hearing_request_due" in notified(personas.alice)


def test_each_notification_is_recorded_in_the_audit_log_without_personal_data(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    notification = Notification.objects.get(user=personas.charlie)
    event = Event.objects.get(
        event_type=EventType.NOTIFICATION_CREATED,
        subject_type="worklist.notification",
        subject_id=str(notification.pk),
    )
    assert event.agency_id == personas.agency_b.pk
    assert "案件" not in event.data
    assert "case:9:decision_due" in event.data


def test_charlie_is_never_told_of_agency_as_clocks(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    assert notified(personas.charlie) == {"case:9:decision_due"}


def test_a_clock_naming_its_users_is_told_only_to_them(personas, monkeypatch):
    item = clock(
        "case:1:x",
        1,
        agency_id=personas.agency_a.pk,
        user_ids=(personas.alice.pk,),
        roles=(EVERY_ROLE,),
        tell_roles=False,
    )
    install(monkeypatch, [item])
    services.notifications_create_due(today=TODAY, days_before=3)
    assert notified(personas.alice) == {"case:1:x"}
    assert notified(personas.bob) == set()


def test_inactive_users_and_users_without_an_agency_are_not_told(personas, monkeypatch):
    gone = make_user("gone", agency=personas.agency_a, roles=["officer"], is_active=False)
    nobody = User.objects.create_user(username="nobody", password="x")
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk, user_ids=(gone.pk, nobody.pk))
    install(monkeypatch, [item])
    services.notifications_create_due(today=TODAY, days_before=3)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"alice", "bob"}


def test_a_role_is_told_in_the_clocks_agency_and_every_role_in_the_agencies_above(personas, monkeypatch):
    a = personas.agency_a.pk
    install(
        monkeypatch,
        [
            clock("case:1:reviewers", 1, agency_id=a, roles=("legal_reviewer",)),
            clock("case:2:everyone", 1, agency_id=a, roles=(EVERY_ROLE,)),
        ],
    )
    services.notifications_create_due(today=TODAY, days_before=3)
    assert notified(personas.bob) == {"case:1:reviewers", "case:2:everyone"}
    assert notified(personas.alice) == {"case:2:everyone"}
    assert notified(personas.supervisor) == {"case:2:everyone"}
    assert notified(personas.charlie) == set()


def test_who_is_told_is_who_the_rule_tells(personas, monkeypatch):
    from sanxiang.agencies.selectors import visible_agency_ids
    from sanxiang.core import due

    a = personas.agency_a.pk
    items = [
        clock(
            "case:1:a", 0, agency_id=a, user_ids=(personas.alice.pk,), roles=(EVERY_ROLE,), tell_roles=False
        ),
        clock("case:2:b", 0, agency_id=a, roles=("legal_reviewer", "leader")),
        clock("case:3:c", 0, agency_id=a, user_ids=(personas.charlie.pk,), roles=()),
        clock("case:4:d", 0, agency_id=personas.agency_b.pk, roles=(EVERY_ROLE,)),
    ]
    install(monkeypatch, items)
    services.notifications_create_due(today=TODAY, days_before=0)
    for user in (personas.alice, personas.bob, personas.charlie, personas.supervisor):
        agencies = visible_agency_ids(user)
        assert notified(user) == {i.key for i in items if due.told(i, user, agency_ids=agencies)}


def test_a_negative_window_is_refused(personas, clocks):
    with pytest.raises(ValidationError, match="不能为负数"):
        services.notifications_create_due(today=TODAY, days_before=-1)
    assert Notification.objects.count() == 0


@pytest.fixture
def notification(personas, clocks):
    services.notifications_create_due(today=TODAY, days_before=3)
    return Notification.objects.filter(user=personas.alice).first()


def test_marking_read_sets_the_time_and_records_an_event(personas, notification):
    services.notification_mark_read(actor=personas.alice, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None
    events = Event.objects.filter(event_type=EventType.NOTIFICATION_READ, subject_id=str(notification.pk))
    assert [e.actor_id for e in events] == [personas.alice.pk]


def test_marking_read_twice_changes_nothing_the_second_time(personas, notification):
    first = services.notification_mark_read(actor=personas.alice, notification=notification)
    second = services.notification_mark_read(actor=personas.alice, notification=notification)
    assert second.read_at == first.read_at
    assert Event.objects.filter(event_type=EventType.NOTIFICATION_READ).count() == 1


def test_nobody_marks_another_users_notification(personas, notification):
    with pytest.raises(ValidationError, match="只能标记本人的提醒"):
        services.notification_mark_read(actor=personas.bob, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not Event.objects.filter(event_type=EventType.NOTIFICATION_READ).exists()
