"""Tables of figures and the SVG charts drawn from them, as pure functions.

A chart is only a picture of its table: the page shows the table beside it (screen readers,
copy and paste) and offers it as CSV. The geometry is computed here and drawn by
`dashboards/_chart.html`, so no JavaScript and no third-party library reach the browser.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils import formats
from django.utils.functional import Promise

Number = int | float | Decimal
Cell = Number | None
ChartKind = Literal["columns", "bars"]

# Drawing box of every chart, in SVG user units; the SVG scales to its container.
WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 40
BAR_LABEL_WIDTH = 170  # room for commune and specialty names on horizontal bars
SERIES_CLASSES = 6  # .series-0 … .series-5 in dashboards.css


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Table:
    """Figures by row (a month, a commune…) and column (a kind of act, a statistic…)."""

    slug: str
    title: str | Promise
    row_header: str | Promise
    rows: list[str]
    columns: list[Column]
    cells: list[list[Cell]]
    unit: str = ""
    total: bool = False  # add a total column (stacked series)
    note: str = ""  # said under the caption: which rows are shown, when not all of them

    def excerpt(self, indices: Sequence[int], note: str) -> Table:
        """The same table with only the rows at `indices`, in that order, and a `note`."""
        return replace(
            self,
            rows=[self.rows[i] for i in indices],
            cells=[self.cells[i] for i in indices],
            note=note,
        )

    def settled(self) -> Table:
        """The same table with its labels translated now: for a snapshot kept in a cache.

        A lazy translation costs about 0.4 ms to unpickle (Django rebuilds its proxy class),
        a plain string nothing: thirty of them were most of a cached page's CPU.
        """
        return replace(
            self,
            title=str(self.title),
            row_header=str(self.row_header),
            columns=_settled(self.columns),
        )

    def row_totals(self) -> list[Number]:
        return [sum((value for value in row if value is not None), start=0) for row in self.cells]

    def column(self, key: str) -> list[Cell]:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.cells]

    def content(self) -> tuple[object, ...]:
        """Everything the table's rendering depends on (labels translated)."""
        columns = tuple((column.key, str(column.label)) for column in self.columns)
        title, header = str(self.title), str(self.row_header)
        return (
            self.slug,
            title,
            header,
            self.rows,
            columns,
            self.cells,
            self.unit,
            self.total,
            self.note,
        )


def _settled(columns: list[Column]) -> list[Column]:
    return [Column(column.key, str(column.label)) for column in columns]


