"""Build ``maillage/deid/data/former_communes.csv.gz``: delegated and associated communes.

Run ``python -m maillage.deid.tests.make_former_communes PATH/communes.json`` with the
``communes.json`` of the ``@etalab/decoupage-administratif`` package (version 6.0.0, MIT
licence, Etalab; data from INSEE's Code officiel géographique). The bundled
``maillage/core/data/communes.csv.gz`` keeps the current communes only; letters still
name the communes that were merged into a new one ("Lanslebourg-Mont-Cenis", now part of
Val-Cenis; "Condé-sur-Noireau", now part of Condé-en-Normandie), so the gazetteer reads
these rows too. Rows whose name is also a current commune's are left out.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path
from typing import Final

from maillage.deid.gazetteer import town_key

DEID: Final = Path(__file__).resolve().parent.parent
TARGET: Final = DEID / "data" / "former_communes.csv.gz"
CURRENT: Final = DEID.parent / "core" / "data" / "communes.csv.gz"
KINDS: Final = ("commune-deleguee", "commune-associee")


def main() -> None:
    rows = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with gzip.open(CURRENT, "rt", encoding="utf-8") as lines:
        current = {town_key(row["name"]) for row in csv.DictReader(lines)}
    kept = sorted(
        (
            (r["code"], r["nom"], r["departement"], r["type"], r.get("chefLieu", ""))
            for r in rows
            if r.get("type") in KINDS
        ),
        key=lambda row: (row[0], row[1]),
    )
    # mtime=0: the same input gives the same bytes, so regenerating shows no diff.
    with (
        gzip.GzipFile(TARGET, "wb", mtime=0) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("insee", "name", "department", "kind", "current_insee"))
        for row in kept:
            if town_key(row[1]) not in current:
                writer.writerow(row)


if __name__ == "__main__":
    main()
