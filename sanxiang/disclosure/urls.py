from django.urls import path

from sanxiang.disclosure import views, views_portal, views_published

app_name = "disclosure"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/<int:pk>/", views.agency, name="agency"),
    path("agency/<int:pk>/benchmarks/", views.benchmarks, name="benchmarks"),
    path("credential/", views.credential_search, name="credential_search"),
    path("credential/<str:token>/", views.credential, name="credential"),
    path("progress/", views_portal.progress_query, name="progress"),
    path("procedures/", views_portal.procedures, name="procedures"),
    path("published/", views_published.published_list, name="published"),
    path("published/<int:pk>/", views_published.published_detail, name="published_detail"),
    path("published/feed/", views_published.feed, name="published_feed"),
    path("published/all.csv", views_published.download_csv, name="published_csv"),
    path("published/all.json", views_published.download_json, name="published_json"),
    path("published/transparency/", views_published.transparency, name="transparency"),
    path("agency/<int:pk>/statistics/", views_published.statistics, name="statistics"),
]
