"""The staff navigation, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sanxiang.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items: list[tuple[str, str]] = [
        (_("工作台"), reverse("accounts:home")),
        (_("我的待办"), reverse("worklist:my_work")),
    ]
    if user.agency_id:
        items.append((_("本机关"), reverse("agencies:overview")))
        items.append((_("执法人员"), reverse("agencies:officer_list")))
        items.append((_("权责清单"), reverse("agencies:power_items")))
        items.append((_("随机抽查事项"), reverse("agencies:random_check_items")))
        items.append((_("当事人"), reverse("parties:list")))
        items.append((_("案件"), reverse("cases:list")))
        approving = (Role.SECTION_HEAD, Role.LEADER, Role.LEGAL_REVIEWER, Role.ARCHIVIST)
        if any(user.has_role(r) for r in approving):
            items.append((_("审批"), reverse("cases:queue")))
        reviewing = (Role.LEGAL_REVIEWER, Role.LEADER, Role.SECTION_HEAD, Role.ADMIN)
        if any(user.has_role(r) for r in reviewing):
            items.append((_("法制审核"), reverse("review:queue")))
        items.append((_("行政检查"), reverse("inspections:list")))
        if any(user.has_role(r) for r in (Role.SECTION_HEAD, Role.LEADER, Role.ADMIN, Role.SUPERVISOR)):
            items.append((_("投诉举报"), reverse("complaints:queue")))
        if any(user.has_role(r) for r in (Role.SECTION_HEAD, Role.LEADER, Role.ADMIN)):
            items.append((_("银行对账"), reverse("payments:statement_import")))
        if user.has_role(Role.DISCLOSER):
            items.append((_("公示审核"), reverse("publications:queue")))
    if user.has_role(Role.SUPERVISOR):
        items.append((_("监督机关"), reverse("agencies:supervised")))
        # Overdue drafts and late withdrawals of the agencies below, read-only (国办发〔2018〕118号).
        items.append((_("公示监督"), reverse("publications:queue")))
        items.append((_("法制审核监督"), reverse("review:queue")))
    # 调阅: reads of originals overseen by supervisors and leaders; leaders answer the requests (118号).
    if user.has_role(Role.SUPERVISOR) or user.has_role(Role.LEADER):
        items.append((_("调阅记录"), reverse("access:log")))
    if user.has_role(Role.LEADER):
        items.append((_("调阅审批"), reverse("access:requests")))
    items.append((_("工作日计算"), reverse("deadlines:calculator")))
    if user.has_role(Role.ADMIN) or user.has_role(Role.ARCHIVIST) or user.has_role(Role.SUPERVISOR):
        items.append((_("审计日志"), reverse("audit:log")))
    items.append((_("接口令牌"), reverse("api_tokens:list")))
    if user.is_staff:
        items.append((_("基础数据管理"), reverse("admin:index")))
    return {"nav_items": items, "user_roles": [Role(r).label for r in sorted(user.role_set)]}
