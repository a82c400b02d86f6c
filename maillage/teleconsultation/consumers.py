"""Signalling of a video teleconsultation over /ws/teleconsultation/<appointment>/.

The server relays SDP descriptions and ICE candidates between the participants of one
appointment, carries the chat and keeps the call log (joined, connected, dropped…) through the
call services. Media never passes through here: the browsers connect peer to peer.

Presence goes through the channel layer only, so that several ASGI processes sharing Redis serve
one call: a newcomer says hello to the appointment's group, and every peer already there answers
on the newcomer's own channel. The newcomer's welcome waits a moment for those answers; a late
answer reaches the browser as a `peer-joined`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, ParamSpec, TypeVar, cast
from urllib.parse import parse_qs
from uuid import UUID

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from maillage.accounts.mfa import session_used_second_factor
from maillage.accounts.models import User
from maillage.core.consumers import DispatchWithoutDatabaseHop
from maillage.core.exceptions import DomainError
from maillage.teleconsultation import call_services
from maillage.teleconsultation.models import CallEvent
from maillage.teleconsultation.selectors import CallAccess, call_access, list_call_events

CLOSE_FORBIDDEN = 4403
CLOSE_BAD_MESSAGE = 4400
# The same person opened the call again (another tab, or back after a drop the server had not
# noticed yet): the older socket gives way.
CLOSE_REPLACED = 4409

MAX_FRAME_BYTES = 64 * 1024
MAX_CHAT_CHARACTERS = call_services.MAX_CHAT_LENGTH
MAX_DETAIL_CHARACTERS = 120
MAX_DELAY_MINUTES = 180
# Database writes a socket may cause per minute (chat, incidents, media changes): a buggy or
# hostile page must not fill the call log. Signalling itself never writes.
MAX_WRITES_PER_MINUTE = 60

_PEER_ID = re.compile(r"[0-9a-f]{16}")
_SDP_TYPES = frozenset({"offer", "answer", "pranswer", "rollback"})
_INCIDENT_KINDS = {
    "poor-link": CallEvent.Kind.POOR_LINK,
    "ice-restart": CallEvent.Kind.ICE_RESTART,
    "media-error": CallEvent.Kind.MEDIA_ERROR,
}
_MEDIA_KINDS = {"audio-only": CallEvent.Kind.AUDIO_ONLY, "video": CallEvent.Kind.VIDEO_RESUMED}
_MEDIA_REASONS = frozenset({"manual", "poor-link"})
_PRESENCE_KINDS = [
    CallEvent.Kind.JOINED,
    CallEvent.Kind.REJOINED,
    CallEvent.Kind.LEFT,
    CallEvent.Kind.DROPPED,
]


P = ParamSpec("P")
R = TypeVar("R")


def _in_thread(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run in a thread with Channels' database_sync_to_async (closes stale connections), typed."""
    return cast("Callable[P, Awaitable[R]]", database_sync_to_async(func))


def call_group(appointment_id: UUID) -> str:
    """The channel-layer group of one call (every participant's socket is in it)."""
    return f"teleconsultation.call.{appointment_id.hex}"


class BadMessage(Exception):
    """A client frame that does not follow the protocol."""


@dataclass
class Peer:
    peer: str
    role: str
    name: str
    since: str
    channel: str

    def public(self) -> dict[str, str]:
        return {"peer": self.peer, "role": self.role, "name": self.name, "since": self.since}


@_in_thread
def _authorise(user: Any, session: Any, appointment_id: UUID) -> CallAccess | None:
    session = session if session is not None else {}
    # The same rule as the pages: a professional's session must have used a second factor.
    if (
        isinstance(user, User)
        and user.requires_mfa
        and not session_used_second_factor(SimpleNamespace(session=session), user)
    ):
        return None
    return call_access(user=user, session=session, appointment_id=appointment_id)


@_in_thread
def _refuse(user: Any, appointment_id: UUID) -> None:
    call_services.record_outsider_refused(user=user, appointment_id=str(appointment_id))


@_in_thread
def _record(access: CallAccess, kind: str, detail: str = "", at: datetime | None = None) -> None:
    call_services.record_call_event(access=access, kind=kind, detail=detail, at=at)


@_in_thread
def _record_arrival(access: CallAccess, *, rejoin: bool) -> str:
    """Record JOINED, or REJOINED when this person's previous connection dropped."""
    last = (
        list_call_events(appointment=access.appointment)
        .filter(role=access.role, actor=access.user, kind__in=_PRESENCE_KINDS)
        .values_list("kind", flat=True)
        .last()
    )
    dropped = last == CallEvent.Kind.DROPPED
    kind = CallEvent.Kind.REJOINED if rejoin or dropped else CallEvent.Kind.JOINED
    call_services.record_call_event(access=access, kind=kind)
    return str(kind)