def fingerprint(*parts: object) -> str:
    """A short key that changes whenever the figures (or their labels) do: for the HTML cache."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    table: Table
    kind: ChartKind
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    value_ticks: list[Tick] = field(default_factory=list)
    category_ticks: list[Tick] = field(default_factory=list)
    plot_left: float = MARGIN_LEFT
    plot_right: float = WIDTH - MARGIN_RIGHT
    plot_top: float = MARGIN_TOP
    plot_bottom: float = HEIGHT - MARGIN_BOTTOM
    drawn: list[Column] | None = None  # the columns drawn, when not all of the table's

    def settled(self) -> Chart:
        """The same chart with its labels translated now (see `Table.settled`)."""
        drawn = None if self.drawn is None else _settled(self.drawn)
        return replace(self, table=self.table.settled(), drawn=drawn)

    @property
    def legend_columns(self) -> list[Column]:
        return self.table.columns if self.drawn is None else self.drawn

    @property
    def legend(self) -> list[tuple[int, Column]]:
        return [
            (index % SERIES_CLASSES, column) for index, column in enumerate(self.legend_columns)
        ]


def nice_ceiling(value: float) -> tuple[float, float]:
    """Return a round top of scale at or above `value`, and the step of about four ticks."""
    if value <= 0:
        return 1.0, 1.0
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    return step * math.ceil(value / step), step


def format_number(value: Cell, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        shown = formats.number_format(round(value, 1), 1, use_l10n=True)
    elif isinstance(value, Decimal):
        shown = formats.number_format(value, 2, use_l10n=True)
    else:
        shown = formats.number_format(int(value), 0, use_l10n=True)
    return f"{shown} {unit}".strip()


def column_chart(table: Table) -> Chart:
    """Stacked columns, one a row (a month), the series stacked in the order of the columns."""
    totals = [float(total) for total in table.row_totals()]
    top, step = nice_ceiling(max(totals, default=0))
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    bottom, plot_height = HEIGHT - MARGIN_BOTTOM, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = (right - left) / max(len(table.rows), 1)
    bar_width = slot * 0.7
    rects: list[Rect] = []
    categories: list[Tick] = []
    for row_index, (label, row) in enumerate(zip(table.rows, table.cells, strict=True)):
        x = left + row_index * slot + (slot - bar_width) / 2
        base = 0.0
        for series, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if not value:
                continue
            height = float(value) / top * plot_height
            rects.append(
                Rect(
                    x=round(x, 2),
                    y=round(bottom - (base + height), 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    series=series % SERIES_CLASSES,
                    label=f"{label}, {column.label} : {format_number(value, table.unit)}",
                )
            )
            base += height
        categories.append(Tick(round(x + bar_width / 2, 2), label))
    ticks = [
        Tick(round(bottom - plot_height * index * step / top, 2), format_number(index * step))
        for index in range(round(top / step) + 1)
    ]
    return Chart(table, "columns", WIDTH, HEIGHT, rects, ticks, categories)


def bar_chart(table: Table) -> Chart:
    """Horizontal bars grouped by row (a commune, a specialty), one bar a column."""
    values = [float(value) for row in table.cells for value in row if value is not None]
    top, step = nice_ceiling(max(values, default=0))
    series_count = max(len(table.columns), 1)
    bar_height = 12.0
    group = bar_height * series_count + 10
    height = int(MARGIN_TOP + group * max(len(table.rows), 1) + 28)
    left, right = float(BAR_LABEL_WIDTH), float(WIDTH - MARGIN_RIGHT)
    rects: list[Rect] = []
    categories: list[Tick] = []
    for row_index, (label, row) in enumerate(zip(table.rows, table.cells, strict=True)):
        y = MARGIN_TOP + row_index * group
        for series, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if not value:
                continue
            rects.append(
                Rect(
                    x=left,
                    y=round(y + series * bar_height, 2),
                    width=round(float(value) / top * (right - left), 2),
                    height=bar_height - 2,
                    series=series % SERIES_CLASSES,
                    label=f"{label}, {column.label} : {format_number(value, table.unit)}",
                )
            )
        categories.append(Tick(round(y + bar_height * series_count / 2 + 4, 2), label))
    ticks = [
        Tick(round(left + (right - left) * index * step / top, 2), format_number(index * step))
        for index in range(round(top / step) + 1)
    ]
    plot_bottom = MARGIN_TOP + group * max(len(table.rows), 1)
    return Chart(
        table,
        "bars",
        WIDTH,
        height,
        rects,
        ticks,
        categories,
        plot_left=left,
        plot_right=right,
        plot_top=MARGIN_TOP,
        plot_bottom=plot_bottom,
    )


def table_csv(table: Table) -> str:
    """Write the table as CSV: `;` and decimal commas, as French spreadsheets read it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [str(table.row_header), *(str(column.label) for column in table.columns)]
    writer.writerow([*header, "Total"] if table.total else header)
    for label, row, total in zip(table.rows, table.cells, table.row_totals(), strict=True):
        cells = [_csv_number(value) for value in row]
        writer.writerow([label, *cells, _csv_number(total)] if table.total else [label, *cells])
    return out.getvalue()


def _csv_number(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value).replace(".", ",")


def months_between(first: date, last: date) -> list[date]:
    """Return the first day of every month from `first`'s month to `last`'s, inclusive."""
    months: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: date) -> str:
    return formats.date_format(month, "N Y", use_l10n=True)


def pivot(
    rows: Sequence[tuple[str, str, Number]], *, row_keys: Sequence[str], columns: Sequence[Column]
) -> list[list[Cell]]:
    """Lay (row, column, value) aggregates out as a grid; missing pairs are zeros."""
    index: dict[tuple[str, str], Number] = {}
    for row, column, value in rows:
        index[(row, column)] = _add(index.get((row, column), 0), value)
    return [[index.get((row, column.key), 0) for column in columns] for row in row_keys]


@dataclass(frozen=True)
class Gauge:
    """A horizontal gauge: where the ratio, the warning and the limit sit on a 0-100 scale."""

    scale_max: Decimal
    ratio_at: float
    warning_at: float
    limit_at: float
    width: int = WIDTH


def gauge(*, ratio: Decimal, warning: Decimal, limit: Decimal) -> Gauge:
    """Place a cap ratio on a scale running to twice the limit (or to the ratio, if beyond)."""
    scale_max = max(limit * 2, ratio)

    def at(value: Decimal) -> float:
        return round(float(value / scale_max * 100), 2)

    return Gauge(scale_max, at(ratio), at(warning), at(limit))


def _add(first: Number, second: Number) -> Number:
    if isinstance(first, Decimal) or isinstance(second, Decimal):
        return Decimal(str(first)) + Decimal(str(second))
    return first + second
