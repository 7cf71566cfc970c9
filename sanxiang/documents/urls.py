"""URLs of the documents app, namespace ``documents``: the signing and delivery pages are in urls_signing."""

from __future__ import annotations

from django.urls import include, path

from sanxiang.documents import urls_signing, views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/", views.case_panel, name="case_panel"),
    path("new/<str:kind>/<int:pk>/", views.document_pick, name="pick"),
    path("new/<str:kind>/<int:pk>/<slug:type_key>/", views.document_create, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/issue/", views.document_issue, name="issue"),
    path("<int:pk>/void/", views.document_void, name="void"),
    path("<int:pk>/print/", views.document_print, name="print"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("", include(urls_signing)),
]
