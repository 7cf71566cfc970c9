from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "sanxiang.evidence"
    verbose_name = _("证据与音像记录")
