"""The notification link in the staff layout's user box: 提醒（N）, N unread."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from sanxiang.worklist.selectors import unread_notification_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = unread_notification_count(user)
    return {
        "notification_link": {
            "url": reverse("worklist:notifications"),
            "label": gettext("提醒（%(count)d）") % {"count": count},
            "count": count,
        }
    }
