"""Keyset pagination helpers: long lists page on an indexed key, never with OFFSET."""

from __future__ import annotations

import re

MAX_CURSOR = 2**63 - 1
# ASCII digits only, and no more than a 64-bit id has: `str.isdigit` also accepts "²" (which
# int() refuses) and int() refuses strings of more than 4300 digits; both were a 500.
_CURSOR = re.compile(r"[0-9]{1,19}")


def parse_cursor(raw: str | None) -> int | None:
    """Read an `avant=<id>` cursor; anything that is not a positive integer means "first page"."""
    if raw is None or not _CURSOR.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_CURSOR else None
