from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    verbose_name = _("案件办理")
    due_items_provider = "sanxiang.cases.selectors.clocks_of"
