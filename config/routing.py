"""Websocket routes of every app."""

from maillage.notifications.routing import websocket_urlpatterns as notification_routes
from maillage.teleconsultation.routing import websocket_urlpatterns as teleconsultation_routes

websocket_urlpatterns = [*notification_routes, *teleconsultation_routes]
