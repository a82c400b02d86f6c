from django.urls import path

from maillage.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:notification_id>/ouvrir/", views.notification_open, name="open"),
    path("tout-lire/", views.notification_read_all, name="read_all"),
]
