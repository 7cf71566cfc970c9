from sanxiang.cases.tests.factories import FINE, do, open_case, to_notified
from sanxiang.cases.workflow import Action, Stage


def test_a_general_case_runs_from_lead_to_archive(world):
    w = world
    case = open_case(w)
    to_notified(w, case)
    do(case, Action.RECORD_STATEMENT, w.alice, statement="请求从轻")
    do(case, Action.DECIDE, w.leader, penalties=[FINE])
    do(case, Action.DELIVER, w.alice, method="直接送达")
    do(case, Action.COMPLETE_EXECUTION, w.alice)
    do(case, Action.SUBMIT_CLOSING, w.alice)
    do(case, Action.APPROVE_CLOSING, w.leader)
    do(case, Action.ARCHIVE, w.archivist)
    assert case.stage == Stage.ARCHIVED
    assert case.number == "（甲县）应急立〔2026〕1号"
    assert case.decision_number == "（甲县）应急罚〔2026〕1号"
