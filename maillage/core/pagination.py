"""Keyset pagination helpers: long lists page on an indexed key, never with OFFSET."""

from __future__ import annotations

MAX_CURSOR = 2**63 - 1


def parse_cursor(raw: str | None) -> int | None:
    """Read an `avant=<id>` cursor; anything that is not a positive integer means "first page"."""
    if raw is None or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_CURSOR else None
