import datetime

import pytest

from sanxiang.agencies.models import CertificateStatus, EnforcementCategory
from sanxiang.inspections import services, workflow
from sanxiang.inspections.models import Handling, Inspection, InspectionTransition, Stage
from sanxiang.inspections.tests.factories import add_hazard, order, plan, record, recorded, sign_all
from sanxiang.inspections.workflow import Action, GuardFailed, TransitionNotAllowed

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 20)


def stages(inspection: Inspection) -> list[tuple[str, str, str]]:
    return [
        (t.source, t.action, t.target)
        for t in InspectionTransition.objects.filter(inspection=inspection).order_by("pk")
    ]


def test_every_row_of_the_table_leads_to_a_known_stage():
    for (source, action), step in workflow.TABLE.items():
        assert source in Stage.values
        assert action in Action.values
        assert step.target in Stage.values
    assert {s for s, _ in workflow.TABLE} == {
        Stage.PLANNED,
        Stage.RECORDED,
        Stage.RECTIFYING,
        Stage.RECHECKED,
    }


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (Stage.PLANNED, Action.RECHECK),
        (Stage.PLANNED, Action.CLOSE),
        (Stage.PLANNED, Action.ISSUE_ORDER),
        (Stage.RECORDED, Action.RECHECK),
        (Stage.RECORDED, Action.CANCEL),
        (Stage.RECTIFYING, Action.CLOSE),
        (Stage.RECTIFYING, Action.ISSUE_ORDER),
        (Stage.CLOSED, Action.TO_CASE),
        (Stage.TRANSFERRED, Action.CLOSE),
        (Stage.CANCELLED, Action.RECORD),
    ],
)
def test_forbidden_jumps_are_refused_in_chinese(stage, action):
    with pytest.raises(TransitionNotAllowed) as error:
        workflow.step(stage, action)
    assert "不能" in error.value.messages[0]


def test_record_row_moves_a_plan_to_recorded(team):
    inspection = recorded(team, signed=False)
    assert inspection.stage == Stage.RECORDED
    assert stages(inspection) == [(Stage.PLANNED, Action.RECORD, Stage.RECORDED)]


def test_cancel_row_needs_a_reason(team):
    inspection = plan(team)
    with pytest.raises(GuardFailed, match="理由"):
        services.inspection_cancel(inspection=inspection, actor=team.personas.alice, note=" ")
    services.inspection_cancel(inspection=inspection, actor=team.personas.alice, note="企业已停产")
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.CANCELLED


def test_close_row_from_recorded_when_every_hazard_was_corrected_on_the_spot(team):
    inspection = recorded(team)
    add_hazard(team, inspection, Handling.ON_SPOT)
    add_hazard(team, inspection, Handling.MEASURE)
    services.inspection_close(inspection=inspection, actor=team.personas.alice)
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.CLOSED


def test_close_is_refused_while_a_hazard_awaits_rectification(team):
    inspection = recorded(team)
    add_hazard(team, inspection, Handling.ORDER)
    with pytest.raises(GuardFailed, match="未整改完毕"):
        services.inspection_close(inspection=inspection, actor=team.personas.alice)


def test_issue_order_recheck_and_close_rows(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard])
    services.recheck_record(
        inspection=inspection,
        actor=team.personas.alice,
        results={hazard.pk: True},
        opinion="已整改",
        rechecked_on=DAY,
    )
    services.inspection_close(inspection=inspection, actor=team.personas.alice)
    assert stages(inspection) == [
        (Stage.PLANNED, Action.RECORD, Stage.RECORDED),
        (Stage.RECORDED, Action.ISSUE_ORDER, Stage.RECTIFYING),
        (Stage.RECTIFYING, Action.RECHECK, Stage.RECHECKED),
        (Stage.RECHECKED, Action.CLOSE, Stage.CLOSED),
    ]


def test_a_failed_recheck_blocks_closing_and_allows_a_new_order(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard])
    services.recheck_record(
        inspection=inspection,
        actor=team.personas.alice,
        results={hazard.pk: False},
        opinion="未整改",
        rechecked_on=DAY,
    )
    with pytest.raises(GuardFailed, match="未整改完毕"):
        services.inspection_close(inspection=inspection, actor=team.personas.alice)
    second = order(team, inspection, [hazard], issued_on=DAY, due_on=datetime.date(2026, 4, 3))
    assert second.number.endswith("〔2026〕2号")
    assert stages(inspection)[-1] == (Stage.RECHECKED, Action.ISSUE_ORDER, Stage.RECTIFYING)


