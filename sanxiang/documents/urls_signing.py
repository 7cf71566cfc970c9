"""Signing and delivery pages, included in the documents URLs (namespace ``documents``)."""

from __future__ import annotations

from django.urls import path

from sanxiang.documents import views_delivery, views_signing

urlpatterns = [
    path("<int:pk>/signatures/", views_signing.signatures_panel, name="signatures"),
    path("<int:pk>/sign/", views_signing.signature_staff, name="signature_staff"),
    path("<int:pk>/sign/pad/", views_signing.signature_pad, name="signature_pad"),
    path("<int:pk>/sign/refusal/", views_signing.signature_refusal, name="signature_refusal"),
    path("signatures/<int:pk>/image.png", views_signing.signature_image, name="signature_image"),
    path("<int:pk>/delivery/", views_delivery.delivery_page, name="delivery"),
    path("<int:pk>/delivery/receipt/", views_delivery.delivery_receipt, name="delivery_receipt"),
]
