from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "sanxiang.documents"
    verbose_name = _("执法文书")

    def ready(self) -> None:
        from sanxiang.cases.forms import register_initial_source
        from sanxiang.cases.services import register_number_source
        from sanxiang.documents import gate, prefill, services

        # A case step needs the documents its row of the table names (cases/workflow.py).
        gate.register()
        # The case carries the number of its issued 立案审批表 / 决定书 instead of drawing a second one.
        register_number_source(services.case_number_source)
        # A step's form starts from what its issued document says (the officer does not type it twice).
        register_initial_source(prefill.action_initial)
