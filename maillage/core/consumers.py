"""What the websocket consumers share."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name


class DispatchWithoutDatabaseHop:
    """Hand each message straight to its handler (put before Channels' consumer class).

    Channels' `AsyncConsumer.dispatch` first closes stale database connections through
    `sync_to_async`, that is through the one thread that runs every database call of the
    process: a relayed WebRTC signal or a pushed unread count then waits behind the queries of
    every other socket (bench/ws.py: the relay's tail latency with 2,000 sockets held). Our
    consumers reach the database only through `database_sync_to_async`, which closes stale
    connections itself, in that thread, before and after each call.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
