from django.urls import path

from maillage.directory import views

app_name = "directory"

urlpatterns = [
    path("medecin-traitant/", views.treating_doctor, name="treating_doctor"),
]
