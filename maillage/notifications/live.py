"""Unread counts pushed to the open pages: one channel-layer message per server process.

A new case told to 1,000 online doctors used to be 1,000 group sends (one Lua call each in
channels_redis, about 0.8 s from one worker), then 1,000 messages that the server process
popped from Redis one at a time. Now `push_unread_counts` sends one message, every
(user id, count) pair of the change in it, to `COUNTS_GROUP`; each server process listens to
that group on one channel of its own and hands each count to the sockets it holds for that user.
Ids and counts only: nothing of the notification itself crosses the channel layer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

COUNTS_GROUP = "notifications.counts"
# channels_redis forgets a group's member after a day (group_expiry), and a Redis restarted
# empty forgets them all: the listener joins again every minute (one ZADD), so that live
# counts resume within a minute of Redis coming back, whether or not sockets come and go.
REJOIN_SECONDS = 60
# After a channel-layer error (Redis restarting), wait before listening again.
RETRY_SECONDS = 1.0


def counts_message(counts: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """The one message of a push: pairs, as JSON and msgpack both carry them."""
    return {"type": "unread.counts", "counts": [[user_id, count] for user_id, count in counts]}


class CountSocket(Protocol):
    def offer_count(self, count: int) -> None: ...


class CountHub:
    """This process's notification sockets by user, and the listener that feeds them.

    Lives in the event loop of the server: it listens while at least one socket is open, and
    stops (leaving the group) when the last one closes, so that a loop that ends (a test's)
    keeps no task behind.
    """

    def __init__(self) -> None:
        self.sockets: dict[int, set[CountSocket]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self._channel = ""

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.done()

    async def join(self, user_id: int, socket: CountSocket, layer: Any) -> None:
        """Register `socket`; return once this process hears the group (pushes reach it)."""
        self.sockets.setdefault(user_id, set()).add(socket)
        loop = asyncio.get_running_loop()
        if self._listener is None or self._listener.done() or self._listener.get_loop() is not loop:
            self._ready = loop.create_future()
            self._listener = loop.create_task(self._listen(layer, self._ready))
        assert self._ready is not None  # noqa: S101 (set with the listener, just above)
        await asyncio.shield(self._ready)
        try:
            # Every join renews the membership, and so checks that the channel layer is there:
            # with Redis down the socket is refused and its page says live updates are off,
            # rather than holding a socket that hears nothing.
            await layer.group_add(COUNTS_GROUP, self._channel)
        except BaseException:
            await self.leave(user_id, socket)
            raise

    async def leave(self, user_id: int, socket: CountSocket) -> None:
        sockets = self.sockets.get(user_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self.sockets[user_id]
        if not self.sockets and self._listener is not None:
            listener, self._listener, self._ready = self._listener, None, None
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    def deliver(self, message: dict[str, Any]) -> None:
        for user_id, count in message.get("counts", ()):
            for socket in tuple(self.sockets.get(int(user_id), ())):
                socket.offer_count(int(count))

    async def _listen(self, layer: Any, ready: asyncio.Future[None]) -> None:
        channel = self._channel = await layer.new_channel()
        rejoining: asyncio.Task[None] | None = None
        try:
            while True:
                try:
                    await layer.group_add(COUNTS_GROUP, channel)
                    if rejoining is None:
                        rejoining = asyncio.create_task(self._rejoin(layer, channel))
                    if not ready.done():
                        ready.set_result(None)
                    while True:
                        message = await layer.receive(channel)
                        if message.get("type") == "unread.counts":
                            self.deliver(message)
                except Exception:
                    # Redis away: the pages fall back to their HTTP count meanwhile; a socket
                    # that joins now does not wait for Redis to come back.
                    logger.warning("unread counts not heard, listening again", exc_info=True)
                    if not ready.done():
                        ready.set_result(None)
                    await asyncio.sleep(RETRY_SECONDS)
        finally:
            if rejoining is not None:
                rejoining.cancel()
            # Else channels_redis would keep buffering this channel's messages in the process.
            with contextlib.suppress(Exception):
                await layer.group_discard(COUNTS_GROUP, channel)

    @staticmethod
    async def _rejoin(layer: Any, channel: str) -> None:
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            with contextlib.suppress(Exception):
                await layer.group_add(COUNTS_GROUP, channel)


hub = CountHub()
