from django.urls import path, re_path

from maillage.fhir_api import views

app_name = "fhir_api"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart_configuration"),
    path("Patient/<str:resource_id>/$everything", views.everything, name="everything"),
    re_path(r"^(?P<resource_type>[A-Za-z]+)$", views.search, name="search"),
    re_path(
        r"^(?P<resource_type>[A-Za-z]+)/(?P<resource_id>[A-Za-z0-9\-.]{1,64})$",
        views.read,
        name="read",
    ),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
