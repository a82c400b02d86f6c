from django.urls import path

from maillage.consultations import views

app_name = "consultations"

urlpatterns = [
    path("demandes/", views.request_list, name="requests"),
    path("demandes/nouvelle/", views.request_new, name="new"),
    path("demandes/brouillon/", views.request_draft, name="draft"),
    path("demandes/<uuid:request_id>/", views.request_detail, name="request"),
    path("demandes/pieces/<uuid:attachment_id>/", views.attachment_download, name="attachment"),
    path("cabinet/demandes/", views.team_queue, name="queue"),
    path("cabinet/reglages/", views.team_settings, name="settings"),
    path("cabinet/demandes/<uuid:request_id>/", views.team_request, name="team_request"),
]
