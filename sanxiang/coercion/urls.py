from django.urls import path

from sanxiang.coercion import views

app_name = "coercion"

urlpatterns = [
    path("cases/<int:case_pk>/", views.case_measures, name="case_measures"),
    path("cases/<int:case_pk>/measures/new/", views.measure_create, name="measure_create"),
    path("cases/<int:case_pk>/preservations/new/", views.preservation_create, name="preservation_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/items/", views.measure_item_add, name="measure_item_add"),
    path("measures/<int:pk>/<str:action>/", views.measure_action, name="measure_action"),
    path("preservations/<int:pk>/", views.preservation_detail, name="preservation_detail"),
    path("preservations/<int:pk>/items/", views.preservation_item_add, name="preservation_item_add"),
    path("preservations/<int:pk>/<str:action>/", views.preservation_action, name="preservation_action"),
]
