"""Fixtures of the accounts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with no rate-limit counters and no "TOTP code already used" marks.

    allauth keeps both in the cache, which outlives the database rollback between tests.
    """
    cache.clear()
    yield
    cache.clear()
