from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "sanxiang.agencies"
    verbose_name = _("执法机关与人员")
