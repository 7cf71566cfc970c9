from django.urls import path

from sanxiang.worklist import views

app_name = "worklist"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
