"""Parties (行政相对人 / 当事人): the persons and organisations an agency inspects or punishes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sanxiang.core.identifiers import (
    normalise_credit_code,
    normalise_resident_id,
    validate_credit_code,
    validate_resident_id,
)
from sanxiang.core.personal import personal
from sanxiang.parties.validators import validate_phone


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    ORGANISATION = "organisation", _("法人或其他组织")


class Party(models.Model):
    """A party of one agency. Each agency keeps its own register, so the same person may appear in several.

    A natural person is identified by ``resident_id``; an organisation or individual business by
    ``credit_code``. ``name``, ``resident_id``, ``address`` and ``phone`` are marked personal: for a natural
    person they are personal information (个人信息保护法 Art.4) and are masked unless access is recorded.
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="parties"
    )
    kind = models.CharField(_("当事人类型"), max_length=24, choices=PartyKind.choices)
    name = personal(models.CharField(_("姓名或名称"), max_length=200))
    resident_id = personal(
        models.CharField(_("公民身份号码"), max_length=18, blank=True, validators=[validate_resident_id])
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=40, blank=True)
    address = personal(models.CharField(_("住所或地址"), max_length=200, blank=True))
    phone = personal(models.CharField(_("联系电话"), max_length=40, blank=True, validators=[validate_phone]))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["agency", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "resident_id"],
                condition=~Q(resident_id=""),
                name="party_unique_resident_id_per_agency",
                violation_error_message=_("本机关已登记持该公民身份号码的当事人。"),
            ),
            models.UniqueConstraint(
                fields=["agency", "credit_code"],
                condition=~Q(credit_code=""),
                name="party_unique_credit_code_per_agency",
                violation_error_message=_("本机关已登记持该统一社会信用代码的当事人。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_natural_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    def clean(self) -> None:
        """Which identifier each kind of party needs: a person an ID number, others a credit code."""
        self.resident_id = normalise_resident_id(self.resident_id)
        self.credit_code = normalise_credit_code(self.credit_code)
        self.name = self.name.strip()
        self.legal_representative = self.legal_representative.strip()
        errors: dict[str, str] = {}
        if self.kind == PartyKind.PERSON:
            if not self.resident_id:
                errors["resident_id"] = gettext("自然人须填写公民身份号码。")
            if self.credit_code:
                errors["credit_code"] = gettext("自然人不填写统一社会信用代码。")
            if self.legal_representative:
                errors["legal_representative"] = gettext("自然人不填写法定代表人（负责人）。")
        else:
            if not self.credit_code:
                errors["credit_code"] = gettext("%(kind)s须填写统一社会信用代码。") % {
                    "kind": self.get_kind_display()
                }
            if self.resident_id:
                errors["resident_id"] = gettext("%(kind)s不填写公民身份号码。") % {
                    "kind": self.get_kind_display()
                }
            if self.kind == PartyKind.ORGANISATION and not self.legal_representative:
                errors["legal_representative"] = gettext("法人或其他组织须填写法定代表人或负责人。")
        if errors:
            raise ValidationError(errors)
