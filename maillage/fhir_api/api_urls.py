from django.urls import path

from maillage.fhir_api import views

app_name = "api"

urlpatterns = [path("openapi.json", views.openapi_json, name="openapi")]
