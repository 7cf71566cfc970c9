from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "sanxiang.agencies"
    verbose_name = "执法机关与人员"
