from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

from maillage.dashboards.charts import Cell, Table, format_number

register = template.Library()


@register.filter
def figure(value: Cell, unit: str = "") -> str:
    """A number as the tables show it: French grouping and decimals, a dash when unknown."""
    return format_number(value, unit)


@register.simple_tag
def table_lines(table: Table) -> list[tuple[str, list[str], str]]:
    """Rows of a table with their cells formatted, and their total when the table has one."""
    totals = table.row_totals()
    return [
        (label, [format_number(value) for value in row], format_number(total))
        for label, row, total in zip(table.rows, table.cells, totals, strict=True)
    ]


@register.filter
def figure_percent(ratio: Decimal | None) -> str:
    """A ratio as a percentage with one decimal (0.15 → « 15,0 % »)."""
    if ratio is None:
        return "—"
    return f"{formats.number_format(ratio * 100, 1, use_l10n=True)} %"
