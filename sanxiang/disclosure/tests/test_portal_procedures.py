"""执法流程图: drawn from the transition tables, so every step the system runs is on the chart."""

from __future__ import annotations

from django.urls import reverse

from sanxiang.cases import workflow
from sanxiang.disclosure.flowcharts import chart


def test_the_general_chart_has_every_stage_and_action_of_the_table_except_the_on_spot_ones():
    nodes = chart("general").nodes
    stages = {n.key for n in nodes}
    assert workflow.Stage.ON_SPOT_DECIDED not in stages
    assert stages == {
        s.source for s in workflow.TABLE if s.action not in {"decide_on_spot", "report_on_spot"}
    } | {workflow.Stage.ARCHIVED}
    actions = {e.action for n in nodes for e in n.exits}
    assert (
        str(workflow.Action.NOTIFY_PENALTY.label) in actions and str(workflow.Action.DECIDE.label) in actions
    )
    assert nodes[0].key == workflow.Stage.LEAD and nodes[-1].key == workflow.Stage.ARCHIVED


def test_the_simple_chart_goes_from_the_on_spot_decision_to_the_archive():
    labels = [n.label for n in chart("simple").nodes]
    assert labels[:2] == ["案源登记", "当场处罚待备案"] and labels[-1] == "已归档"
    assert "调查取证" not in labels


def test_the_coercion_chart_shows_the_emergency_route_and_the_release():
    nodes = chart("coercion").nodes
    exits = {(n.label, e.action) for n in nodes for e in n.exits}
    assert ("发现需要查封、扣押的情形", "当场实施（情况紧急）") in exits
    assert ("查封扣押中", "解除查封扣押") in exits


def test_the_procedures_page_and_the_agency_guides_show_the_remedies(client, personas):
    page = client.get(reverse("disclosure:procedures")).content.decode()
    assert "行政处罚普通程序" in page and "行政处罚告知" in page and "九十日" in page
    agency = client.get(reverse("disclosure:agency", args=[personas.agency_a.pk])).content.decode()
    assert "六十日" in agency and "六个月" in agency and reverse("complaints:new") in agency
