"""Shared fixtures: personas, the rule that nothing is skipped in CI, the embedded test server."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings

pytest_plugins = ["maillage.testing.personas", "maillage.testing.browser"]

REQUIRE_ALL = os.environ.get("MAILLAGE_REQUIRE_ALL") == "1"
CHROMIUM = Path(os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium"))


def _redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def _missing_part(item: pytest.Item) -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and engine != "django.db.backends.postgresql":
        return "needs PostgreSQL (run with DATABASE_URL=postgres://…)"
    if item.get_closest_marker("redis") and not _redis_reachable():
        return "needs Redis (run with REDIS_URL=redis://… and a server listening)"
    if item.get_closest_marker("browser") and not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = _missing_part(item)
    if missing is None:
        return
    if REQUIRE_ALL:
        pytest.fail(f"MAILLAGE_REQUIRE_ALL=1 forbids skipping: {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(autouse=True)
def _isolated_sms_outbox() -> Iterator[None]:
    from maillage.notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_behind(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Close what worker threads leave open before the test database is dropped.

    Channels' and asgiref's thread pools keep their own connections to the test database;
    PostgreSQL refuses to drop a database someone is connected to, and the next run would
    find it still there.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: rate-limit counters are kept there."""
    from django.core.cache import cache

    cache.clear()