def test_recheck_before_the_order_exists_is_refused(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    with pytest.raises(TransitionNotAllowed):
        services.recheck_record(
            inspection=inspection, actor=team.personas.alice, results={hazard.pk: True}, opinion="已整改"
        )
    with pytest.raises(GuardFailed, match="尚未下达"):
        workflow.recheck_written(inspection, workflow.Context(actor=None, on=DAY))


def test_order_is_refused_until_every_signature_is_in(team):
    inspection = record(team, plan(team))
    hazard = add_hazard(team, inspection)
    with pytest.raises(GuardFailed, match="尚未在现场检查记录上签名"):
        order(team, inspection, [hazard])
    assert not inspection.orders.exists()


def test_a_refusal_to_sign_with_a_note_completes_the_signatures(team):
    inspection = record(team, plan(team))
    sign_all(team, inspection, refused=True)
    workflow.signatures_complete(inspection, workflow.Context(actor=None, on=DAY))


def test_unit_head_must_sign_or_refuse_before_closing(team):
    inspection = record(team, plan(team))
    for officer in team.officers:
        services.signature_add(
            inspection=inspection, actor=team.personas.alice, signer_kind="officer", officer=officer
        )
    with pytest.raises(GuardFailed, match="被检查单位负责人尚未签名"):
        services.inspection_close(inspection=inspection, actor=team.personas.alice)


class TestTwoCertifiedOfficers:
    def test_a_plan_with_one_officer_is_refused(self, team):
        with pytest.raises(Exception, match="不得少于两人"):
            plan(team, officers=[team.personas.alice_officer])

    def test_two_certified_officers_pass(self, team):
        inspection = plan(team)
        workflow.officers_certified(inspection, workflow.Context(actor=None, on=DAY))

    def test_a_suspended_certificate_is_refused_at_the_next_act(self, team):
        inspection = plan(team)
        team.dan_officer.status = CertificateStatus.SUSPENDED
        team.dan_officer.save()
        with pytest.raises(GuardFailed, match="丹的执法证件"):
            record(team, inspection)
        assert Inspection.objects.get(pk=inspection.pk).stage == Stage.PLANNED
        assert not hasattr(Inspection.objects.get(pk=inspection.pk), "record")

    def test_an_expired_certificate_is_refused(self, team):
        team.dan_officer.valid_to = datetime.date(2026, 2, 28)
        team.dan_officer.save()
        with pytest.raises(GuardFailed, match="不在有效状态"):
            plan(team)
        assert not Inspection.objects.exists()

    def test_a_certificate_without_the_category_is_refused(self, team):
        other = EnforcementCategory.objects.create(code="ZYWS", name="职业卫生")
        with pytest.raises(GuardFailed, match="不含“职业卫生”"):
            plan(team, category=other)

    def test_the_check_uses_the_day_of_the_act(self, team):
        team.dan_officer.valid_to = datetime.date(2026, 3, 10)
        team.dan_officer.save()
        inspection = recorded(team)
        hazard = add_hazard(team, inspection)
        order(team, inspection, [hazard])
        with pytest.raises(GuardFailed, match="丹"):
            services.recheck_record(
                inspection=inspection,
                actor=team.personas.alice,
                results={hazard.pk: True},
                opinion="已整改",
                rechecked_on=DAY,
            )
        assert not inspection.orders.get().rechecks.exists()

    def test_signing_and_recording_hazards_are_acts_too(self, team):
        inspection = record(team, plan(team))
        team.dan_officer.status = CertificateStatus.REVOKED
        team.dan_officer.save()
        with pytest.raises(GuardFailed, match="丹"):
            services.signature_add(
                inspection=inspection,
                actor=team.personas.alice,
                signer_kind="officer",
                officer=team.dan_officer,
            )
        with pytest.raises(GuardFailed, match="丹"):
            add_hazard(team, inspection)
        assert not inspection.signatures.exists()
        assert not inspection.hazards.exists()
