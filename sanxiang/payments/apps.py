from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "sanxiang.payments"
    verbose_name = _("罚没款缴纳")
    due_items_provider = "sanxiang.payments.selectors.clocks_of"

    def ready(self) -> None:
        from sanxiang.cases.workflow import Action, register_guard
        from sanxiang.payments.guards import fine_paid_in_full

        register_guard(Action.COMPLETE_EXECUTION, fine_paid_in_full)
