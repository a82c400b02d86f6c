"""A websocket test client: channels.testing.WebsocketCommunicator, minus its import of daphne.

`channels.testing` imports its live-server helper, which needs daphne, and daphne is not a
dependency of ours (uvicorn serves the sockets). This is the same thin layer over asgiref's
ApplicationCommunicator, typed.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock
from urllib.parse import unquote, urlparse

from asgiref.testing import ApplicationCommunicator


def _no_op() -> None:
    pass


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(
        self, application: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        parsed = urlparse(path)
        self.scope: dict[str, Any] = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode("utf-8"),
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, self.scope)  # type: ignore[no-untyped-call]  # asgiref's test helpers are unannotated

    # As channels does: the consumer's database_sync_to_async must not close the test's
    # connection.
    async def send_input(self, message: dict[str, Any]) -> None:
        with mock.patch("channels.db.close_old_connections", _no_op):
            await super().send_input(message)  # type: ignore[no-untyped-call]  # unannotated upstream

    async def receive_output(self, timeout: float = 1) -> dict[str, Any]:
        with mock.patch("channels.db.close_old_connections", _no_op):
            output: dict[str, Any] = await super().receive_output(timeout)  # type: ignore[no-untyped-call]  # unannotated upstream
            return output

    async def connect(self, timeout: float = 1) -> tuple[bool, int | str | None]:
        """Return (True, subprotocol) when accepted, (False, close code) when refused."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.send_input({"type": "websocket.receive", "text": text_data})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(text_data=json.dumps(data))

    async def receive_from(self, timeout: float = 1) -> str:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        text = response.get("text")
        assert isinstance(text, str), response
        return text

    async def receive_json_from(self, timeout: float = 1) -> Any:
        return json.loads(await self.receive_from(timeout))

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)  # type: ignore[no-untyped-call]  # unannotated upstream

    async def receive_nothing(self, timeout: float = 0.1, interval: float = 0.01) -> bool:
        """Return whether no message arrived within `timeout` seconds."""
        nothing: bool = await super().receive_nothing(timeout, interval)  # type: ignore[no-untyped-call]  # unannotated upstream
        return nothing
