import datetime

import pytest
from django.core.exceptions import ValidationError

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseSource
from sanxiang.inspections import services
from sanxiang.inspections.models import Handling, Hazard, Inspection, InspectionTransition, Stage
from sanxiang.inspections.tests.factories import add_hazard, order, plan, recorded
from sanxiang.inspections.workflow import GuardFailed, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_conversion_carries_party_officers_and_facts_and_links_back(team):
    inspection = recorded(team)
    chosen = add_hazard(team, inspection, description="仓库内危险化学品混存")
    other = add_hazard(team, inspection, Handling.ON_SPOT, description="灭火器过期")
    case = services.inspection_to_case(
        inspection=inspection, actor=team.personas.alice, hazards=[chosen], title="某某公司危险化学品混存案"
    )
    assert case.source == CaseSource.INSPECTION
    assert case.source_reference == inspection.number
    assert case.title == "某某公司危险化学品混存案"
    assert [link.party for link in case.case_parties.all()] == [team.party]
    assert {link.officer for link in case.case_officers.all()} == set(team.officers)
    assert "仓库内危险化学品混存" in case.facts
    assert "危险化学品安全管理条例" in case.facts
    assert "灭火器过期" not in case.facts
    inspection = Inspection.objects.get(pk=inspection.pk)
    assert inspection.case == case
    assert inspection.stage == Stage.TRANSFERRED
    assert Hazard.objects.get(pk=chosen.pk).case == case
    assert Hazard.objects.get(pk=other.pk).case is None
    event = Event.objects.filter(event_type=EventType.INSPECTION_CONVERTED_TO_CASE).get()
    assert event.subject_id == str(inspection.pk)


def test_conversion_needs_at_least_one_hazard_of_this_inspection(team):
    inspection = recorded(team)
    add_hazard(team, inspection)
    with pytest.raises(ValidationError, match="请选择"):
        services.inspection_to_case(inspection=inspection, actor=team.personas.alice, hazards=[], title="案")
    stranger = add_hazard(team, recorded(team))
    with pytest.raises(ValidationError, match="不属于本次检查"):
        services.inspection_to_case(
            inspection=inspection, actor=team.personas.alice, hazards=[stranger], title="案"
        )
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.RECORDED
    assert Inspection.objects.get(pk=inspection.pk).case is None


def test_a_plan_cannot_be_turned_into_a_case(team):
    inspection = plan(team)
    with pytest.raises(TransitionNotAllowed):
        services.inspection_to_case(inspection=inspection, actor=team.personas.alice, hazards=[], title="案")


def test_a_bad_case_title_changes_nothing(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    with pytest.raises(ValidationError, match="案由"):
        services.inspection_to_case(
            inspection=inspection, actor=team.personas.alice, hazards=[hazard], title=" "
        )
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.RECORDED
    assert not Event.objects.filter(event_type=EventType.INSPECTION_CONVERTED_TO_CASE).exists()


def test_to_case_rows_from_rectifying_and_rechecked(team):
    rectifying = recorded(team)
    first = add_hazard(team, rectifying)
    order(team, rectifying, [first])
    services.inspection_to_case(
        inspection=rectifying, actor=team.personas.alice, hazards=[first], title="逾期未整改案"
    )

    rechecked = recorded(team)
    second = add_hazard(team, rechecked)
    order(team, rechecked, [second])
    services.recheck_record(
        inspection=rechecked,
        actor=team.personas.alice,
        results={second.pk: False},
        opinion="未整改",
        rechecked_on=datetime.date(2026, 3, 17),
    )
    services.inspection_to_case(
        inspection=rechecked, actor=team.personas.alice, hazards=[second], title="逾期未整改案"
    )

    rows = InspectionTransition.objects.filter(action="to_case").order_by("pk")
    assert [(t.source, t.target) for t in rows] == [
        (Stage.RECTIFYING, Stage.TRANSFERRED),
        (Stage.RECHECKED, Stage.TRANSFERRED),
    ]


def test_to_case_from_the_record_needs_the_signatures(team):
    inspection = recorded(team, signed=False)
    hazard = add_hazard(team, inspection)
    with pytest.raises(GuardFailed, match="签名"):
        services.inspection_to_case(
            inspection=inspection, actor=team.personas.alice, hazards=[hazard], title="案"
        )
    assert not Case.objects.exists()


def test_a_converted_lead_carries_the_inspection_day_as_the_offence_date_and_can_be_filed(team):
    from sanxiang.cases.services import case_transition
    from sanxiang.cases.workflow import Action as CaseAction
    from sanxiang.cases.workflow import Stage as CaseStage

    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    case = services.inspection_to_case(
        inspection=inspection, actor=team.personas.alice, hazards=[hazard], title="危险化学品混存案"
    )
    inspected_on = datetime.date(2026, 3, 2)
    assert (case.act_date, case.discovered_on) == (inspected_on, inspected_on)
    assert case.procedure == "general"
    case_transition(case=case, action=CaseAction.SUBMIT_FILING, actor=team.personas.alice)
    assert case.stage == CaseStage.FILING_SUBMITTED


def test_an_earlier_offence_date_given_at_conversion_is_kept(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    case = services.inspection_to_case(
        inspection=inspection,
        actor=team.personas.alice,
        hazards=[hazard],
        title="危险化学品混存案",
        act_date=datetime.date(2026, 1, 15),
    )
    assert case.act_date == datetime.date(2026, 1, 15)


def test_an_offence_date_after_the_inspection_is_refused_and_nothing_is_converted(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    with pytest.raises(ValidationError, match="发现日期不能早于违法行为发生日期"):
        services.inspection_to_case(
            inspection=inspection,
            actor=team.personas.alice,
            hazards=[hazard],
            title="危险化学品混存案",
            act_date=datetime.date(2026, 3, 5),
        )
    assert not Case.objects.exists()
    assert Hazard.objects.get(pk=hazard.pk).case is None
