from django.urls import include, path

from maillage.teleconsultation import urls_call, views

app_name = "teleconsultation"

urlpatterns = [
    path("teleconsultation/", views.home, name="home"),
    path("teleconsultation/reserver/<uuid:offer_id>/", views.book, name="book"),
    path(
        "teleconsultation/rdv/<uuid:appointment_id>/", views.appointment_detail, name="appointment"
    ),
    path(
        "teleconsultation/rdv/<uuid:appointment_id>/compte-rendu/",
        views.report_detail,
        name="report",
    ),
    path(
        "teleconsultation/rdv/<uuid:appointment_id>/documents/<slug:kind>.pdf",
        views.report_document,
        name="document",
    ),
    path("teleconsultation/", include(urls_call.urlpatterns)),
    path("cabinet/teleconsultations/", views.doctor_day, name="day"),
    path("cabinet/teleconsultations/reglages/", views.offer_settings, name="offer"),
    path("cabinet/teleconsultations/<uuid:appointment_id>/cloture/", views.close, name="close"),
    path(
        "cabinet/demandes/<uuid:request_id>/rendez-vous/",
        views.book_from_request,
        name="from_request",
    ),
]
