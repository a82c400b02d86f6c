"""Time-limited TURN credentials (coturn's "TURN REST API", `use-auth-secret`).

coturn and Maillage share one secret. For each participant who opens a call page, Maillage mints
username = "<unix expiry>:<opaque id>" and credential = base64(HMAC-SHA1(secret, username));
coturn recomputes the HMAC and refuses the username once its expiry has passed. Nothing is
stored, and a leaked credential is worthless after TURN_CREDENTIAL_TTL_SECONDS.

The opaque id is random: coturn logs usernames, and its logs must not say who called whom.
Credentials are never logged here either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# coturn's default `rest-api-separator`.
SEPARATOR = ":"


@dataclass(frozen=True, repr=False)
class TurnCredential:
    username: str
    credential: str
    expires_at: int

    def __repr__(self) -> str:
        # A credential must not end up in a traceback or a log line through repr().
        return f"TurnCredential(expires_at={self.expires_at})"


def credential_for(username: str, *, secret: str) -> str:
    """The password coturn expects for `username` under `static-auth-secret=secret`."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def mint_credential(*, secret: str, ttl_seconds: int, now: float | None = None) -> TurnCredential:
    """A fresh credential for one participant, valid `ttl_seconds` from `now`."""
    expires_at = int(time.time() if now is None else now) + ttl_seconds
    username = f"{expires_at}{SEPARATOR}{secrets.token_urlsafe(12)}"
    return TurnCredential(
        username=username, credential=credential_for(username, secret=secret), expires_at=expires_at
    )


def ice_servers_for_participant() -> list[dict[str, Any]]:
    """The RTCIceServer list for one participant's call page.

    The static WEBRTC_ICE_SERVERS (STUN, a third-party TURN) come first, unchanged; with
    TURN_URLS and a shared secret configured, our coturn follows with a credential minted now.
    Call it only for someone who may join the call.
    """
    servers: list[dict[str, Any]] = [dict(server) for server in settings.WEBRTC_ICE_SERVERS]
    if settings.TURN_URLS and settings.TURN_SHARED_SECRET:
        minted = mint_credential(
            secret=settings.TURN_SHARED_SECRET, ttl_seconds=settings.TURN_CREDENTIAL_TTL_SECONDS
        )
        servers.append(
            {
                "urls": list(settings.TURN_URLS),
                "username": minted.username,
                "credential": minted.credential,
            }
        )
    return servers
