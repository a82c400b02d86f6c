from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from maillage.accounts.models import User
from maillage.notifications.services import user_group


@pytest.fixture
def listen_to_user() -> Iterator[Callable[[User], Callable[[], dict[str, Any]]]]:
    """Subscribe a channel to a user's group; return a function that reads the next message."""
    layer = get_channel_layer()
    assert layer is not None
    subscriptions: list[tuple[str, str]] = []

    def listen(user: User) -> Callable[[], dict[str, Any]]:
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(user_group(user.pk), channel)
        subscriptions.append((user_group(user.pk), channel))

        async def receive_within_seconds() -> dict[str, Any]:
            message: dict[str, Any] = await asyncio.wait_for(layer.receive(channel), timeout=5)
            return message

        def receive() -> dict[str, Any]:
            return async_to_sync(receive_within_seconds)()

        return receive

    yield listen
    for group, channel in subscriptions:
        async_to_sync(layer.group_discard)(group, channel)
