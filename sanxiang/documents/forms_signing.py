"""Forms of the signing and delivery pages: validation of the shape only; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.documents import signing
from sanxiang.documents.models import DeliveryMethod, Document, SignerRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


def _role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [(r, str(SignerRole(r).label)) for r in roles]


class HandSignatureForm(_Form):
    """The signature pad: who signs, and the PNG the pad drew (a data URL the page script fills in)."""

    role = forms.ChoiceField(label=_("签名人身份"))
    signer_name = forms.CharField(
        label=_("签名人姓名"),
        max_length=signing.NAME_MAX,
        widget=forms.TextInput(attrs={"list": "party-names", "autocomplete": "off"}),
        help_text=_("可从本案当事人中选择，或直接填写（如单位的负责人、受送达人）。"),
    )
    signature = forms.CharField(
        widget=forms.HiddenInput,
        max_length=signing.MAX_DATA_URL_CHARS,
        error_messages={
            "required": _("请先在签名区内签名，再点“确认签名”。"),
            "max_length": _("签名图像过大。"),
        },
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]


class RefusalForm(_Form):
    """拒绝签名: who refused, what happened, who witnessed it (行政处罚法 Art.52; 行政强制法 Art.18)."""

    role = forms.ChoiceField(label=_("拒绝签名的人的身份"))
    signer_name = forms.CharField(
        label=_("拒绝签名的人"),
        max_length=signing.NAME_MAX,
        widget=forms.TextInput(attrs={"list": "party-names", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("拒签情况说明"),
        widget=TEXT,
        help_text=_("写明时间、地点、经过，以及当事人拒绝签名的理由（如有）。"),
    )
    witness_name = forms.CharField(
        label=_("见证人"),
        max_length=signing.NAME_MAX,
        help_text=_("如村（居）委会、所在单位的代表，写明姓名和身份。"),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]


class StaffSignForm(_Form):
    role = forms.ChoiceField(label=_("签名身份"))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]


RECEIPT_METHODS = [(m.value, m.label) for m in DeliveryMethod if m != DeliveryMethod.ELECTRONIC]


class ReceiptForm(_Form):
    """制作文书送达回执 for one document; for 留置送达 also the witness and the reason of the refusal."""

    method = forms.ChoiceField(label=_("送达方式"), choices=RECEIPT_METHODS)
    recipient = forms.CharField(label=_("受送达人"), max_length=100)
    place = forms.CharField(label=_("送达地点"), max_length=200)
    delivered_at = forms.DateTimeField(
        label=_("送达时间"), widget=DATETIME, help_text=_("交付、留置、交邮或张贴公告的时间。")
    )
    witness_name = forms.CharField(label=_("见证人（留置送达）"), max_length=60, required=False)
    reason = forms.CharField(label=_("拒收事由（留置送达）"), widget=TEXT, required=False)


class DeliveryForm(_Form):
    """登记送达. Which fields each method needs is checked by the service, with the article it applies."""

    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    recipient = forms.CharField(label=_("受送达人"), max_length=100)
    delivered_on = forms.DateField(
        label=_("送达日期"),
        widget=DATE,
        required=False,
        help_text=_("公告送达可不填，自动计算为公告期满之日。"),
    )
    receipt = forms.ModelChoiceField(
        label=_("文书送达回执"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("（电子送达不选）"),
    )
    consent = forms.ModelChoiceField(
        label=_("电子送达地址确认书"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("（仅电子送达）"),
    )
    place = forms.CharField(
        label=_("送达地点或电子送达地址"),
        max_length=200,
        required=False,
        help_text=_("电子送达须填写确认书载明的地址。"),
    )
    tracking_number = forms.CharField(label=_("邮件单号（邮寄送达）"), max_length=60, required=False)
    witness_name = forms.CharField(label=_("见证人（留置送达）"), max_length=60, required=False)
    reason = forms.CharField(label=_("拒收事由或公告的原因和经过"), widget=TEXT, required=False)
    announced_on = forms.DateField(label=_("公告日期（公告送达）"), widget=DATE, required=False)
    entrusted_to = forms.CharField(label=_("受委托送达的单位（委托送达）"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), widget=TEXT, required=False)

    def __init__(self, *args: Any, receipts: list[Document], consents: list[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receipt"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in receipts]
        ).order_by("-issued_at", "-pk")
        self.fields["consent"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in consents]
        ).order_by("-issued_at", "-pk")
        self.fields["receipt"].label_from_instance = _receipt_label  # type: ignore[attr-defined]
        self.fields["consent"].label_from_instance = _receipt_label  # type: ignore[attr-defined]


def _receipt_label(document: Document) -> str:
    method = DeliveryMethod(document.fields["method"]).label if document.fields.get("method") else ""
    text = f"{document.number or document.type.title}"
    return f"{text}（{method}）" if method else text
