import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import UserRole
from sanxiang.agencies.models import RandomCheckItem
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.core.personas import make_user
from sanxiang.documents import numbering
from sanxiang.documents.models import NumberSeries
from sanxiang.inspections import services
from sanxiang.inspections.models import Handling, Inspection, Signature, Stage
from sanxiang.inspections.tests.factories import add_hazard, order, plan, record, recorded, sign_all
from sanxiang.inspections.workflow import GuardFailed

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 20)


def test_plan_gets_a_number_and_its_officers(team):
    inspection = plan(team)
    assert inspection.number == "（甲县）应急检查〔2026〕1号"
    assert inspection.stage == Stage.PLANNED
    assert {a.officer for a in inspection.assignments.all()} == set(team.officers)


def test_plan_takes_items_of_the_agencys_random_check_list_only(team, personas):
    mine = RandomCheckItem.objects.create(
        agency=personas.agency_a,
        category="危化",
        item="储存场所",
        targets="危化企业",
        basis="条例",
        responsible_unit="股",
    )
    theirs = RandomCheckItem.objects.create(
        agency=personas.agency_b,
        category="危化",
        item="储存场所",
        targets="危化企业",
        basis="条例",
        responsible_unit="股",
    )
    assert list(plan(team, check_items=[mine]).check_items.all()) == [mine]
    with pytest.raises(ValidationError) as error:
        plan(team, check_items=[theirs])
    assert "check_items" in error.value.message_dict


def test_plan_refuses_an_officer_of_another_agency(team, personas):
    with pytest.raises(ValidationError, match="本机关执法人员"):
        plan(team, officers=[personas.alice_officer, personas.charlie_officer])


def test_plan_refuses_a_party_of_another_agency(team, personas):
    from sanxiang.parties.tests.factories import make_company

    foreign = make_company(actor=personas.charlie, agency=personas.agency_b)
    with pytest.raises(ValidationError, match="当事人名录"):
        plan(team, party=foreign)


def test_charlie_cannot_plan_in_agency_a(team, personas):
    with pytest.raises(PermissionDenied):
        plan(team, actor=personas.charlie)


def test_a_legal_reviewer_cannot_plan(team, personas):
    with pytest.raises(PermissionDenied):
        plan(team, actor=personas.bob)


def test_only_the_inspections_officers_or_a_section_head_may_act(team, personas):
    inspection = plan(team)
    outsider = make_user("eve", agency=personas.agency_a, roles=["officer"])
    with pytest.raises(PermissionDenied):
        record(team, inspection, actor=outsider)
    with pytest.raises(PermissionDenied):
        record(team, inspection, actor=personas.bob)
    UserRole.objects.create(user=outsider, role="section_head")
    outsider.forget_roles()
    record(team, inspection, actor=outsider)
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.RECORDED


def test_record_end_before_start_is_refused_and_changes_nothing(team):
    inspection = plan(team)
    with pytest.raises(ValidationError, match="结束时间"):
        early = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=timezone.get_current_timezone())
        record(team, inspection, ended_at=early)
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.PLANNED


def test_refusal_to_sign_needs_a_note(team):
    inspection = record(team, plan(team))
    with pytest.raises(ValidationError, match="记录在案"):
        services.signature_add(
            inspection=inspection,
            actor=team.personas.alice,
            signer_kind="unit_head",
            signer_name="李四",
            refused=True,
        )
    assert not Signature.objects.exists()
    signature = services.signature_add(
        inspection=inspection,
        actor=team.personas.alice,
        signer_kind="unit_head",
        signer_name="李四",
        refused=True,
        note="拒绝签名",
        witness="王五",
    )
    assert signature.refused and signature.witness == "王五"


def test_an_officer_not_on_the_inspection_cannot_sign(team, personas):
    inspection = record(team, plan(team))
    with pytest.raises(ValidationError, match="本次检查的执法人员"):
        services.signature_add(
            inspection=inspection,
            actor=personas.alice,
            signer_kind="officer",
            officer=personas.charlie_officer,
        )


def test_an_officer_signs_once(team):
    inspection = record(team, plan(team))
    services.signature_add(
        inspection=inspection, actor=team.personas.alice, signer_kind="officer", officer=team.dan_officer
    )
    with pytest.raises(ValidationError, match="已签名"):
        services.signature_add(
            inspection=inspection, actor=team.personas.alice, signer_kind="officer", officer=team.dan_officer
        )


def test_on_the_spot_correction_needs_a_note(team):
    inspection = recorded(team)
    with pytest.raises(ValidationError, match="整改情况"):
        add_hazard(team, inspection, Handling.ON_SPOT, corrected_note="")


def test_on_site_measure_gets_its_own_number(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection, Handling.MEASURE)
    assert hazard.measure.number == "（甲县）应急现决〔2026〕1号"
    assert hazard.measure.get_kind_display() == "责令停止使用相关设施、设备"


