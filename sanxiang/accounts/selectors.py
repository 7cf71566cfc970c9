"""What each role sees first on its home page, built from the agency's own data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sanxiang.accounts.models import Role
from sanxiang.agencies.models import Agency, CertificateStatus, Officer, PowerItem, RandomCheckItem
from sanxiang.agencies.selectors import certificate_warnings, officer_list_for
from sanxiang.audit.models import Event


@dataclass
class Panel:
    title: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)


def _officer_panel(user: Any, today: datetime.date) -> Panel | None:
    officer = Officer.objects.filter(user=user).prefetch_related("categories").first()
    if officer is None:
        return Panel(_("我的执法证件"), [_("您的账户尚未关联执法证件，请联系系统管理员登记。")])
    state = officer.certificate_state(today)
    lines = [
        _("执法证号：%(number)s") % {"number": officer.certificate_number},
        _("有效期至：%(date)s") % {"date": date_format(officer.valid_to)},
    ]
    if state == "expiring":
        lines.append(
            _("证件将于 %(days)s 天后到期，请及时办理换证。") % {"days": (officer.valid_to - today).days}
        )
    elif state not in {"valid"}:
        lines.append(
            _("证件当前不可用于执法：不得单独或作为两名执法人员之一实施执法行为（行政处罚法第四十二条）。")
        )
    return Panel(
        _("我的执法证件"),
        lines,
        links=[(_("亮证二维码（可打印）"), reverse("agencies:officer_card", args=[officer.pk]))],
        officers=[officer],
    )


def _certificate_panel(user: Any, today: datetime.date, title: str) -> Panel:
    officers = officer_list_for(user, agency=user.agency)
    warnings = certificate_warnings(officers, today=today)
    lines = [
        _("本机关执法人员 %(officers)s 名，需关注的证件 %(warnings)s 个。")
        % {"officers": officers.count(), "warnings": len(warnings)}
    ]
    return Panel(
        title, lines, links=[(_("执法人员名录"), reverse("agencies:officer_list"))], officers=warnings
    )


def _lists_panel(agency: Agency) -> Panel:
    powers = PowerItem.objects.filter(agency=agency, is_active=True).count()
    checks = RandomCheckItem.objects.filter(agency=agency, is_active=True).count()
    return Panel(
        _("事前公开信息"),
        [
            _("权责清单 %(powers)s 项；随机抽查事项 %(checks)s 项。公示平台上的内容均取自本系统数据。")
            % {"powers": powers, "checks": checks}
        ],
        links=[
            (_("权责清单"), reverse("agencies:power_items")),
            (_("随机抽查事项清单"), reverse("agencies:random_check_items")),
            (_("公示平台上的本机关页面"), reverse("disclosure:agency", args=[agency.pk])),
        ],
    )


def _supervision_panel(user: Any, today: datetime.date) -> Panel:
    below = Agency.objects.filter(pk__in=user.agency.descendant_ids()).annotate(
        officer_count=Count("officers", filter=~Q(officers__status=CertificateStatus.REVOKED))
    )
    rows = []
    for agency in below:
        officers = Officer.objects.filter(agency=agency)
        rows.append(
            {
                "agency": agency,
                "officers": agency.officer_count,
                "warnings": len(certificate_warnings(officers, today=today)),
            }
        )
    return Panel(
        _("所监督的执法机关"),
        [_("下级执法机关 %(count)s 个。调阅均记入审计日志。") % {"count": len(rows)}],
        links=[(_("监督机关列表"), reverse("agencies:supervised"))],
        agencies=rows,
    )


def _audit_panel(user: Any) -> Panel:
    count = Event.objects.filter(agency_id=user.agency_id).count()
    return Panel(
        _("全过程记录"),
        [_("本机关审计事件 %(count)s 条，全部纳入防篡改日志（签名树头可验证）。") % {"count": count}],
        links=[(_("审计日志与校验"), reverse("audit:log"))],
    )


def home_panels(user: Any, *, today: datetime.date) -> list[Panel]:
    """Panels for every role the user holds, most specific first, without repeats."""
    panels: list[Panel] = []
    roles = user.role_set
    if user.agency_id is None:
        return [Panel(_("账户未分配机关"), [_("您的账户尚未分配所属执法机关，请联系系统管理员。")])]
    if Role.OFFICER in roles or Officer.objects.filter(user=user).exists():
        officer_panel = _officer_panel(user, today)
        if officer_panel:
            panels.append(officer_panel)
    if Role.SECTION_HEAD in roles:
        panels.append(_certificate_panel(user, today, _("本股室与本机关执法证件提醒")))
    if Role.LEADER in roles:
        panels.append(_certificate_panel(user, today, _("执法人员资格概况")))
        panels.append(_lists_panel(user.agency))
    if Role.LEGAL_REVIEWER in roles:
        reviewers = Officer.objects.filter(agency=user.agency, section__is_legal_review_unit=True)
        panel = Panel(
            _("法制审核"),
            [
                _("重大执法决定未经法制审核或审核未通过的，不得作出决定（行政处罚法第五十八条）。"),
                _("本机关法制审核机构人员 %(count)s 名。审核期限按工作日计算，可用“工作日计算”核对。")
                % {"count": reviewers.count()},
            ],
            links=[(_("工作日计算"), reverse("deadlines:calculator"))],
            officers=list(reviewers),
        )
        panels.append(panel)
    if Role.DISCLOSER in roles:
        panels.append(_lists_panel(user.agency))
    if Role.ARCHIVIST in roles:
        panels.append(_audit_panel(user))
    if Role.SUPERVISOR in roles:
        panels.append(_supervision_panel(user, today))
        panels.append(_audit_panel(user))
    if Role.ADMIN in roles:
        panels.append(
            Panel(
                _("系统管理"),
                [_("维护机关、股室、执法人员、用户与角色、节假日安排和各类清单。所有修改均记入审计日志。")],
                links=[
                    (_("基础数据管理"), reverse("admin:index")),
                    (_("导入权责清单 / 随机抽查事项"), reverse("agencies:import_list")),
                    (_("节假日与工作日"), reverse("deadlines:calculator")),
                ],
            )
        )
        panels.append(_certificate_panel(user, today, _("执法证件提醒")))
    seen: set[str] = set()
    unique = []
    for panel in panels:
        if panel.title not in seen:
            seen.add(panel.title)
            unique.append(panel)
    return unique
