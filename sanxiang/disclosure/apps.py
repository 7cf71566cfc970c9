from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    verbose_name = _("公示")
    due_items_provider = "sanxiang.disclosure.selectors.clocks_of"

    def ready(self) -> None:
        from sanxiang.disclosure import published
        from sanxiang.disclosure.services import publication_draft_for_document
        from sanxiang.documents.services import register_issue_hook

        # An issued decision drafts its publication and starts the publication clock in the same transaction.
        register_issue_hook(publication_draft_for_document)
        # A published version indexes its publication for the portal's search; any change refreshes it.
        published.connect()
