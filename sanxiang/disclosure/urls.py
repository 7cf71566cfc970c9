from django.urls import path

from sanxiang.disclosure import views, views_portal

app_name = "disclosure"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/<int:pk>/", views.agency, name="agency"),
    path("credential/", views.credential_search, name="credential_search"),
    path("credential/<str:token>/", views.credential, name="credential"),
    path("progress/", views_portal.progress_query, name="progress"),
    path("procedures/", views_portal.procedures, name="procedures"),
]
