from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "sanxiang.deadlines"
    verbose_name = "期限与节假日"
