"""Routes of the call itself (device check, call page, files, guests), under /teleconsultation/."""

from django.urls import path

from maillage.teleconsultation import views_call

urlpatterns = [
    path("test-materiel/", views_call.device_check, name="device_check"),
    path("test-materiel/debit/", views_call.bandwidth_probe, name="bandwidth_probe"),
    path("<uuid:appointment_id>/appel/", views_call.call_page, name="call"),
    path("<uuid:appointment_id>/appel/fichiers/", views_call.call_file_upload, name="call_file"),
    path("<uuid:appointment_id>/appel/invites/", views_call.guest_passes, name="guests"),
    path("fichiers/<uuid:message_id>/", views_call.call_file_download, name="call_file_download"),
    path("invite/<str:token>/", views_call.guest_entry, name="guest"),
]
