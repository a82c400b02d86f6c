from django.urls import path

from maillage.teleconsultation.consumers import CallConsumer

websocket_urlpatterns = [
    path("ws/teleconsultation/<uuid:appointment_id>/", CallConsumer.as_asgi()),
]
