"""Send the reads of public pages to a PostgreSQL read replica (DATABASE_REPLICA_URL).

Switched on by config/settings/base.py when DATABASE_REPLICA_URL is set: the replica joins
DATABASES as "replica", `ReplicaRouter` becomes the router and `ReplicaMiddleware` marks the
requests that may use it. Everything else keeps reading and writing the primary:

- every write, and every read inside a transaction (a service reads what it writes);
- every read outside a request that opted in: tasks, websocket consumers, commands;
- the pages that are not in REPLICA_PAGES. Reading health data writes an audit event in the
  same transaction (maillage.audit): such a page must read the row it audits from the primary,
  so only public, unaudited pages are listed;
- sign-in state (sessions, second factors, lockouts, tokens): a revoked session or token must
  never be honoured from a replica that lags (the private pages read everything from the
  primary anyway);
- for a few seconds after the same browser posted a form or changed anything, its session and
  the audit trail aside (read-your-writes):
  a cookie holds the moment until which it reads from the primary;
- the rest of a request that has written (a view that writes, then reads).

Migrations run on the primary only: a streaming replica is read-only and follows its schema.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
REPLICA = "replica"
# Read-your-writes: the browser reads from the primary until the moment this cookie holds.
PIN_COOKIE = "maillage_primary"

# Public pages whose every read is safe from a lagging replica: no personal data, no audit
# event, no write (maillage/operations/tests/test_replica_router.py checks each of them).
REPLICA_PAGES = frozenset(
    {
        "health_info:library",
        "health_info:article",
        "profiles:directory",
        "profiles:profile",
        "profiles:photo",
    }
)

# Sign-in state (sessions, e-mail addresses, second factors, lockouts, tokens) is always read
# from the primary. Accounts are not: the public pages show doctors' names from them, and
# whoever visits a public page may see it, whatever a lagging copy says about them.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "account",
        "mfa",
        "socialaccount",
        "axes",
        "audit",
        "oauth2_provider",
        "django_tasks_db",
    }
)
# Writes that are not the person's own changes: the sliding session every signed-in request
# saves, and the audit event of a page that read health data. They do not pin a browser.
BOOKKEEPING_APPS = frozenset({"sessions", "audit"})
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class RequestDatabases:
    """What the current request may read from, and whether it has written."""

    replica_allowed: bool = False
    wrote: bool = False
    replica_reads: int = 0


_current: ContextVar[RequestDatabases | None] = ContextVar(
    "maillage_request_databases", default=None
)


def current_request_databases() -> RequestDatabases | None:
    """The routing state of the request being served in this context, if any."""
    return _current.get()


class ReplicaRouter:
    """Primary for writes, transactions, migrations and private pages; replica for the rest."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        state = _current.get()
        if state is None or not state.replica_allowed or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        # Inside a transaction the code reads what it has just written, or locks rows.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        state.replica_reads += 1
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _current.get()
        if state is not None and model._meta.app_label not in BOOKKEEPING_APPS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: a row read from one may point to the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == PRIMARY


def _pinned(request: HttpRequest, now: float) -> bool:
    raw = request.COOKIES.get(PIN_COOKIE, "")
    try:
        return float(raw) > now
    except ValueError:
        return False


class ReplicaMiddleware:
    """Let the GET and HEAD requests of REPLICA_PAGES read from the replica; pin after writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.pin_seconds: int = settings.DATABASE_REPLICA_PIN_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        state = RequestDatabases()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method not in SAFE_METHODS or state.wrote:
            until = time.time() + self.pin_seconds
            response.set_cookie(
                PIN_COOKIE,
                f"{until:.3f}",
                max_age=self.pin_seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        state = _current.get()
        match = request.resolver_match
        if (
            state is not None
            and request.method in SAFE_METHODS
            and match is not None
            and match.view_name in REPLICA_PAGES
            and not _pinned(request, time.time())
        ):
            state.replica_allowed = True
