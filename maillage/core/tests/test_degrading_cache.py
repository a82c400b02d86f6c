"""An unreachable Redis is an empty cache: misses, no errors, and no wait on every call."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from maillage.core import cache as degrading
from maillage.core.cache import DegradingRedisCache, redis_recently_unreachable


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


@pytest.fixture
def unreachable() -> Iterator[DegradingRedisCache]:
    degrading._down_until = 0.0
    degrading._last_failure = 0.0
    degrading._missed.clear()
    yield DegradingRedisCache(
        f"redis://127.0.0.1:{_closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )
    degrading._down_until = 0.0
    degrading._last_failure = 0.0
    degrading._missed.clear()


def test_every_operation_behaves_as_a_miss(unreachable: DegradingRedisCache) -> None:
    assert unreachable.get("session", "absent") == "absent"
    unreachable.set("session", {"user": 1})
    assert unreachable.add("counter", 1) is False
    with pytest.raises(ValueError, match="not found"):
        unreachable.incr("counter")
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("a") is False
    assert unreachable.delete("session") is False
    unreachable.set_many({"a": 1})
    unreachable.delete_many(["a"])
    assert unreachable.get_or_set("computed", 42) == 42
    assert redis_recently_unreachable()


def test_writes_missed_during_the_outage_are_remembered_for_deletion(
    unreachable: DegradingRedisCache,
) -> None:
    unreachable.set("session", 1)
    unreachable.delete("other")

    assert set(degrading._missed) == {
        unreachable.make_key("session"),
        unreachable.make_key("other"),
    }


def test_after_a_failure_redis_is_not_asked_again_for_a_few_seconds(
    unreachable: DegradingRedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable.get("a")
    calls: list[str] = []
    monkeypatch.setattr(type(unreachable._cache), "get", lambda *a: calls.append("get"))

    unreachable.get("a")

    assert calls == []
    monkeypatch.setattr(degrading, "_down_until", time.monotonic() - 1)
    unreachable.get("a")
    assert calls == ["get"]


def test_one_redis_client_serves_every_call(unreachable: DegradingRedisCache) -> None:
    # Django's client builds a redis.Redis per call (a third of a hit's CPU); ours keeps one.
    client = unreachable._cache.get_client("a")
    assert unreachable._cache.get_client("b", write=True) is client
    assert client.connection_pool is unreachable._cache._get_connection_pool(False)
