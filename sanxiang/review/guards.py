"""The gate of 行政处罚法第五十八条 and the review steps of the case table, registered on the case workflow.

* 作出决定 (and the collective discussion before it) is refused, naming the rules that apply, while a required
  review has no 同意 in its latest round (or a leaders' meeting deciding for the handling unit). Required:
  by the rounds' judgment once the case was submitted, else by the catalog in force and the statute now.
* 提交法制审核, 法制审核通过 and 法制审核退回 are this app's steps: they are performed by its services,
  which pass the round (``review_round``); from any other path they do not apply.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from sanxiang.cases import workflow
from sanxiang.cases.models import Case
from sanxiang.cases.workflow import Action, GuardFailed, NotApplicable
from sanxiang.review import selectors
from sanxiang.review.models import OpinionKind, ReviewRound

__all__ = ["catalog_discussion_done", "legal_review_passed", "register", "round_given"]


def legal_review_passed(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """No decision without a passed review where the catalog or 行政处罚法第五十八条 requires one."""
    state = selectors.review_state(case, data.get("penalties"))
    if not state.required or state.approved:
        return
    rules = "；".join(str(t["label"]) for t in state.triggers if t["code"] != "added") or gettext(
        "已提交法制审核"
    )
    raise GuardFailed(
        gettext(
            "本案属于须经法制审核的情形（%(rules)s），未经法制审核或者审核未通过的，不得作出决定"
            "（行政处罚法第五十八条）：%(why)s。"
        )
        % {"rules": rules, "why": state.explanation}
    )


def catalog_discussion_done(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """A rule of the catalog that also calls for 集体讨论 (domain.md §4: the same threshold triggers the
    hearing notice, the review and the collective discussion) is decided after one (行政处罚法第五十七条)."""
    state = selectors.review_state(case, data.get("penalties"))
    calling = [str(t["label"]) for t in state.triggers if t.get("discussion")]
    if calling and case.discussed_on is None:
        raise GuardFailed(
            gettext("本案属于目录清单规定须集体讨论的情形（%(rules)s），须经机关负责人集体讨论决定。")
            % {"rules": "；".join(calling)}
        )


def _round(case: Case, data: dict[str, Any]) -> ReviewRound:
    found = data.get("review_round")
    if not isinstance(found, ReviewRound):
        raise NotApplicable(gettext("法制审核的送审和审核意见在“法制审核”页面办理（行政处罚法第五十八条）。"))
    if found.review.case_id != case.pk:
        raise GuardFailed(gettext("审核轮次不属于本案。"))
    latest = selectors.latest_round(case)
    if latest is None or latest.pk != found.pk:
        raise GuardFailed(gettext("只能办理本案最新一轮法制审核。"))
    return found


def round_given(case: Case, actor: Any, data: dict[str, Any]) -> None:
    """The review step carries its round: submitted (no opinion yet), or with the opinion it records."""
    action = data.get("_action")
    found = _round(case, data)
    opinion = getattr(found, "opinion", None)
    if action == Action.SUBMIT_LEGAL_REVIEW:
        if opinion is not None:
            raise GuardFailed(gettext("该轮审核已出具意见，请重新送审。"))
        return
    if opinion is None:
        raise GuardFailed(gettext("该轮审核尚未出具审核意见。"))
    passed = opinion.kind == OpinionKind.APPROVE
    if passed != (action == Action.PASS_LEGAL_REVIEW):
        raise GuardFailed(gettext("审核意见与所办理的操作不一致。"))


def _for(action: Action) -> workflow.Guard:
    def guard(case: Case, actor: Any, data: dict[str, Any]) -> None:
        round_given(case, actor, {**data, "_action": action})

    guard.__name__ = f"review_round_{action}"
    guard.__doc__ = round_given.__doc__
    return guard


_ROUND_GUARDS = {
    action: _for(action)
    for action in (Action.SUBMIT_LEGAL_REVIEW, Action.PASS_LEGAL_REVIEW, Action.RETURN_LEGAL_REVIEW)
}


def register() -> None:
    """Register the gate and the round guards; called from ``ready()`` (safe twice)."""
    workflow.register_guard(Action.DECIDE, legal_review_passed)
    workflow.register_guard(Action.DECIDE, catalog_discussion_done)
    workflow.register_guard(Action.RECORD_COLLECTIVE_DISCUSSION, legal_review_passed)
    for action, guard in _ROUND_GUARDS.items():
        workflow.register_guard(action, guard)
