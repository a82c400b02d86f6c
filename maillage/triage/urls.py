from django.urls import path

from maillage.triage import views

app_name = "triage"

urlpatterns = [
    path("", views.assessment_index, name="index"),
    path("commencer/<slug:template>/", views.assessment_start, name="start"),
    path("<uuid:assessment_id>/", views.assessment_step, name="assessment"),
]
