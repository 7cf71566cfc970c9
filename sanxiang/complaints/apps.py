from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "sanxiang.complaints"
    verbose_name = _("投诉举报")
    due_items_provider = "sanxiang.complaints.selectors.clocks_of"
