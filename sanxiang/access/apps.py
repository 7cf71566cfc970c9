from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """调阅: logged, supervised reads of protected material (evidence, audio/video records)."""

    name = "sanxiang.access"
    verbose_name = _("调阅")
    # The leaders' clock of each waiting request, on "my work".
    due_items_provider = "sanxiang.access.due.clocks_of"
