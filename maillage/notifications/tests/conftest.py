from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from maillage.notifications.live import COUNTS_GROUP

ReceiveCounts = Callable[[], dict[str, Any]]


@pytest.fixture
def pushed_counts() -> Iterator[ReceiveCounts]:
    """Listen to the pushed unread counts as a server process does; return the next reader."""
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(COUNTS_GROUP, channel)

    async def receive_within_seconds() -> dict[str, Any]:
        message: dict[str, Any] = await asyncio.wait_for(layer.receive(channel), timeout=5)
        return message

    def receive() -> dict[str, Any]:
        return async_to_sync(receive_within_seconds)()

    yield receive
    async_to_sync(layer.group_discard)(COUNTS_GROUP, channel)
