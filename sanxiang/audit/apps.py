from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sanxiang.audit"
    verbose_name = "审计日志"
