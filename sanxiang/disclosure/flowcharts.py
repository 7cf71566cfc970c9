"""执法流程图 for 事前公开 (行政处罚法第三十九条: 实施程序), drawn from the procedures' own transition tables.

The charts are never typed: each is read from the table the system itself runs — the penalty procedure
(``cases.workflow.TABLE``, 普通程序 and 简易程序) and 查封、扣押 (``coercion.workflow.MEASURE_STEPS``) — so a
change of procedure changes its chart. A chart is a list of stages in the order the table
names them, each with the actions that leave it; the template draws them as boxes and arrows in
HTML and CSS, readable as text by a screen reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sanxiang.cases import workflow
from sanxiang.coercion import workflow as coercion_workflow
from sanxiang.coercion.models import MeasureAction, MeasureStage

__all__ = ["CHARTS", "Chart", "Exit", "Node", "chart"]


@dataclass(frozen=True)
class Exit:
    action: str
    target: str
    who: str


@dataclass
class Node:
    key: str
    label: str
    exits: list[Exit] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    key: str
    title: Promise
    basis: Promise
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class _Edge:
    source: str
    source_label: str
    action: str
    target: str
    target_label: str
    who: str


def _order(edges: list[_Edge], start: str) -> tuple[Node, ...]:
    """The stages reachable from ``start``, in the order the table first names them, with their exits.

    The tables are written in the order of the procedure, so that order reads as the procedure.
    """
    nodes: dict[str, Node] = {}
    queue = [start]
    labels = {e.source: e.source_label for e in edges} | {e.target: e.target_label for e in edges}
    while queue:
        key = queue.pop(0)
        if key in nodes:
            continue
        node = nodes[key] = Node(key, labels.get(key, key))
        for edge in edges:
            if edge.source == key:
                node.exits.append(Exit(edge.action, edge.target_label, edge.who))
                queue.append(edge.target)

    def position(key: str) -> float:
        if key == start:
            return -1
        sources = [i for i, e in enumerate(edges) if e.source == key]
        return sources[0] if sources else min(i for i, e in enumerate(edges) if e.target == key) + 0.5

    return tuple(sorted(nodes.values(), key=lambda n: position(n.key)))


def _case_edges(steps: Iterable[workflow.Step]) -> list[_Edge]:
    return [
        _Edge(
            str(s.source),
            str(workflow.Stage(s.source).label),
            str(workflow.Action(s.action).label),
            str(s.target),
            str(workflow.Stage(s.target).label),
            str(workflow.Who(s.who).label),
        )
        for s in steps
        if s.source != s.target  # 延长办案期限 leaves the stage as it is
    ]


_ON_SPOT = {workflow.Action.DECIDE_ON_SPOT, workflow.Action.REPORT_ON_SPOT}


def _general() -> tuple[Node, ...]:
    return _order(_case_edges(s for s in workflow.TABLE if s.action not in _ON_SPOT), workflow.Stage.LEAD)


def _simple() -> tuple[Node, ...]:
    steps = [
        s
        for s in workflow.TABLE
        if s.action in _ON_SPOT or s.source not in {workflow.Stage.LEAD, *workflow.PRE_DECISION}
    ]
    steps = [s for s in steps if s.source != workflow.Stage.DECIDED]  # the on-spot decision is handed over
    # The table lists the on-spot rows last; the procedure starts with them.
    steps.sort(key=lambda s: s.action not in _ON_SPOT)
    return _order(_case_edges(steps), workflow.Stage.LEAD)


_START = "start"


def _coercion() -> tuple[Node, ...]:
    roles: dict[frozenset[str], str] = {
        frozenset(map(str, coercion_workflow.OFFICERS)): str(_("执法人员")),
        frozenset(map(str, coercion_workflow.LEADERS)): str(_("机关负责人")),
    }
    edges = [
        _Edge(
            str(source or _START),
            str(MeasureStage(source).label) if source else str(_("发现需要查封、扣押的情形")),
            str(MeasureAction(action).label),
            str(step.target),
            str(MeasureStage(step.target).label),
            roles.get(frozenset(map(str, step.roles)), str(_("执法人员"))),
        )
        for (source, action), step in coercion_workflow.MEASURE_STEPS.items()
        if source != step.target
    ]
    return _order(edges, _START)


CHARTS: dict[str, tuple[Promise, Promise]] = {
    "general": (_("行政处罚普通程序"), _("行政处罚法第五十四条至第六十五条")),
    "simple": (_("行政处罚简易程序（当场处罚）"), _("行政处罚法第五十一条、第五十二条")),
    "coercion": (_("行政强制措施（查封、扣押）"), _("行政强制法第十八条至第二十八条")),
}
_BUILDERS = {"general": _general, "simple": _simple, "coercion": _coercion}


def chart(key: str) -> Chart:
    """The chart named ``key`` (``general``, ``simple``, ``coercion``); KeyError for any other."""
    title, basis = CHARTS[key]
    return Chart(key, title, basis, _BUILDERS[key]())
