"""At scale, the task worker and the websocket server are different processes: Redis joins them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, channel_layers, get_channel_layer
from django.conf import settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import User
from maillage.notifications.live import COUNTS_GROUP
from maillage.notifications.services import notify


@pytest.fixture
def server_layer() -> Iterator[BaseChannelLayer]:
    """A second layer instance, as the ASGI server process would hold."""
    layer: BaseChannelLayer = channel_layers.make_backend("default")
    yield layer
    async_to_sync(layer.flush)()


async def _receive(layer: Any, channel: str) -> Any:
    return await asyncio.wait_for(layer.receive(channel), timeout=5)


@pytest.mark.redis
def test_a_committed_notification_reaches_a_socket_held_by_another_layer_instance(
    patient: User,
    server_layer: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given the settings point the channel layer at Redis, and the "server" listens to the
    # pushed counts through its own layer instance
    worker_layer = get_channel_layer()
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert worker_layer is not server_layer
    channel = async_to_sync(server_layer.new_channel)()
    async_to_sync(server_layer.group_add)(COUNTS_GROUP, channel)

    # when the "worker" delivers a notification after commit
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=patient, kind="consultation.answered", title="Votre médecin a répondu")

    # then the server's layer receives the new count, and only the patient's id and count
    message = async_to_sync(_receive)(server_layer, channel)
    assert message == {"type": "unread.counts", "counts": [[patient.pk, 1]]}
