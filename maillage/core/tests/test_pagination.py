from __future__ import annotations

import pytest

from maillage.core.pagination import MAX_CURSOR, parse_cursor


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("42", 42), (str(MAX_CURSOR), MAX_CURSOR)])
def test_a_positive_integer_is_a_cursor(raw: str, expected: int) -> None:
    assert parse_cursor(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "0",
        "-3",
        "+3",
        " 3",
        "3 ",
        "3\n",
        "1.5",
        "abc",
        "0x10",
        str(MAX_CURSOR + 1),
        "²",
        "\u0663",  # ARABIC-INDIC DIGIT THREE: int() would read it, ids never contain it
        "9" * 5000,
    ],
)
def test_anything_else_means_the_first_page(raw: str | None) -> None:
    assert parse_cursor(raw) is None
