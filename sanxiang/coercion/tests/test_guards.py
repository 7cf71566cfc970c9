import pytest

from sanxiang.cases.workflow import Action, GuardFailed, registered_guards
from sanxiang.coercion import services
from sanxiang.coercion.guards import no_open_measure
from sanxiang.coercion.models import MeasureAction, PreservationAction
from sanxiang.coercion.tests.factories import in_force, preserved, requested

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", [Action.SUBMIT_CLOSING, Action.APPROVE_CLOSING])
def test_the_close_guard_is_registered_on_the_case_procedure(action):
    assert no_open_measure in registered_guards(action)


def test_a_case_with_a_measure_in_force_cannot_be_closed(world):
    measure = in_force(world)
    with pytest.raises(GuardFailed, match="查封扣押未解除或未作处理"):
        no_open_measure(world.case, world.p.alice, {})
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=world.p.alice, reference="r"
    )
    no_open_measure(world.case, world.p.alice, {})


def test_a_requested_measure_does_not_stop_closing(world):
    requested(world)
    no_open_measure(world.case, world.p.alice, {})


def test_a_case_with_preserved_evidence_cannot_be_closed(world):
    import datetime

    preservation = preserved(world, datetime.date(2026, 9, 24))
    with pytest.raises(GuardFailed, match="先行登记保存的证据尚未作出处理决定"):
        no_open_measure(world.case, world.p.alice, {})
    services.preservation_transition(
        preservation=preservation,
        action=PreservationAction.HANDLE,
        actor=world.p.alice,
        outcome="lift",
        decision_reference="d",
        decided_on=datetime.date(2026, 9, 25),
    )
    no_open_measure(world.case, world.p.alice, {})


def test_a_measure_of_another_case_does_not_stop_closing(world):
    in_force(world)
    no_open_measure(world.case_b, world.p.charlie, {})
