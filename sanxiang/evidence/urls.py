from django.urls import path

from sanxiang.evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:pk>/", views.case_evidence, name="case"),
    path("cases/<int:pk>/uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/", views.upload, name="upload"),
]
