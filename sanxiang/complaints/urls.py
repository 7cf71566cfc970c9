from django.urls import path

from sanxiang.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_new, name="new"),
    path("track/", views.complaint_track, name="track"),
    path("queue/", views.complaint_queue, name="queue"),
    path("queue/<int:pk>/", views.complaint_detail, name="detail"),
    path("queue/<int:pk>/<str:action>/", views.complaint_step, name="step"),
]
