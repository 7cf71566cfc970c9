import pytest

from sanxiang.coercion import workflow
from sanxiang.coercion.models import MeasureAction, MeasureStage, PreservationAction, PreservationStage


def test_every_measure_action_has_a_row():
    assert {action for (_, action) in workflow.MEASURE_STEPS} == set(MeasureAction.values)


def test_every_preservation_action_has_a_row():
    assert {action for (_, action) in workflow.PRESERVATION_STEPS} == set(PreservationAction.values)


@pytest.mark.parametrize("stage", [MeasureStage.REFUSED, MeasureStage.RELEASED, MeasureStage.HANDLED])
def test_an_ended_measure_has_no_further_action(stage):
    assert workflow.measure_actions(stage) == []


def test_every_non_final_measure_stage_is_reachable_and_has_a_way_out():
    targets = {step.target for step in workflow.MEASURE_STEPS.values()}
    assert targets == set(MeasureStage.values)
    for stage in set(MeasureStage.values) - {
        MeasureStage.REFUSED,
        MeasureStage.RELEASED,
        MeasureStage.HANDLED,
    }:
        assert workflow.measure_actions(stage), stage


def test_only_the_leader_approves_a_measure_and_its_extension():
    for key in [
        (MeasureStage.REQUESTED, MeasureAction.APPROVE),
        (MeasureStage.REPORTED, MeasureAction.APPROVE),
        (MeasureStage.REPORTED, MeasureAction.REFUSE),
        (MeasureStage.IN_FORCE, MeasureAction.EXTEND),
    ]:
        assert workflow.MEASURE_STEPS[key].roles == {"leader"}


def test_a_section_head_may_approve_a_preservation():
    assert "section_head" in workflow.PRESERVATION_STEPS[(PreservationStage.REQUESTED, "approve")].roles


def test_an_unknown_move_is_refused_in_chinese():
    with pytest.raises(workflow.TransitionNotAllowed, match="查封扣押当前状态为“已解除”，不能执行“延长期限”"):
        workflow.measure_step(MeasureStage.RELEASED, MeasureAction.EXTEND)
    with pytest.raises(workflow.TransitionNotAllowed, match="先行登记保存当前状态为“待负责人批准”"):
        workflow.preservation_step(PreservationStage.REQUESTED, PreservationAction.HANDLE)
