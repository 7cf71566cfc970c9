from django.urls import path

from sanxiang.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/record/", views.inspection_record_view, name="record"),
    path("<int:pk>/signatures/", views.signature_view, name="signature"),
    path("<int:pk>/hazards/", views.hazard_view, name="hazard"),
    path("<int:pk>/order/", views.order_view, name="order"),
    path("<int:pk>/recheck/", views.recheck_view, name="recheck"),
    path("<int:pk>/to-case/", views.to_case_view, name="to_case"),
    path("<int:pk>/do/<str:action>/", views.transition_view, name="transition"),
]
