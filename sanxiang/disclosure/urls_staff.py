"""Staff pages of publication (公示审核): the discloser's queue and the review of one publication."""

from django.urls import path

from sanxiang.disclosure import views_staff

app_name = "publications"

urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("all/", views_staff.publication_list, name="list"),
    path("new/", views_staff.new, name="new"),
    path("annual-report/", views_staff.annual_report, name="annual_report"),
    path("<int:pk>/", views_staff.review, name="review"),
    path("<int:pk>/redaction/", views_staff.redaction_change, name="redaction_change"),
    path("<int:pk>/publish/", views_staff.publish, name="publish"),
    path("<int:pk>/decline/", views_staff.decline, name="decline"),
    path("<int:pk>/revocation/", views_staff.revocation, name="revocation"),
    path("<int:pk>/withdraw/", views_staff.withdraw, name="withdraw"),
    path("<int:pk>/correct/", views_staff.correct, name="correct"),
]