@_in_thread
def _post_chat(access: CallAccess, body: str) -> dict[str, Any]:
    message = call_services.post_chat_message(access=access, body=body)
    return {
        "id": str(message.public_id),
        "name": access.name,
        "role": access.role,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }


@_in_thread
def _announce_delay(access: CallAccess, minutes: int) -> int:
    appointment = call_services.announce_delay(access=access, minutes=minutes)
    return int(appointment.announced_delay_minutes)


def _person(access: CallAccess) -> str:
    """Who is behind a socket, for the channel layer only (never sent to a browser)."""
    if access.guest is not None:
        return f"guest:{access.guest.pk}"
    user_id = access.user.pk if access.user is not None else None
    return f"{access.role}:{user_id}"


def _wants_rejoin(scope: dict[str, Any]) -> bool:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("reprise") == ["1"]


def _exact_keys(
    content: dict[str, Any], required: set[str], optional: frozenset[str] = frozenset()
) -> None:
    keys = set(content)
    if not required <= keys or not keys <= required | optional:
        raise BadMessage("unexpected fields")


def _string(value: Any, *, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise BadMessage("expected a string")
    return value


def _check_signal_data(data: Any) -> None:
    """An SDP description or an ICE candidate, as RTCPeerConnection's toJSON() writes them."""
    if not isinstance(data, dict) or len(data) != 1:
        raise BadMessage("signal data must hold one description or one candidate")
    if "description" in data:
        description = data["description"]
        if not isinstance(description, dict) or not set(description) <= {"type", "sdp"}:
            raise BadMessage("bad description")
        if description.get("type") not in _SDP_TYPES:
            raise BadMessage("bad description type")
        if not isinstance(description.get("sdp", ""), str):
            raise BadMessage("bad sdp")
        return
    if "candidate" in data:
        candidate = data["candidate"]
        allowed = {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"}
        if not isinstance(candidate, dict) or not set(candidate) <= allowed:
            raise BadMessage("bad candidate")
        if not isinstance(candidate.get("candidate"), str):
            raise BadMessage("bad candidate")
        for key in ("sdpMid", "usernameFragment"):
            if candidate.get(key) is not None and not isinstance(candidate[key], str):
                raise BadMessage("bad candidate")
        index = candidate.get("sdpMLineIndex")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise BadMessage("bad candidate")
        return
    raise BadMessage("signal data must hold one description or one candidate")


class CallConsumer(DispatchWithoutDatabaseHop, AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    """One participant's socket in one call."""

    # How long a newcomer's welcome waits for the peers already there to answer its hello.
    welcome_wait_seconds = 0.3

    access: CallAccess | None = None
    group: str | None = None

    async def connect(self) -> None:
        self.peer = secrets.token_hex(8)
        self.peers: dict[str, Peer] = {}
        self.held: list[dict[str, Any]] = []  # frames for the browser, held until the welcome
        self.welcomed = False
        self.finished = False
        self.left = False
        self.connected_recorded = False
        self.writes: deque[float] = deque()
        self.last_seen = timezone.now()
        self.since = self.last_seen.isoformat()
        self.welcome_task: asyncio.Task[None] | None = None
        user = self.scope.get("user")
        appointment_id: UUID = self.scope["url_route"]["kwargs"]["appointment_id"]
        access = await _authorise(user, self.scope.get("session"), appointment_id)
        # Accept first, then close: a code sent before the handshake never reaches the page,
        # which would then keep retrying a door that stays shut.
        await self.accept()
        if access is None:
            await _refuse(user, appointment_id)
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.access = access
        self.person = _person(access)
        self.announced_delay = int(access.appointment.announced_delay_minutes)
        self.group = call_group(access.appointment.public_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await _record_arrival(access, rejoin=_wants_rejoin(self.scope))
        hello = {
            "type": "call.hello",
            **self._me().public(),
            "channel": self.channel_name,
            "person": self.person,
            "rejoin": _wants_rejoin(self.scope),
        }
        await self.channel_layer.group_send(self.group, hello)
        self.welcome_task = asyncio.create_task(self._welcome_later())

    @property
    def joined(self) -> CallAccess:
        """This socket's place in the call (set once connect() let it in)."""
        if self.access is None:
            raise RuntimeError("the socket has not joined a call")
        return self.access

    @property
    def joined_group(self) -> str:
        if self.group is None:
            raise RuntimeError("the socket has not joined a call")
        return self.group

    def _me(self) -> Peer:
        return Peer(self.peer, self.joined.role, self.joined.name, self.since, self.channel_name)

    async def _welcome_later(self) -> None:
        await asyncio.sleep(self.welcome_wait_seconds)
        if self.finished or self.access is None:
            return
        await self.send_json(
            {
                "type": "welcome",
                "peer": self.peer,
                "role": self.access.role,
                "name": self.access.name,
                "peers": [peer.public() for peer in self.peers.values()],
                "room": {
                    **self._room(),
                    "starts_at": self.access.appointment.starts_at.isoformat(),
                },
            }
        )
        self.welcomed = True
        held, self.held = self.held, []
        for frame in held:
            await self.send_json(frame)

    def _room(self) -> dict[str, Any]:
        doctor_present = self.joined.role == "doctor" or any(
            peer.role == "doctor" for peer in self.peers.values()
        )
        return {"doctor_present": doctor_present, "announced_delay": self.announced_delay}

    async def _to_browser(self, frame: dict[str, Any]) -> None:
        if self.finished:
            return
        if self.welcomed:
            await self.send_json(frame)
        else:
            self.held.append(frame)

    async def _finish(self, *, kind: str, detail: str = "", at: datetime | None = None) -> None:
        """Leave the call once: tell the others, then log how this socket ended."""
        if self.finished or self.access is None or self.group is None:
            return
        self.finished = True
        if self.welcome_task is not None:
            self.welcome_task.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        reason = "left" if kind == CallEvent.Kind.LEFT else "dropped"
        await self.channel_layer.group_send(
            self.group,
            {"type": "call.left", "peer": self.peer, "role": self.access.role, "reason": reason},
        )
        # The appointment may have been deleted meanwhile: nothing left to log against.
        with contextlib.suppress(ObjectDoesNotExist):
            await _record(self.access, kind, detail, at)

    async def disconnect(self, code: int) -> None:
        if self.access is None:
            return
        if self.left:
            await self._finish(kind=CallEvent.Kind.LEFT)
        else:
            await self._finish(kind=CallEvent.Kind.DROPPED, detail=f"code {code}")

    # --- frames from the browser -------------------------------------------------------------

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if self.access is None or self.finished:
            return
        if text_data is None or len(text_data.encode("utf-8")) > MAX_FRAME_BYTES:
            # Not the protocol at all: the socket ends, logged as a departure, not an incident.
            self.left = True
            await self._finish(kind=CallEvent.Kind.LEFT, detail="trame refusée")
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        self.last_seen = timezone.now()
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "error": "invalid JSON"})
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.send_json({"type": "error", "error": "unsupported message"})
            return
        try:
            await handler(self, content)
        except BadMessage as error:
            await self.send_json(
                {"type": "error", "error": "invalid message", "detail": str(error)}
            )
        except DomainError as error:
            await self.send_json(
                {"type": "error", "error": "refused", "message": str(error.message)}
            )

    def _may_write(self) -> bool:
        now = time.monotonic()
        while self.writes and now - self.writes[0] > 60:
            self.writes.popleft()
        if len(self.writes) >= MAX_WRITES_PER_MINUTE:
            return False
        self.writes.append(now)
        return True

    async def _too_many(self) -> None:
        await self.send_json({"type": "error", "error": "too many messages"})

    async def _on_ping(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type"})
        await self.send_json({"type": "pong"})

    async def _on_signal(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "to", "data"})
        target = content["to"]
        if not isinstance(target, str) or not _PEER_ID.fullmatch(target):
            raise BadMessage("bad peer id")
        _check_signal_data(content["data"])
        peer = self.peers.get(target)
        if peer is None:
            await self.send_json({"type": "error", "error": "unknown peer", "peer": target})
            return
        await self.channel_layer.send(
            peer.channel, {"type": "call.signal", "from": self.peer, "data": content["data"]}
        )

    async def _on_chat(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "body"})
        body = _string(content["body"], limit=MAX_CHAT_CHARACTERS)
        if not self._may_write():
            await self._too_many()
            return
        line = await _post_chat(self.joined, body)
        await self.channel_layer.group_send(self.joined_group, {"type": "call.chat", **line})

    async def _on_media(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "mode", "reason"})
        mode, reason = content["mode"], content["reason"]
        if mode not in _MEDIA_KINDS or reason not in _MEDIA_REASONS:
            raise BadMessage("bad media mode or reason")
        if not self._may_write():
            await self._too_many()
            return
        await _record(self.joined, _MEDIA_KINDS[mode], reason)
        await self.channel_layer.group_send(
            self.joined_group, {"type": "call.media", "from": self.peer, "mode": mode}
        )

    async def _on_incident(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "kind"}, frozenset({"detail"}))
        kind = content["kind"]
        if kind not in _INCIDENT_KINDS:
            raise BadMessage("bad incident kind")
        detail = _string(content.get("detail", ""), limit=MAX_DETAIL_CHARACTERS)
        if not self._may_write():
            await self._too_many()
            return
        await _record(self.joined, _INCIDENT_KINDS[kind], detail)

    async def _on_state(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "connection"})
        if content["connection"] != "connected":
            raise BadMessage("bad connection state")
        if self.connected_recorded:
            return
        # A connection proves the act only between the doctor and someone else: a patient or a
        # guest alone cannot start it (it would block cancelling and fake proof of video).
        with_doctor = self.joined.role == "doctor" or any(
            peer.role == "doctor" for peer in self.peers.values()
        )
        if not with_doctor or not self.peers:
            raise BadMessage("no doctor in the call")
        self.connected_recorded = True
        await _record(self.joined, CallEvent.Kind.CONNECTED)

    async def _on_delay(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type", "minutes"})
        minutes = content["minutes"]
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise BadMessage("minutes must be an integer")
        if self.joined.role != "doctor":
            await self.send_json({"type": "error", "error": "forbidden"})
            return
        if not self._may_write():
            await self._too_many()
            return
        announced = await _announce_delay(self.joined, minutes)
        await self.channel_layer.group_send(
            self.joined_group, {"type": "call.room", "announced_delay": announced}
        )

    async def _on_leave(self, content: dict[str, Any]) -> None:
        _exact_keys(content, {"type"})
        self.left = True
        await self._finish(kind=CallEvent.Kind.LEFT)
        await self.close(code=1000)

    _handlers = {
        "ping": _on_ping,
        "signal": _on_signal,
        "chat": _on_chat,
        "media": _on_media,
        "incident": _on_incident,
        "state": _on_state,
        "delay": _on_delay,
        "leave": _on_leave,
    }

    # --- messages from the channel layer -----------------------------------------------------

    async def call_hello(self, event: dict[str, Any]) -> None:
        if self.access is None or self.finished or event["channel"] == self.channel_name:
            return
        if event["person"] == self.person:
            await self._give_way(rejoin=bool(event["rejoin"]))
            return
        newcomer = Peer(
            event["peer"], event["role"], event["name"], event["since"], event["channel"]
        )
        self.peers[newcomer.peer] = newcomer
        await self.channel_layer.send(
            newcomer.channel,
            {"type": "call.present", **self._me().public(), "channel": self.channel_name},
        )
        if self.welcomed:
            await self.send_json({"type": "peer-joined", **newcomer.public()})
            if newcomer.role == "doctor":
                await self.send_json({"type": "room", **self._room()})

    async def _give_way(self, *, rejoin: bool) -> None:
        # Back after a drop we had not noticed: the drop happened when we last heard from it.
        if rejoin:
            await self._finish(kind=CallEvent.Kind.DROPPED, detail="reprise", at=self.last_seen)
        else:
            self.left = True
            await self._finish(kind=CallEvent.Kind.LEFT, detail="ouvert ailleurs")
        await self.close(code=CLOSE_REPLACED)

    async def call_present(self, event: dict[str, Any]) -> None:
        if self.finished or event["channel"] == self.channel_name:
            return
        known = event["peer"] in self.peers
        peer = Peer(event["peer"], event["role"], event["name"], event["since"], event["channel"])
        self.peers[peer.peer] = peer
        if self.welcomed and not known:
            await self.send_json({"type": "peer-joined", **peer.public()})
            if peer.role == "doctor":
                await self.send_json({"type": "room", **self._room()})

    async def call_left(self, event: dict[str, Any]) -> None:
        if event["peer"] == self.peer:
            return
        known = self.peers.pop(event["peer"], None) is not None
        if self.welcomed and known:
            await self._to_browser(
                {"type": "peer-left", "peer": event["peer"], "reason": event["reason"]}
            )
            if event["role"] == "doctor":
                await self._to_browser({"type": "room", **self._room()})

    async def call_signal(self, event: dict[str, Any]) -> None:
        await self._to_browser({"type": "signal", "from": event["from"], "data": event["data"]})

    async def call_chat(self, event: dict[str, Any]) -> None:
        keys = ("id", "name", "role", "body", "at")
        await self._to_browser({"type": "chat", **{key: event[key] for key in keys}})

    async def call_file(self, event: dict[str, Any]) -> None:
        keys = ("id", "name", "url", "author", "role", "at")
        await self._to_browser({"type": "file", **{key: event[key] for key in keys}})

    async def call_media(self, event: dict[str, Any]) -> None:
        if event["from"] != self.peer:
            await self._to_browser({"type": "media", "from": event["from"], "mode": event["mode"]})

    async def call_room(self, event: dict[str, Any]) -> None:
        self.announced_delay = int(event["announced_delay"])
        await self._to_browser({"type": "room", **self._room()})

    async def call_revoked(self, event: dict[str, Any]) -> None:
        """The doctor revoked a guest's pass: that guest's socket closes at once."""
        if self.access is None or self.access.guest is None:
            return
        if str(self.access.guest.public_id) != event["guest"]:
            return
        self.left = True
        await self._finish(kind=CallEvent.Kind.LEFT, detail="lien révoqué")
        await self.close(code=CLOSE_FORBIDDEN)
