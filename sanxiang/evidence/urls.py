from django.urls import path

from sanxiang.evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:pk>/", views.case_evidence, name="case"),
    path("cases/<int:pk>/uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:pk>/", views.upload, name="upload"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/media/", views.item_media, name="item_media"),
    path("items/<int:pk>/thumbnail.jpg", views.thumbnail, name="thumbnail"),
]
