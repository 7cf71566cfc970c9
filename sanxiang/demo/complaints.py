"""Demo complaints and reports (投诉举报) in each state, with fixed tracking codes the README names."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency
from sanxiang.complaints import services

# (tracking code, kind, days before today, subject, content, name, phone, what the section head did)
COMPLAINTS = (
    ("TS26-0000-0001", "report", 2, "城关镇某烟花爆竹零售点", "居民楼一层违规存放大量烟花爆竹。", "", "", ""),
    (
        "TS26-0000-0002",
        "complaint",
        6,
        "执法人员检查时未出示证件",
        "检查时两名人员未出示执法证件即进入车间。",
        "王女士",
        "13905640001",
        "accept",
    ),
    ("TS26-0000-0003", "report", 12, "某某化工有限公司", "夜间偷排废液，气味刺鼻。", "", "", "answer"),
    ("TS26-0000-0004", "report", 40, "杭埠镇某小作坊", "无证生产危险化学品。", "", "", ""),
)


def load_complaints(*, agency: Agency, today: datetime.date) -> dict[str, int]:
    handler = User.objects.get(username="sectionhead")
    for code, kind, days_ago, subject, content, name, phone, done in COMPLAINTS:
        received = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(9, 30))
        )
        complaint, _code = services.complaint_file(
            agency=agency,
            kind=kind,
            subject=subject,
            content=content,
            name=name,
            phone=phone,
            tracking_code=code,
            received_at=received,
        )
        if done == "accept":
            services.complaint_accept(complaint=complaint, actor=handler, note="已受理，正在核查。")
        elif done == "answer":
            services.complaint_answer(
                complaint=complaint, actor=handler, answer="经现场核查，已责令该公司停止违法行为并立案调查。"
            )
    return {"complaints": len(COMPLAINTS)}
