from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = _("法制审核")
    due_items_provider = "sanxiang.review.selectors.clocks_of"

    def ready(self) -> None:
        from sanxiang.review import guards

        # 行政处罚法第五十八条: no decision (nor the collective discussion before it) without a passed review
        # where the catalog or the statute requires one; the review steps of the case table are this app's.
        guards.register()
