from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "sanxiang.deadlines"
    verbose_name = _("期限与节假日")

    def ready(self) -> None:
        from django.core.signals import request_started

        from sanxiang.deadlines import calendar

        request_started.connect(calendar.expire, dispatch_uid="deadlines_calendar_expire")
