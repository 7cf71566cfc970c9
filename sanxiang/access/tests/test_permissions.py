from __future__ import annotations

from typing import Any

from sanxiang.access import permissions
from sanxiang.access.models import AccessPolicy, Basis
from sanxiang.access.permissions import Route, Terms
from sanxiang.accounts.models import Role
from sanxiang.core.personas import make_user
from sanxiang.evidence.models import Evidence


def test_each_persona_opens_an_original_on_its_own_terms(clip: Evidence, personas: Any, leader: Any) -> None:
    head = make_user("hank", agency=personas.agency_a, roles=[Role.SECTION_HEAD])
    assert permissions.access_terms(personas.alice, clip) == Terms(Route.DIRECT, Basis.HANDLER)
    assert permissions.access_terms(leader, clip) == Terms(Route.DIRECT, Basis.LEADERSHIP)
    assert permissions.access_terms(head, clip) == Terms(Route.DIRECT, Basis.LEADERSHIP)
    assert permissions.access_terms(personas.bob, clip) == Terms(Route.REASON, Basis.REASON)
    assert permissions.access_terms(personas.supervisor, clip) == Terms(Route.REASON, Basis.SUPERVISOR)
    assert permissions.access_terms(personas.charlie, clip).route is Route.DENIED


def test_the_agencys_policy_puts_other_staff_behind_a_leaders_approval_but_not_supervisors(
    clip: Evidence, personas: Any
) -> None:
    AccessPolicy.objects.create(agency=personas.agency_a, approval_required=True)
    assert permissions.access_terms(personas.bob, clip) == Terms(Route.APPROVAL, Basis.APPROVED)
    assert permissions.access_terms(personas.supervisor, clip).route is Route.REASON
    assert permissions.access_terms(personas.alice, clip).route is Route.DIRECT


def test_a_supervisor_of_another_city_and_staff_of_the_city_itself_are_denied(
    clip: Evidence, personas: Any
) -> None:
    city_officer = make_user("cora", agency=personas.city, roles=[Role.OFFICER])
    other_supervisor = make_user("otto", agency=personas.agency_b, roles=[Role.SUPERVISOR])
    assert permissions.access_terms(city_officer, clip).route is Route.DENIED
    assert permissions.access_terms(other_supervisor, clip).route is Route.DENIED


def test_the_access_log_is_for_supervisors_and_leaders_over_their_agency_and_those_below(
    personas: Any, leader: Any
) -> None:
    assert permissions.access_log_agency_ids(personas.supervisor) == {personas.city.pk, personas.agency_a.pk}
    assert permissions.access_log_agency_ids(leader) == {personas.agency_a.pk}
    assert permissions.access_log_agency_ids(personas.alice) == set()
