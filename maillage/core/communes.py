"""The bundled list of French communes with their coordinates (``data/communes.csv.gz``).

Read on first use (about 35,000 rows, a few megabytes, once per process). The ``Commune``
table holds the communes the platform refers to (practices, patients); the bundle answers for
every other one, so that a visitor can search around any commune of France.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Final

from maillage.core.fulltext import fold

if TYPE_CHECKING:
    from maillage.core.models import Commune

RESOURCE: Final = ("maillage.core", "data/communes.csv.gz")


@dataclass(frozen=True, slots=True)
class ReferenceCommune:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    population: int
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class _Index:
    rows: tuple[ReferenceCommune, ...]
    by_code: dict[str, ReferenceCommune]
    by_postcode: dict[str, list[ReferenceCommune]]
    by_name: dict[str, list[ReferenceCommune]]


def _read(lines: Iterable[str]) -> tuple[ReferenceCommune, ...]:
    return tuple(
        ReferenceCommune(
            insee_code=row["insee"],
            name=row["name"],
            postcodes=tuple(row["postcodes"].split()),
            department=row["department"],
            population=int(row["population"] or 0),
            latitude=Decimal(row["latitude"]) if row["latitude"] else None,
            longitude=Decimal(row["longitude"]) if row["longitude"] else None,
        )
        for row in csv.DictReader(lines)
    )


@cache
def _index() -> _Index:
    package, name = RESOURCE
    with (
        resources.files(package).joinpath(name).open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as lines,
    ):
        rows = _read(lines)
    by_postcode: dict[str, list[ReferenceCommune]] = {}
    by_name: dict[str, list[ReferenceCommune]] = {}
    # Most populous first: "Saint-Denis" is the one of Réunion or Seine-Saint-Denis, not a
    # hamlet of the same name.
    for row in sorted(rows, key=lambda r: -r.population):
        for postcode in row.postcodes:
            by_postcode.setdefault(postcode, []).append(row)
        by_name.setdefault(fold(row.name), []).append(row)
    return _Index(rows, {r.insee_code: r for r in rows}, by_postcode, by_name)


def reference_communes() -> tuple[ReferenceCommune, ...]:
    """Every current French commune of the bundle, by INSEE code."""
    return _index().rows


def find_reference_commune(text: str) -> ReferenceCommune | None:
    """The located commune a visitor typed: INSEE code, postcode or name (accents optional).

    Homonyms and prefixes ("saint-d") resolve to the most populous match.
    """
    value = text.strip()
    if not value:
        return None
    index = _index()
    if len(value) == 5 and value[:2].isalnum() and value[2:].isdigit():
        # A postcode first: "64100" is Bayonne's postcode and Bassussarry's INSEE code.
        by_code = index.by_code.get(value.upper())
        candidates = index.by_postcode.get(value) or ([by_code] if by_code else [])
    else:
        folded = fold(value)
        candidates = index.by_name.get(folded, [])
        if not candidates and len(folded) >= 3:
            candidates = sorted(
                (
                    row
                    for name, rows in index.by_name.items()
                    if name.startswith(folded)
                    for row in rows
                ),
                key=lambda r: -r.population,
            )
    return next((row for row in candidates if row.located), None)


@dataclass(frozen=True)
class LoadedCommunes:
    created: int
    updated: int


def load_communes(*, model: type[Commune] | None = None, create: bool = True) -> LoadedCommunes:
    """Put the bundle's communes into the ``Commune`` table: create the missing, relocate the rest.

    Existing rows keep their names and postcodes (a demo or an operator may have chosen them);
    their coordinates become the bundle's. `model` is the migration's historical model when a
    migration calls this.
    """
    from maillage.core.models import Commune

    table = model or Commune
    located = {
        row.insee_code: (row, row.latitude, row.longitude)
        for row in reference_communes()
        if row.latitude is not None and row.longitude is not None
    }
    stale = []
    for commune in table.objects.filter(insee_code__in=list(located)).only(
        "pk", "insee_code", "latitude", "longitude"
    ):
        _row, latitude, longitude = located.pop(commune.insee_code)
        if (commune.latitude, commune.longitude) != (latitude, longitude):
            commune.latitude, commune.longitude = latitude, longitude
            stale.append(commune)
    table.objects.bulk_update(stale, ["latitude", "longitude"], batch_size=2000)
    created = 0
    if create:
        # bulk_create skips save(): the folded name is set here.
        created = len(
            table.objects.bulk_create(
                [
                    table(
                        insee_code=row.insee_code,
                        name=row.name,
                        postcode=row.postcodes[0] if row.postcodes else "",
                        department=row.department,
                        latitude=latitude,
                        longitude=longitude,
                        folded_name=fold(row.name),
                    )
                    for row, latitude, longitude in located.values()
                ],
                batch_size=2000,
            )
        )
    return LoadedCommunes(created=created, updated=len(stale))
