import pytest

from sanxiang.coercion import permissions
from sanxiang.coercion.models import MeasureAction, PreservationAction
from sanxiang.coercion.tests.factories import approved, in_force, preservation_requested, requested
from sanxiang.core.personas import make_user

pytestmark = pytest.mark.django_db


def test_staff_of_the_agency_and_the_supervisor_above_see_a_measure(world):
    measure = requested(world)
    assert permissions.can_view_measure(world.p.alice, measure)
    assert permissions.can_view_measure(world.p.bob, measure)
    assert permissions.can_view_measure(world.p.supervisor, measure)
    assert not permissions.can_view_measure(world.p.charlie, measure)


def test_a_user_without_a_role_sees_nothing(world):
    nobody = make_user("nobody", agency=world.p.agency_a, roles=[])
    assert not permissions.can_view_measure(nobody, requested(world))


def test_officers_start_measures_only_in_their_own_agency(world):
    assert permissions.can_start_measure(world.p.alice, world.p.agency_a.pk)
    assert not permissions.can_start_measure(world.p.charlie, world.p.agency_a.pk)
    assert not permissions.can_start_measure(world.p.supervisor, world.p.agency_a.pk)
    assert not permissions.can_start_measure(world.p.bob, world.p.agency_a.pk)  # a legal reviewer only reads


def test_only_the_leader_approves_and_extends(world):
    measure = requested(world)
    assert permissions.can_perform_measure(world.leader, measure, MeasureAction.APPROVE)
    assert not permissions.can_perform_measure(world.section_head, measure, MeasureAction.APPROVE)
    assert not permissions.can_perform_measure(world.p.alice, measure, MeasureAction.APPROVE)
    measure = in_force(world)
    assert permissions.can_perform_measure(world.leader, measure, MeasureAction.EXTEND)
    assert not permissions.can_perform_measure(world.p.alice, measure, MeasureAction.EXTEND)
    assert permissions.can_perform_measure(world.p.alice, measure, MeasureAction.RELEASE)


def test_an_action_that_does_not_exist_from_the_stage_is_not_offered(world):
    measure = approved(world)
    assert not permissions.can_perform_measure(world.leader, measure, MeasureAction.APPROVE)
    assert permissions.can_perform_measure(world.p.alice, measure, MeasureAction.IMPLEMENT)


def test_the_draft_is_editable_until_the_decision(world):
    measure = approved(world)
    assert permissions.can_edit_measure_draft(world.p.alice, measure)
    assert not permissions.can_edit_measure_draft(world.p.charlie, measure)
    assert not permissions.can_edit_measure_draft(world.p.alice, in_force(world))


def test_a_section_head_or_leader_approves_a_preservation(world):
    preservation = preservation_requested(world)
    assert permissions.can_perform_preservation(world.section_head, preservation, PreservationAction.APPROVE)
    assert permissions.can_perform_preservation(world.leader, preservation, PreservationAction.APPROVE)
    assert not permissions.can_perform_preservation(world.p.alice, preservation, PreservationAction.APPROVE)
    assert not permissions.can_view_preservation(world.p.charlie, preservation)
