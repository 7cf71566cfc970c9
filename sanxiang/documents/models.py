"""文书: numbers, the catalog of document types, documents, signatures and delivery."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["NumberSeries"]


class NumberSeries(models.Model):
    """The last serial given in one series of document numbers, e.g. 舒 · 应急罚 · 2026 (domain.md §3.2).

    Locked row by row inside the transaction that issues the number, so numbers are unique and gapless.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("文书代码"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "year"], name="number_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.code} {self.year}: {self.last}"
