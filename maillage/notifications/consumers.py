"""Live notification count for the signed-in user.

The socket carries counts, never content: the page fetches the list over HTTP when it changes.
Counts reach it through this process's hub (maillage.notifications.live), not a group per user.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from maillage.accounts.mfa import session_used_second_factor
from maillage.accounts.models import User
from maillage.core.consumers import DispatchWithoutDatabaseHop
from maillage.notifications.live import hub
from maillage.notifications.services import (
    count_unread,
    note_connected,
    note_disconnected,
    note_seen,
)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAVAILABLE = 1011


@database_sync_to_async
def _allowed(user: User, session: Any) -> bool:
    # The same rule as the pages: a professional's session must have used a second factor.
    return not user.requires_mfa or session_used_second_factor(
        SimpleNamespace(session=session or {}), user
    )


@database_sync_to_async
def _connected_and_unread(user_id: int) -> int:
    note_connected(user_id=user_id)
    return count_unread(user_id=user_id)


class NotificationConsumer(DispatchWithoutDatabaseHop, AsyncJsonWebsocketConsumer):
    user_id: int | None = None
    _latest: int | None = None
    _sending: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not isinstance(user, User) or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await _allowed(user, self.scope.get("session")):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        self.user_id = user.pk
        # Heard before counted: a change committed after this count is pushed to the socket.
        try:
            await hub.join(user.pk, self, self.channel_layer)
        except Exception:
            # The channel layer is down: no live count; the page says so and reconnects later.
            self.user_id = None
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        unread = await _connected_and_unread(user.pk)
        await self.send_json({"type": "unread", "count": unread})

    async def disconnect(self, code: int) -> None:
        if self.user_id is not None:
            await hub.leave(self.user_id, self)
            if self._sending is not None:
                self._sending.cancel()
            await database_sync_to_async(note_disconnected)(user_id=self.user_id)

    def offer_count(self, count: int) -> None:
        """A pushed count for this socket (from the hub): sent in order, never blocking the hub.

        One slow page (a full send buffer) must not hold up the other sockets' counts, and a
        newer count replaces one not sent yet.
        """
        self._latest = count
        if self._sending is None or self._sending.done():
            self._sending = asyncio.get_running_loop().create_task(self._send_latest())

    async def _send_latest(self) -> None:
        while self._latest is not None:
            count, self._latest = self._latest, None
            try:
                await self.send_json({"type": "unread", "count": count})
            except Exception:  # the page went away meanwhile: its disconnect follows
                return

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping" and len(content) == 1:
            if self.user_id is not None:
                await database_sync_to_async(note_seen)(user_id=self.user_id)
            await self.send_json({"type": "pong"})
            return
        await self.send_json({"type": "error", "error": "unsupported message"})

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        # A malformed frame gets an error, not a crash of the connection handler.
        if text_data is None or len(text_data) > 1024:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.send_json({"type": "error", "error": "invalid JSON"})
            return
        await self.receive_json(content)
