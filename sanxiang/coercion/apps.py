from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoercionConfig(AppConfig):
    name = "sanxiang.coercion"
    verbose_name = _("行政强制措施")
    due_items_provider = "sanxiang.coercion.selectors.clocks_of"

    def ready(self) -> None:
        from sanxiang.cases.workflow import Action, register_guard
        from sanxiang.coercion.guards import no_open_measure

        # Both the request to close and its approval are refused while a measure is open.
        for action in (Action.SUBMIT_CLOSING, Action.APPROVE_CLOSING):
            register_guard(action, no_open_measure)
