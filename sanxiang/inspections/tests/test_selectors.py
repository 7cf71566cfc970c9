import datetime

import pytest

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core import due
from sanxiang.core.due import providers
from sanxiang.core.personas import make_user
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Stage
from sanxiang.inspections.tests.factories import add_hazard, order, plan, recorded

pytestmark = pytest.mark.django_db


def due_items_for(user):
    """The inspections' clocks ``user`` finds on "my work"."""
    agencies = visible_agency_ids(user)
    return [i for i in selectors.clocks_of(None) if due.shown_to(i, user, agency_ids=agencies)]


def test_charlie_sees_none_of_agency_as_inspections(team, personas):
    inspection = plan(team)
    assert list(selectors.inspection_list_for(personas.charlie)) == []
    with pytest.raises(type(inspection).DoesNotExist):
        selectors.inspection_get_for(personas.charlie, inspection.pk)


def test_the_city_supervisor_sees_agency_as_inspections(team, personas):
    inspection = plan(team)
    assert list(selectors.inspection_list_for(personas.supervisor)) == [inspection]


def test_list_filters_by_stage_and_overdue(team, personas):
    planned = plan(team)
    late = recorded(team)
    order(team, late, [add_hazard(team, late)])
    assert list(selectors.inspection_search_for(personas.alice, stage=Stage.PLANNED)) == [planned]
    assert list(
        selectors.inspection_search_for(personas.alice, overdue=True, today=datetime.date(2026, 3, 17))
    ) == [late]
    assert not selectors.inspection_search_for(personas.alice, overdue=True, today=datetime.date(2026, 3, 16))


def test_the_app_offers_its_clocks_to_the_worklist():
    assert selectors.clocks_of in providers()


def test_due_items_give_the_rectification_and_recheck_dates(holidays, team, personas):
    inspection = recorded(team)
    the_order = order(team, inspection, [add_hazard(team, inspection)])
    items = {item.key.rsplit(":", 1)[1]: item for item in due_items_for(personas.alice)}
    assert items["rectification_due"].due == datetime.date(2026, 3, 16)
    assert items["rectification_due"].is_overdue(datetime.date(2026, 3, 17))
    assert items["recheck_due"].due == datetime.date(2026, 3, 26)
    assert the_order.number in items["recheck_due"].title_text()
    assert set(items["recheck_due"].user_ids) == {personas.alice.pk, team.dan.pk}
    assert (items["recheck_due"].roles, items["recheck_due"].tell_roles) == (
        ("section_head", "leader"),
        False,
    )


def test_recheck_due_rolls_over_a_holiday(holidays, team):
    inspection = recorded(team)
    # 2026-09-21 + 10 days = 2026-10-01, 国庆节: the period ends on the next working day.
    the_order = order(team, inspection, [add_hazard(team, inspection)], due_on=datetime.date(2026, 9, 21))
    assert selectors.recheck_due(the_order) > datetime.date(2026, 10, 1)


def test_due_items_end_with_the_recheck(holidays, team, personas):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard])
    services.recheck_record(
        inspection=inspection,
        actor=personas.alice,
        results={hazard.pk: True},
        opinion="已整改",
        rechecked_on=datetime.date(2026, 3, 16),
    )
    assert due_items_for(personas.alice) == []


def test_due_items_reach_the_inspections_officers_and_section_heads_only(holidays, team, personas):
    inspection = recorded(team)
    order(team, inspection, [add_hazard(team, inspection)])
    assert due_items_for(personas.charlie) == []
    assert due_items_for(make_user("eve", agency=personas.agency_a, roles=["officer"])) == []
    head = make_user("head", agency=personas.agency_a, roles=["section_head"])
    assert len(due_items_for(head)) == 2
    agencies = visible_agency_ids(head)
    assert not any(due.told(i, head, agency_ids=agencies) for i in due_items_for(head))
