from django.urls import path

from maillage.expertise import views

app_name = "expertise"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("nouvelle/", views.new, name="new"),
    path("<uuid:request_id>/", views.detail, name="detail"),
    path("pieces/<uuid:attachment_id>/", views.attachment, name="attachment"),
]
