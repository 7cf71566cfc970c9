from django.urls import path

from sanxiang.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_pk>/submit/", views.submit, name="submit"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/extend/", views.extend, name="extend"),
    path("opinions/<int:pk>/object/", views.object_to, name="object"),
    path("objections/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("catalog/", views.catalog_page, name="catalog"),
    path("catalog/publish/", views.catalog_publish, name="catalog_publish"),
]
