"""A Redis cache that degrades to "no cache" while Redis is unreachable.

Everything we keep in the cache can be lost: sessions are also in the database (`cached_db`),
rate-limit and error counters are best effort. So a Redis outage must cost a miss, never a
500 page. After the first failure the process stops asking Redis for a few seconds (a small
circuit breaker), so pages do not each wait for a connection timeout.

A write or delete that could not reach Redis leaves the old value there if Redis was only
unreachable (a partition) rather than restarted empty: such keys are remembered and deleted
as soon as Redis answers again, so a session ended during the outage does not come back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# How long a process skips Redis after a failure before trying again.
RETRY_AFTER_SECONDS = 5.0
# Keys written during an outage, to delete on recovery; past this many, the oldest are dropped.
MAX_MISSED_KEYS = 10_000

T = TypeVar("T")

_lock = threading.Lock()
_down_until = 0.0
_last_failure = 0.0
# Shared by the process's threads (Django builds one cache object per thread).
_missed: dict[str, None] = {}  # an insertion-ordered set


def redis_recently_unreachable(within_seconds: float = 30.0) -> bool:
    """Whether this process failed to reach Redis lately (pages then say live features are off)."""
    return _last_failure > 0 and time.monotonic() - _last_failure < within_seconds


def _note_failure(error: Exception) -> None:
    global _down_until, _last_failure  # per process, like the connection pool itself
    now = time.monotonic()
    with _lock:
        first = now >= _down_until
        _down_until = now + RETRY_AFTER_SECONDS
        _last_failure = now
    if first:
        logger.warning("cache unreachable, serving without it: %s", type(error).__name__)


def _note_success() -> None:
    global _last_failure  # Redis answers again: the pages stop saying live features are off
    if _last_failure:
        _last_failure = 0.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` around the pool for every call, copying its 80-odd
    response callbacks into a case-insensitive dict each time: about a third of the CPU of a
    cache hit, paid twice or more by every signed-in page (session, unread count). A client
    may be shared: each command takes a connection from the pool and gives it back.
    """

    # Django's, which the stubs do not declare: the client class and the pool for a call.
    _client: Any
    _get_connection_pool: Callable[[bool], Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[object, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    """Django's RedisCache, where an unreachable Redis behaves as an empty cache."""

    _cache: Any  # Django's client wrapper (a cached property the stubs do not declare)

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _circuit_open(self) -> bool:
        return time.monotonic() < _down_until

    def _remember(self, keys: Iterable[str]) -> None:
        with _lock:
            for key in keys:
                _missed[key] = None
            while len(_missed) > MAX_MISSED_KEYS:
                del _missed[next(iter(_missed))]

    def _forget_missed(self) -> None:
        with _lock:
            keys = list(_missed)
            _missed.clear()
        try:
            self._cache.delete_many(keys)
        except UNREACHABLE:
            self._remember(keys)
            raise

    def _call(
        self,
        operation: Callable[[], T],
        fallback: T,
        *,
        written: Iterable[str] = (),
    ) -> T:
        if self._circuit_open():
            self._remember(written)
            return fallback
        try:
            if _missed:
                self._forget_missed()
            result = operation()
        except UNREACHABLE as error:
            _note_failure(error)
            self._remember(written)
            return fallback
        _note_success()
        return result

    def _key(self, key: Any, version: int | None) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        raw = self._key(key, version)
        return self._call(
            lambda: self._cache.add(raw, value, self.get_backend_timeout(timeout)), False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        raw = self._key(key, version)
        return self._call(lambda: self._cache.get(raw, default), default)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        raw = self._key(key, version)
        self._call(
            lambda: self._cache.set(raw, value, self.get_backend_timeout(timeout)),
            None,
            written=[raw],
        )

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        raw = self._key(key, version)
        return self._call(lambda: self._cache.touch(raw, self.get_backend_timeout(timeout)), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        raw = self._key(key, version)
        return self._call(lambda: self._cache.delete(raw), False, written=[raw])

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        key_map = {self._key(key, version): key for key in keys}
        found: dict[str, Any] = self._call(lambda: self._cache.get_many(key_map.keys()), {})
        return {key_map[raw]: value for raw, value in found.items()}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        raw = self._key(key, version)
        return self._call(lambda: self._cache.has_key(raw), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        raw = self._key(key, version)
        missing = object()
        value = self._call(lambda: self._cache.incr(raw, delta), missing)
        if value is missing:
            # What Django raises for a key that is not there: callers already handle it.
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return int(value)  # type: ignore[call-overload,no-any-return]  # an int, not `missing`

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        if not data:
            return []
        safe = {self._key(key, version): value for key, value in data.items()}
        self._call(
            lambda: self._cache.set_many(safe, self.get_backend_timeout(timeout)),
            None,
            written=list(safe),
        )
        return []

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        raws = [self._key(key, version) for key in keys]
        if raws:
            self._call(lambda: self._cache.delete_many(raws), None, written=raws)

    def clear(self) -> None:
        self._call(lambda: self._cache.clear(), None)
