from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "sanxiang.payments"
    verbose_name = "罚没款缴纳"
