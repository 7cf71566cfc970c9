from django.urls import path

from sanxiang.payments import views

app_name = "payments"

urlpatterns = [
    path("cases/<int:pk>/", views.case_payments, name="case"),
    path("cases/<int:pk>/payments/", views.payment_create, name="payment_create"),
    path("cases/<int:pk>/on-the-spot/", views.on_the_spot_create, name="on_the_spot_create"),
    path("cases/<int:pk>/payments/<int:payment_pk>/handover/", views.cash_handover, name="cash_handover"),
    path("cases/<int:pk>/deferrals/", views.deferral_apply, name="deferral_apply"),
    path(
        "cases/<int:pk>/deferrals/<int:application_pk>/decision/",
        views.deferral_decide,
        name="deferral_decide",
    ),
    path("cases/<int:pk>/appeals/", views.appeal_create, name="appeal_create"),
    path("cases/<int:pk>/appeals/<int:period_pk>/end/", views.appeal_end, name="appeal_end"),
    path("statements/import/", views.statement_import, name="statement_import"),
    path("statements/unmatched/", views.unmatched_lines, name="unmatched_lines"),
]
