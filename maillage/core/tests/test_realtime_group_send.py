from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from maillage.core import realtime

GROUP = "tests.realtime"


@pytest.fixture
def server_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in its own thread, like the embedded server's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-server", daemon=True)
    thread.start()
    yield loop
    realtime.bind_server_loop(None)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.close()


@pytest.fixture
def recorded_loops(monkeypatch: pytest.MonkeyPatch) -> list[asyncio.AbstractEventLoop]:
    layer = get_channel_layer()
    assert layer is not None
    original = layer.group_send
    loops: list[asyncio.AbstractEventLoop] = []

    async def recording_group_send(group: str, message: dict[str, Any]) -> None:
        loops.append(asyncio.get_running_loop())
        await original(group, message)

    monkeypatch.setattr(layer, "group_send", recording_group_send)
    return loops


def _on(loop: asyncio.AbstractEventLoop, coroutine: Any) -> Any:
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=5)


def test_a_send_from_a_worker_thread_runs_on_the_server_loop(
    server_loop: asyncio.AbstractEventLoop, recorded_loops: list[asyncio.AbstractEventLoop]
) -> None:
    # given a socket of the server subscribed to the group
    layer = get_channel_layer()
    assert layer is not None
    channel = _on(server_loop, layer.new_channel())
    _on(server_loop, layer.group_add(GROUP, channel))
    realtime.bind_server_loop(server_loop)

    # when a task worker (this thread) sends to the group
    realtime.group_send(GROUP, {"type": "unread.count", "count": 3})

    # then the send ran on the server's loop and reached the socket
    assert recorded_loops == [server_loop]
    assert _on(server_loop, layer.receive(channel)) == {"type": "unread.count", "count": 3}
    _on(server_loop, layer.group_discard(GROUP, channel))


def test_without_a_server_loop_the_send_runs_on_a_loop_of_its_own(
    recorded_loops: list[asyncio.AbstractEventLoop],
) -> None:
    layer = get_channel_layer()
    assert layer is not None

    def worker_without_a_loop() -> object:
        # A task worker's thread: no event loop of its own, none bound by a server.
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(GROUP, channel)
        realtime.group_send(GROUP, {"type": "unread.count", "count": 1})
        received = async_to_sync(layer.receive)(channel)
        async_to_sync(layer.group_discard)(GROUP, channel)
        return received

    with ThreadPoolExecutor(max_workers=1) as pool:
        received = pool.submit(worker_without_a_loop).result(timeout=10)

    assert len(recorded_loops) == 1
    assert received == {"type": "unread.count", "count": 1}


def test_a_batch_from_a_worker_thread_runs_on_the_server_loop_and_reaches_each_group(
    server_loop: asyncio.AbstractEventLoop, recorded_loops: list[asyncio.AbstractEventLoop]
) -> None:
    layer = get_channel_layer()
    assert layer is not None
    groups = [f"{GROUP}.{n}" for n in range(3)]
    channels = [_on(server_loop, layer.new_channel()) for _ in groups]
    for group, channel in zip(groups, channels, strict=True):
        _on(server_loop, layer.group_add(group, channel))
    realtime.bind_server_loop(server_loop)

    realtime.group_send_many(
        [(group, {"type": "unread.count", "count": n}) for n, group in enumerate(groups)]
    )

    assert recorded_loops == [server_loop] * 3
    received = [_on(server_loop, layer.receive(channel)) for channel in channels]
    assert received == [{"type": "unread.count", "count": n} for n in range(3)]
    for group, channel in zip(groups, channels, strict=True):
        _on(server_loop, layer.group_discard(group, channel))


def test_a_batch_stops_at_the_first_failure_and_raises_it(monkeypatch: pytest.MonkeyPatch) -> None:
    layer = get_channel_layer()
    assert layer is not None
    attempts: list[str] = []

    async def layer_down(group: str, message: dict[str, Any]) -> None:
        attempts.append(group)
        raise ConnectionError("Redis unreachable")

    monkeypatch.setattr(layer, "group_send", layer_down)
    messages = [(f"{GROUP}.{n}", {"type": "unread.count", "count": 0}) for n in range(200)]

    with pytest.raises(ConnectionError):
        realtime.group_send_many(messages)
    # the sends already in flight when the first failed, not all 200
    assert len(attempts) <= realtime.SENDS_AT_ONCE
