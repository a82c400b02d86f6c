from django.urls import path

from maillage.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("urgences/", views.emergencies, name="emergencies"),
    path("healthz", views.healthz, name="healthz"),
]
