from django.urls import path

from sanxiang.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/<int:pk>/", views.agency, name="agency"),
    path("credential/", views.credential_search, name="credential_search"),
    path("credential/<str:token>/", views.credential, name="credential"),
]
