"""Count the pages that failed (unhandled exceptions, answered 500) hour by hour.

In the cache, not the database: a failing request may be failing because of the database.
Redis shares the counts between processes at scale; the in-memory cache serves the embedded
mode's one process. Counts only — the error itself goes to the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

KEEP = timedelta(hours=48)


def _key(hour: datetime) -> str:
    return f"errors:5xx:{hour:%Y%m%d%H}"


def note_page_error(**_signal: Any) -> None:
    """Receiver of `got_request_exception`: one more failed page this hour. Never raises."""
    key = _key(timezone.now())
    try:
        if not cache.add(key, 1, timeout=int(KEEP.total_seconds())):
            cache.incr(key)
    except Exception:  # counting must never turn one error into two
        return


def page_errors_last_24h(now: datetime | None = None) -> int:
    moment = now or timezone.now()
    keys = [_key(moment - timedelta(hours=h)) for h in range(24)]
    return sum(int(value) for value in cache.get_many(keys).values())


def database_unavailable(error: BaseException | None) -> bool:
    """Whether a failed page failed because the database could not be reached or answered.

    Looks through the chain of causes: Django re-raises the driver's error, and a service may
    wrap it in one of its own.
    """
    from django.db import InterfaceError, OperationalError

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
