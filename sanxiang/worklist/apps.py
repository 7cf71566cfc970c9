from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "sanxiang.worklist"
    verbose_name = "待办与提醒"
