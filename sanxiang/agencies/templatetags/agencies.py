from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.agencies.models import Officer

register = template.Library()

STATE_LABELS = {
    "valid": gettext_lazy("有效"),
    "expiring": gettext_lazy("即将到期"),
    "expired": gettext_lazy("已过期"),
    "not_yet_valid": gettext_lazy("尚未生效"),
    "suspended": gettext_lazy("已暂扣"),
    "revoked": gettext_lazy("已注销"),
}


@register.simple_tag
def certificate_badge(officer: Officer) -> SafeString:
    """A coloured badge with the certificate's state today; expiring shows the days left."""
    today = timezone.localdate()
    state = officer.certificate_state(today)
    label = str(STATE_LABELS[state])
    if state == "expiring":
        label = _("%(label)s（剩 %(days)s 天）") % {"label": label, "days": (officer.valid_to - today).days}
    return format_html('<span class="badge state-{}">{}</span>', state, label)


@register.filter
def certificate_state_label(officer: Officer) -> str:
    return str(STATE_LABELS[officer.certificate_state(timezone.localdate())])
