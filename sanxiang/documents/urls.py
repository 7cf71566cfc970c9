"""URLs of the documents app, namespace ``documents``: the signing and delivery pages are in urls_signing."""

from __future__ import annotations

from django.urls import include, path

from sanxiang.documents import urls_signing

app_name = "documents"

urlpatterns = [
    path("", include(urls_signing)),
]
