from django.urls import path

from maillage.records import views

app_name = "records"

urlpatterns = [
    path("", views.my_record, name="mine"),
    path("<uuid:patient_id>/", views.timeline, name="timeline"),
    path("<uuid:patient_id>/confidentialite/", views.privacy, name="privacy"),
    path("<uuid:patient_id>/telechargement/", views.exports, name="exports"),
    path("<uuid:patient_id>/droits/", views.rights, name="rights"),
    path("telechargements/<uuid:export_id>/", views.export_download, name="export_download"),
    path("documents/<uuid:entry_id>/", views.entry_document, name="document"),
    path("documents/<uuid:entry_id>/masquer/", views.mask, name="mask"),
]
