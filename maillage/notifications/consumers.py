"""Live notification count for the signed-in user.

The socket carries counts, never content: the page fetches the list over HTTP when it changes.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from maillage.accounts.mfa import session_used_second_factor
from maillage.accounts.models import User
from maillage.core.consumers import DispatchWithoutDatabaseHop
from maillage.notifications.services import (
    count_unread,
    note_connected,
    note_disconnected,
    note_seen,
    user_group,
)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_MESSAGE = 4400


@database_sync_to_async
def _allowed_and_unread(user: User, session: Any) -> tuple[bool, int]:
    # The same rule as the pages: a professional's session must have used a second factor.
    if user.requires_mfa and not session_used_second_factor(
        SimpleNamespace(session=session or {}), user
    ):
        return False, 0
    return True, count_unread(user_id=user.pk)


class NotificationConsumer(DispatchWithoutDatabaseHop, AsyncJsonWebsocketConsumer):
    group: str | None = None
    user_id: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not isinstance(user, User) or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        allowed, unread = await _allowed_and_unread(user, self.scope.get("session"))
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.user_id = user.pk
        await database_sync_to_async(note_connected)(user_id=user.pk)
        await self.send_json({"type": "unread", "count": unread})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.user_id is not None:
            await database_sync_to_async(note_disconnected)(user_id=self.user_id)

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

    async def unread_count(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "unread", "count": int(event["count"])})
