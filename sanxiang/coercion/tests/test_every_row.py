"""Every row of both transition tables is performed once through its door and leaves its transition row."""

import datetime

import pytest
from django.utils import timezone

from sanxiang.coercion import services, workflow
from sanxiang.coercion.models import (
    CoerciveMeasure,
    MeasureAction,
    MeasureStage,
    MeasureTransition,
    Preservation,
    PreservationAction,
    PreservationStage,
    PreservationTransition,
)
from sanxiang.coercion.tests import factories as f

pytestmark = pytest.mark.django_db

A, S = MeasureAction, MeasureStage


def _move(w, measure, action, **data):
    services.measure_transition(measure=measure, action=action, actor=w.leader, **data)
    return measure


MEASURE_ROWS = {
    (None, A.REQUEST): lambda w: f.requested(w),
    (None, A.ACT_EMERGENCY): lambda w: f.emergency(w, timezone.now() - datetime.timedelta(hours=1)),
    (S.REQUESTED, A.APPROVE): lambda w: f.approved(w),
    (S.REQUESTED, A.REFUSE): lambda w: _move(w, f.requested(w), A.REFUSE, note="不予批准"),
    (S.APPROVED, A.IMPLEMENT): lambda w: f.in_force(w),
    (S.EMERGENCY, A.REPORT): lambda w: f.reported(w, timezone.now() - datetime.timedelta(hours=1)),
    (S.REPORTED, A.APPROVE): lambda w: _move(w, f.reported(w, timezone.now()), A.APPROVE),
    (S.REPORTED, A.REFUSE): lambda w: _move(w, f.reported(w, timezone.now()), A.REFUSE, note="n"),
    (S.IN_FORCE, A.EXTEND): lambda w: _move(
        w,
        f.in_force(w),
        A.EXTEND,
        days=5,
        reason="r",
        notice_reference="n",
        decided_on=datetime.date(2026, 3, 3),
    ),
    (S.IN_FORCE, A.EXCLUDE_DAYS): lambda w: _move(
        w, f.in_force(w), A.EXCLUDE_DAYS, days=2, reason="r", notice_reference="n"
    ),
    (S.IN_FORCE, A.RELEASE): lambda w: _move(w, f.in_force(w), A.RELEASE, reference="r"),
    (S.IN_FORCE, A.HANDLE): lambda w: _move(w, f.in_force(w), A.HANDLE, handling="destroy", reference="r"),
}


def test_the_measure_rows_here_are_the_rows_of_the_table():
    assert set(MEASURE_ROWS) == set(workflow.MEASURE_STEPS)


@pytest.mark.parametrize("row", list(MEASURE_ROWS), ids=lambda row: f"{row[0]}-{row[1]}")
def test_each_measure_row_is_performed(world, row):
    source, action = row
    measure: CoerciveMeasure = MEASURE_ROWS[row](world)
    target = workflow.MEASURE_STEPS[row].target
    assert MeasureTransition.objects.filter(
        measure=measure, source=source or "", action=action, target=target
    ).exists()
    measure.refresh_from_db()
    assert measure.stage == target


P, PA = PreservationStage, PreservationAction

PRESERVATION_ROWS = {
    (None, PA.REQUEST): lambda w: f.preservation_requested(w),
    (P.REQUESTED, PA.APPROVE): lambda w: f.preserved(w, datetime.date(2026, 9, 24)),
    (P.REQUESTED, PA.REFUSE): lambda w: _preserve(w, f.preservation_requested(w), PA.REFUSE, note="n"),
    (P.PRESERVED, PA.HANDLE): lambda w: _preserve(
        w,
        f.preserved(w, datetime.date(2026, 9, 24)),
        PA.HANDLE,
        outcome="confiscate",
        decision_reference="d",
        decided_on=datetime.date(2026, 9, 25),
    ),
}


def _preserve(w, preservation, action, **data):
    services.preservation_transition(preservation=preservation, action=action, actor=w.leader, **data)
    return preservation


def test_the_preservation_rows_here_are_the_rows_of_the_table():
    assert set(PRESERVATION_ROWS) == set(workflow.PRESERVATION_STEPS)


@pytest.mark.parametrize("row", list(PRESERVATION_ROWS), ids=lambda row: f"{row[0]}-{row[1]}")
def test_each_preservation_row_is_performed(world, row):
    source, action = row
    preservation: Preservation = PRESERVATION_ROWS[row](world)
    target = workflow.PRESERVATION_STEPS[row].target
    assert PreservationTransition.objects.filter(
        preservation=preservation, source=source or "", action=action, target=target
    ).exists()
    preservation.refresh_from_db()
    assert preservation.stage == target
