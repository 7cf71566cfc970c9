import pytest

from sanxiang.core.due import EVERY_ROLE
from sanxiang.worklist import selectors
from sanxiang.worklist.selectors import Show
from sanxiang.worklist.tests.conftest import TODAY, clock, install


def keys(work):
    return [item.key for item in work.items]


def test_items_come_overdue_first_then_by_due_date(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY)
    assert keys(work) == [
        "case:3:payment_due",
        "case:5:decision_due",
        "case:2:delivery_due",
        "case:4:hearing_request_due",
        "case:1:decision_due",
    ]


def test_overdue_filter_keeps_only_overdue_items(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY, show=Show.OVERDUE)
    assert keys(work) == ["case:3:payment_due"]


def test_week_filter_keeps_items_due_within_seven_days(personas, clocks):
    work = selectors.due_items_for(personas.alice, today=TODAY, show=Show.WEEK)
    assert "case:1:decision_due" not in keys(work)
    assert len(work.items) == 4


def test_the_counts_of_the_filters_agree_with_the_lists(personas, clocks):
    counts = selectors.work_counts(personas.alice, today=TODAY)
    assert (counts.overdue, counts.week, counts.all) == (1, 4, 5)
    for show in Show:
        assert counts.of(show) == len(selectors.due_items_for(personas.alice, today=TODAY, show=show).items)


def test_charlie_sees_only_agency_bs_clock(personas, clocks):
    assert keys(selectors.due_items_for(personas.charlie, today=TODAY)) == ["case:9:decision_due"]


def test_a_clock_naming_a_user_of_another_agency_is_not_shown_to_that_user(personas, monkeypatch):
    charlie = (personas.charlie.pk,)
    leaky = clock("case:1:x", 1, agency_id=personas.agency_a.pk, user_ids=charlie, roles=())
    own = clock("case:2:x", 1, agency_id=None, user_ids=charlie, roles=())
    install(monkeypatch, [leaky, own])
    assert keys(selectors.due_items_for(personas.charlie, today=TODAY)) == ["case:2:x"]
    assert selectors.work_counts(personas.charlie, today=TODAY).all == 1


def test_a_role_reaches_only_the_holders_in_the_clocks_own_agency(personas, monkeypatch):
    install(monkeypatch, [clock("case:1:x", 1, agency_id=personas.agency_a.pk, roles=("legal_reviewer",))])
    assert keys(selectors.due_items_for(personas.bob, today=TODAY)) == ["case:1:x"]
    assert keys(selectors.due_items_for(personas.alice, today=TODAY)) == []


def test_supervisor_sees_the_clocks_every_role_sees_in_agencies_below(personas, monkeypatch):
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk, roles=(EVERY_ROLE,))
    install(monkeypatch, [item])
    assert keys(selectors.due_items_for(personas.supervisor, today=TODAY)) == ["case:1:x"]
    assert keys(selectors.due_items_for(personas.alice, today=TODAY)) == ["case:1:x"]
    assert keys(selectors.due_items_for(personas.charlie, today=TODAY)) == []


def test_the_same_clock_from_two_providers_or_two_ways_is_shown_once(personas, monkeypatch):
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk, user_ids=(personas.alice.pk,))
    install(monkeypatch, [item], [item])
    assert keys(selectors.due_items_for(personas.alice, today=TODAY)) == ["case:1:x"]
    assert selectors.work_counts(personas.alice, today=TODAY).all == 1


def test_a_missing_holiday_table_is_reported_not_hidden(personas, monkeypatch):
    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk, provisional=True, missing_year=2031)
    install(monkeypatch, [item])
    work = selectors.due_items_for(personas.alice, today=TODAY)
    assert work.missing_years == [2031]
    assert keys(work) == ["case:1:x"]
    assert work.items[0].provisional
    assert selectors.missing_years_for(personas.charlie) == []


def test_an_anonymous_user_has_no_work(db, clocks):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.due_items_for(AnonymousUser(), today=TODAY).items == []
    assert selectors.work_counts(AnonymousUser(), today=TODAY).all == 0


def test_a_page_is_a_slice_of_the_whole_list(personas, monkeypatch):
    items = [clock(f"k:{n}", n - 50, agency_id=personas.agency_a.pk) for n in range(30)]
    install(monkeypatch, items)
    whole = selectors.due_items_for(personas.alice, today=TODAY).items
    listed = selectors.WorkList(personas.alice, today=TODAY, show=Show.ALL, count=len(whole))
    assert [i.key for i in listed[10:20]] == [i.key for i in whole[10:20]]
    assert listed[29].key == whole[29].key
    assert [i.key for i in listed] == [i.key for i in whole]
    with pytest.raises(IndexError):
        listed[30]


def test_titles_are_translated_when_shown(personas, monkeypatch):
    from django.utils import translation

    item = clock("case:1:x", 1, agency_id=personas.agency_a.pk)
    install(
        monkeypatch,
        [
            type(item)(
                key="case:1:x",
                title="督促缴纳第 %(n)s 期罚款",
                title_args={"n": 2},
                subject="某案",
                due=item.due,
                url="/x/",
                basis="行政处罚法第六十六条",
                agency_id=personas.agency_a.pk,
                user_ids=(personas.alice.pk,),
            )
        ],
    )
    [chinese] = selectors.due_items_for(personas.alice, today=TODAY).items
    assert (chinese.title, chinese.basis) == ("督促缴纳第 2 期罚款", "行政处罚法第六十六条")
    with translation.override("en"):
        [english] = selectors.due_items_for(personas.alice, today=TODAY).items
    assert "2" in english.title and "督促" not in english.title
    assert "66" in english.basis


@pytest.mark.parametrize(
    ("days_left", "expected"), [(-1, "overdue"), (0, "soon"), (3, "soon"), (4, ""), (30, "")]
)
def test_urgency_is_red_when_overdue_and_yellow_within_three_days(days_left, expected):
    assert selectors.urgency(clock("k", days_left, agency_id=None), TODAY) == expected
