from django.urls import path

from sanxiang.access import views

app_name = "access"

urlpatterns = [
    path("evidence/<int:pk>/", views.evidence_open, name="evidence_open"),
    path("evidence/<int:pk>/content", views.evidence_content, name="evidence_content"),
    path("evidence/<int:pk>/download", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/custody/", views.evidence_custody, name="evidence_custody"),
    path("log/", views.access_log, name="log"),
    path("requests/", views.request_queue, name="requests"),
    path("requests/<int:pk>/", views.request_decide, name="request_decide"),
    path("policy/", views.policy, name="policy"),
]
