from django.urls import path

from maillage.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("activite/", views.doctor_dashboard, name="doctor"),
    path("activite/declaration/", views.doctor_declaration, name="declaration"),
    path("activite/facturation.csv", views.doctor_export, name="export"),
    path("activite/<slug:slug>.csv", views.doctor_table_csv, name="doctor_csv"),
    path("territoire/", views.territory_dashboard, name="territory"),
    path("territoire/<slug:slug>.csv", views.territory_table_csv, name="territory_csv"),
]