def test_order_needs_a_due_date_after_the_issue_date(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    with pytest.raises(ValidationError, match="整改期限"):
        order(team, inspection, [hazard], due_on=datetime.date(2026, 3, 2))
    assert not inspection.orders.exists()
    assert not NumberSeries.objects.filter(code=services.ORDER_CODE).exists()


def test_order_needs_a_requirement_for_every_waiting_hazard(team):
    inspection = recorded(team)
    first = add_hazard(team, inspection)
    add_hazard(team, inspection, description="安全出口堵塞")
    with pytest.raises(ValidationError, match="每项隐患"):
        order(team, inspection, [first])


def test_order_without_a_hazard_to_rectify_is_refused(team):
    inspection = recorded(team)
    add_hazard(team, inspection, Handling.ON_SPOT)
    with pytest.raises(GuardFailed, match="没有需要"):
        order(team, inspection, [])


def test_order_numbers_are_gapless_per_agency_and_year_even_after_a_refusal(team):
    first = recorded(team)
    a = order(team, first, [add_hazard(team, first)])
    second = recorded(team)
    hazard = add_hazard(team, second)
    with pytest.raises(ValidationError):
        order(team, second, [hazard], due_on=datetime.date(2026, 3, 1))
    b = order(team, second, [hazard])
    assert [a.number, b.number] == ["（甲县）应急责改〔2026〕1号", "（甲县）应急责改〔2026〕2号"]


def test_numbers_restart_each_year_and_per_agency(personas):
    with transaction.atomic():
        assert numbering.allocate_number(
            agency=personas.agency_a, code=services.ORDER_CODE, year=2026
        ).endswith("〔2026〕1号")
        assert numbering.allocate_number(
            agency=personas.agency_a, code=services.ORDER_CODE, year=2027
        ).endswith("〔2027〕1号")
        assert (
            numbering.allocate_number(agency=personas.agency_b, code=services.ORDER_CODE, year=2026)
            == "（乙县）应急责改〔2026〕1号"
        )
        assert numbering.allocate_number(
            agency=personas.agency_a, code=services.ORDER_CODE, year=2026
        ).endswith("〔2026〕2号")


def test_recheck_must_cover_every_item_of_the_order(team):
    inspection = recorded(team)
    first = add_hazard(team, inspection)
    second = add_hazard(team, inspection, description="安全出口堵塞")
    order(team, inspection, [first, second])
    with pytest.raises(ValidationError, match="逐项"):
        services.recheck_record(
            inspection=inspection,
            actor=team.personas.alice,
            results={first.pk: True},
            opinion="部分整改",
            rechecked_on=DAY,
        )


def test_recheck_may_come_before_the_due_date_and_gets_a_number(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard])
    recheck = services.recheck_record(
        inspection=inspection,
        actor=team.personas.alice,
        results={hazard.pk: True},
        opinion="已提前整改",
        rechecked_on=datetime.date(2026, 3, 10),
    )
    assert recheck.number == "（甲县）应急复查〔2026〕1号"


def test_recheck_before_the_order_was_issued_is_refused(team):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    order(team, inspection, [hazard], issued_on=datetime.date(2026, 3, 5), due_on=datetime.date(2026, 3, 20))
    with pytest.raises(ValidationError, match="不能早于"):
        services.recheck_record(
            inspection=inspection,
            actor=team.personas.alice,
            results={hazard.pk: True},
            opinion="已整改",
            rechecked_on=datetime.date(2026, 3, 4),
        )


def test_a_full_inspection_leaves_this_audit_trail(team):
    inspection = plan(team)
    record(team, inspection)
    sign_all(team, inspection, refused=True)
    spot = add_hazard(team, inspection, Handling.ON_SPOT)
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
    assert spot.handling == Handling.ON_SPOT
    types = list(
        Event.objects.filter(event_type__gte=500, event_type__lt=600)
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert types == [
        EventType.INSPECTION_PLANNED,
        EventType.INSPECTION_STAGE_CHANGED,
        EventType.INSPECTION_SIGNATURE_RECORDED,
        EventType.INSPECTION_SIGNATURE_RECORDED,
        EventType.INSPECTION_SIGNATURE_REFUSED,
        EventType.HAZARD_RECORDED,
        EventType.HAZARD_RECORDED,
        EventType.INSPECTION_STAGE_CHANGED,
        EventType.RECTIFICATION_ORDER_ISSUED,
        EventType.INSPECTION_STAGE_CHANGED,
        EventType.RECHECK_RECORDED,
        EventType.INSPECTION_STAGE_CHANGED,
    ]
    stage_changes = Event.objects.filter(event_type=EventType.INSPECTION_STAGE_CHANGED).order_by("seq")
    targets = [json.loads(e.data)["to"] for e in stage_changes]
    assert targets == ["recorded", "rectifying", "rechecked", "closed"]
    assert all(e.agency_id == team.personas.agency_a.pk for e in stage_changes)
