"""Send to channel-layer groups from any thread.

With Redis every process reaches every socket. In embedded mode the in-memory layer lives in
the one server process: task workers run there as threads, and must hand their sends to the
server's event loop instead of touching its queues from another thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

_server_loop: asyncio.AbstractEventLoop | None = None
SEND_TIMEOUT_SECONDS = 5


def bind_server_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    global _server_loop  # one loop per process, set once by the embedded server
    _server_loop = loop


def group_send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _server_loop
    if loop is not None and loop.is_running():
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is not loop:
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            future.result(timeout=SEND_TIMEOUT_SECONDS)
            return
    async_to_sync(layer.group_send)(group, message)
