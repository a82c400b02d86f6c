"""Send to channel-layer groups from any thread.

With Redis every process reaches every socket. In embedded mode the in-memory layer lives in
the one server process: task workers run there as threads, and must hand their sends to the
server's event loop instead of touching its queues from another thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
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


# Sends in flight at once: enough to hide Redis' round trips, few enough that one batch does
# not open a connection per recipient (channels_redis takes one from its pool per send).
SENDS_AT_ONCE = 64


def group_send_many(messages: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Send each (group, message) pair in one event loop, a few at a time.

    One `async_to_sync` per message costs a fresh event loop and Redis connection each
    (about 27 ms); a batch pays that once. Stops at the first failure (Redis unreachable: the
    others would fail alike, each after its own timeout) and raises it.
    """
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        gate = asyncio.Semaphore(SENDS_AT_ONCE)
        failed: list[BaseException] = []

        async def one(group: str, message: dict[str, Any]) -> None:
            async with gate:
                if failed:
                    return
                try:
                    await layer.group_send(group, message)
                except Exception as error:
                    failed.append(error)

        await asyncio.gather(*(one(group, message) for group, message in messages))
        if failed:
            raise failed[0]

    loop = _server_loop
    if loop is not None and loop.is_running():
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is not loop:
            future = asyncio.run_coroutine_threadsafe(send_all(), loop)
            future.result(timeout=SEND_TIMEOUT_SECONDS + len(messages) / SENDS_AT_ONCE)
            return
    async_to_sync(send_all)()
