"""The chart geometry and the CSV of a table, as pure functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from maillage.dashboards.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    Column,
    Table,
    bar_chart,
    column_chart,
    gauge,
    months_between,
    nice_ceiling,
    pivot,
    table_csv,
)

COLUMNS = [Column("a", "A"), Column("b", "B")]


def _table(cells: list[list[int | float | Decimal | None]], **extra: object) -> Table:
    return Table(
        slug="t",
        title="T",
        row_header="Mois",
        rows=[f"r{i}" for i in range(len(cells))],
        columns=COLUMNS,
        cells=cells,
        **extra,  # type: ignore[arg-type]  # test helper: unit and total only
    )


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 1, 1), (3, 3, 1), (7, 8, 2), (10, 10, 2.5), (101, 150, 50), (0.4, 0.4, 0.1)],
)
def test_the_scale_ends_on_a_round_number(value: float, top: float, step: float) -> None:
    assert nice_ceiling(value) == pytest.approx((top, step))


def test_stacked_columns_reach_the_row_total() -> None:
    chart = column_chart(_table([[3, 1], [0, 0], [2, 2]]))
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    # the tallest stack (4) reaches the top of a 0-4 scale; empty values draw nothing
    first = [rect for rect in chart.rects if rect.label.startswith("r0")]
    assert sum(rect.height for rect in first) == pytest.approx(plot_height)
    assert len(chart.rects) == 4
    assert [tick.label for tick in chart.category_ticks] == ["r0", "r1", "r2"]
    assert first[1].y + first[1].height == pytest.approx(first[0].y)  # stacked, not overlapping


def test_bars_are_proportional_to_the_values() -> None:
    chart = bar_chart(_table([[5, 10]]))
    short, long = chart.rects
    assert long.width == pytest.approx(2 * short.width)
    assert long.x == short.x == chart.plot_left


def test_csv_uses_semicolons_decimal_commas_and_a_total() -> None:
    text = table_csv(_table([[1, Decimal("20.00")], [None, 2.25]], total=True))
    assert text.splitlines() == ["Mois;A;B;Total", "r0;1;20,00;21,00", "r1;;2,2;2,2"]


def test_months_cross_the_new_year() -> None:
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_pivot_fills_gaps_with_zero_and_sums_duplicates() -> None:
    rows: list[tuple[str, str, int | Decimal]] = [
        ("m1", "a", 2),
        ("m1", "a", 3),
        ("m2", "b", Decimal("1.50")),
    ]
    assert pivot(rows, row_keys=["m1", "m2", "m3"], columns=COLUMNS) == [
        [5, 0],
        [0, Decimal("1.50")],
        [0, 0],
    ]


def test_the_gauge_runs_to_twice_the_limit() -> None:
    picture = gauge(ratio=Decimal("0.20"), warning=Decimal("0.15"), limit=Decimal("0.20"))
    assert (picture.ratio_at, picture.warning_at, picture.limit_at) == (50.0, 37.5, 50.0)
    beyond = gauge(ratio=Decimal("0.60"), warning=Decimal("0.15"), limit=Decimal("0.20"))
    assert beyond.ratio_at == 100.0
