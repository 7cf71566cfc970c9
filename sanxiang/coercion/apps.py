from django.apps import AppConfig


class CoercionConfig(AppConfig):
    name = "sanxiang.coercion"
    verbose_name = "行政强制措施"
