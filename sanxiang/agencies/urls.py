from django.urls import path

from sanxiang.agencies import views, views_import

app_name = "agencies"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("supervised/", views.supervised, name="supervised"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/status/", views.officer_status, name="officer_status"),
    path("officers/<int:pk>/renew/", views.officer_renew, name="officer_renew"),
    path("officers/<int:pk>/card/", views.officer_card, name="officer_card"),
    path("officers/<int:pk>/card/rotate/", views.officer_rotate_token, name="officer_rotate_token"),
    path("officers/<int:pk>/qr.png", views.officer_qr_png, name="officer_qr_png"),
    path("power-items/", views.power_items, name="power_items"),
    path("random-check-items/", views.random_check_items, name="random_check_items"),
    path("lists/import/", views_import.import_list, name="import_list"),
]
