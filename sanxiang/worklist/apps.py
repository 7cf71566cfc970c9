from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    name = "sanxiang.worklist"
    verbose_name = _("待办与提醒")
    # Stores the clocks every provider computes (sanxiang.core.due), so "my work" is one indexed query.
    due_store = "sanxiang.worklist.services.clocks_refresh"
