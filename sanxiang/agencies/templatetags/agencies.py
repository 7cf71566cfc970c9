from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sanxiang.agencies.models import Officer

register = template.Library()

STATE_LABELS = {
    "valid": "有效",
    "expiring": "即将到期",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "suspended": "已暂扣",
    "revoked": "已注销",
}


@register.simple_tag
def certificate_badge(officer: Officer) -> SafeString:
    """A coloured badge with the certificate's state today; expiring shows the days left."""
    today = timezone.localdate()
    state = officer.certificate_state(today)
    label = STATE_LABELS[state]
    if state == "expiring":
        label = f"{label}（剩 {(officer.valid_to - today).days} 天）"
    return format_html('<span class="badge state-{}">{}</span>', state, label)


@register.filter
def certificate_state_label(officer: Officer) -> str:
    return STATE_LABELS[officer.certificate_state(timezone.localdate())]
