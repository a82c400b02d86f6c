from django.urls import path

from maillage.operations import views

app_name = "operations"

urlpatterns = [
    path("audit/", views.audit_search, name="audit"),
    path("etat/", views.system_status, name="status"),
    path("rgpd/", views.privacy_queue, name="privacy_queue"),
]
