"""The public directory at 100, 10,000 and 100,000 published profiles (issue 8).

    .venv/bin/python -m bench.directory_scale            # 100, 10,000 then 100,000 profiles
    .venv/bin/python -m bench.directory_scale --sizes 100,5000 --requests 20

For each size the `--database` (default `maillage_h3_bench`) is dropped, created, migrated and
filled with COPY (`bench.generate.Loader`): the 34,871 located communes of the bundled list,
and that many doctors, each published with one version, a practice of their own near a real
commune drawn in proportion to its population (Paris, Lyon, Marseille are dense; a village
has one doctor or none), a specialty (45 % general practice), languages, "new patients",
"médecin traitant", teleconsultation for a third of them, opening hours.

Then the same searches and a profile page go through Django's test client on the production
settings (`bench.env`), one request at a time in this process, warmed up: p50 and p95 wall
milliseconds over `--requests`, and the queries of one request. Sequential requests compare
two sizes more fairly than a load test on a shared 2-core machine; figures still move with
whatever else runs. A page shows at most 50 doctors: at 100 profiles most searches find a
few, at 10,000 most already find 50, so 10,000 -> 100,000 isolates the directory's size.
"search ms" is the lookup and the search alone (the database's share), without the page.
Prints a table, writes bench/results/directory-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench import env as bench_env

SEARCHES: list[tuple[str, dict[str, str]]] = [
    (
        "general practice, Paris, 10 km",
        {"specialite": "medecine-generale", "commune": "Paris", "rayon": "10"},
    ),
    ("cardiology, Nancy, 25 km", {"specialite": "cardiologie", "commune": "Nancy", "rayon": "25"}),
    (
        "Lyon, 50 km, new patients, English",
        {"commune": "Lyon", "rayon": "50", "nouveaux": "on", "langue": "en"},
    ),
    (
        "Bordeaux, 25 km, teleconsultation, open now",
        {"commune": "33000", "rayon": "25", "teleconsultation": "on", "ouvert": "on"},
    ),
    ("a village (Lamarche), 10 km", {"commune": "Lamarche", "rayon": "10"}),
    ("dermatology, no commune", {"specialite": "dermatologie"}),
    ("German, médecin traitant, no commune", {"langue": "de", "traitant": "on"}),
]
LANGUAGES = [("en", 0.25), ("de", 0.04), ("es", 0.06), ("it", 0.03), ("ar", 0.05)]
FIRST = ["Camille", "Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Zoé", "Émile", "Manon"]
LAST = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois"]
LAST += ["Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "Fournier"]
COMMUNE_COLUMNS = (
    *("id", "insee_code", "name", "postcode", "department", "latitude", "longitude"),
    "folded_name",
)
PROFILE_COLUMNS = (
    *("id", "doctor_id", "slug", "status", "published_version_id", "published_at"),
    *("sort_name", "specialty", "latitude", "longitude", "languages"),
    *("accepts_new_patients", "accepts_treating"),
)
VERSION_COLUMNS = (
    *("id", "profile_id", "number", "author_id", "presentation", "languages", "practice_id"),
    *("accepts_new_patients", "accepts_treating", "fees"),
)


@dataclass
class Measure:
    name: str
    path: str
    status: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    results: int = 0
    # The search alone (commune lookup and selectors.search, the database's share), no page.
    search_p50_ms: float = 0.0


@dataclass
class Size:
    profiles: int
    load_s: float = 0.0
    rows: int = 0
    measures: list[Measure] = field(default_factory=list)


def use_database(name: str, redis_url: str) -> None:
    """Point `bench.env` (hence migrations, the loader and the settings) at `name`."""
    bench_env.DB_NAME = name
    bench_env.DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{name}"
    bench_env.REDIS_URL = redis_url


def load(n: int, *, seed: int = 8) -> int:
    """Fill the (empty, migrated) database with `n` published doctors; return the rows.

    Runs in the caller's transaction (constraints deferred till its commit).
    """
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench.generate import Loader
    from maillage.accounts.models import Professional, Role, User
    from maillage.accounts.specialties import Specialty
    from maillage.consultations.models import PracticeAvailability
    from maillage.core.communes import reference_communes
    from maillage.core.fulltext import fold
    from maillage.core.models import Commune
    from maillage.directory.models import Practice, PracticeMembership
    from maillage.profiles.models import DoctorProfile, ProfileVersion
    from maillage.teleconsultation.models import TeleconsultationOffer

    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not secrets)
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, psycopg.Connection)  # noqa: S101 (PostgreSQL only)
    copy = Loader(raw)
    now = copy.now
    password = make_password("bench-password")

    communes = [c for c in reference_communes() if c.located]
    copy.copy(
        Commune,
        COMMUNE_COLUMNS,
        (
            (
                i + 1,
                c.insee_code,
                c.name,
                c.postcodes[0] if c.postcodes else "",
                c.department,
                c.latitude,
                c.longitude,
                fold(c.name),
            )
            for i, c in enumerate(communes)
        ),
    )
    where = rng.choices(range(len(communes)), weights=[c.population for c in communes], k=n)
    others = [s for s in Specialty.values if s != Specialty.GENERAL_PRACTICE]
    specialty = [
        Specialty.GENERAL_PRACTICE if rng.random() < 0.45 else rng.choice(others) for _ in range(n)
    ]
    # Within about 3 km of the town hall: a city's doctors are not all at one address.
    places = []
    for c in where:
        commune = communes[c]
        assert commune.latitude is not None  # noqa: S101 (located, filtered above)
        assert commune.longitude is not None  # noqa: S101
        lat = float(commune.latitude) + rng.uniform(-0.02, 0.02)
        lon = float(commune.longitude) + rng.uniform(-0.02, 0.02) / math.cos(math.radians(lat))
        places.append((round(lat, 5), round(lon, 5)))
    copy.copy(
        Practice,
        ["id", "name", "kind", "address", "postcode", "commune_id", "latitude", "longitude"],
        (
            (
                d + 1,
                f"Cabinet {d + 1}",
                "cabinet",
                f"{d % 200 + 1} rue de la Gare",
                communes[where[d]].postcodes[0] if communes[where[d]].postcodes else "",
                where[d] + 1,
                places[d][0],
                places[d][1],
            )
            for d in range(n)
        ),
    )
    copy.copy(PracticeAvailability, ["id", "practice_id"], ((d + 1, d + 1) for d in range(n)))
    copy.copy(
        User,
        ["id", "email", "password", "first_name", "last_name", "role", "date_joined"],
        (
            (
                d + 1,
                f"doctor{d}@bench.maillage.invalid",
                password,
                FIRST[d % len(FIRST)],
                LAST[(d // len(FIRST)) % len(LAST)],
                Role.GP if specialty[d] == Specialty.GENERAL_PRACTICE else Role.SPECIALIST,
                now,
            )
            for d in range(n)
        ),
    )
    copy.copy(
        Professional,
        ["id", "user_id", "rpps", "specialty", "verification", "verified_at"],
        ((d + 1, d + 1, f"1{d:010d}", specialty[d], "operator", now) for d in range(n)),
    )
    copy.copy(
        PracticeMembership,
        ["id", "practice_id", "user_id", "kind"],
        ((d + 1, d + 1, d + 1, "doctor") for d in range(n)),
    )
    teleconsulting = [d for d in range(n) if rng.random() < 0.33]
    copy.copy(
        TeleconsultationOffer,
        ["id", "doctor_id", "practice_id", "enabled", "fee"],
        ((i + 1, d + 1, d + 1, True, "25.00") for i, d in enumerate(teleconsulting)),
    )
    languages = [
        ["fr", *(code for code, share in LANGUAGES if rng.random() < share)] for _ in range(n)
    ]
    new_patients = [rng.random() < 0.6 for _ in range(n)]
    treating = [specialty[d] == Specialty.GENERAL_PRACTICE and rng.random() < 0.5 for d in range(n)]
    with raw.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    copy.copy(
        DoctorProfile,
        PROFILE_COLUMNS,
        (
            (
                d + 1,
                d + 1,
                f"dr-{fold(LAST[(d // len(FIRST)) % len(LAST)])}-{d}",
                "published",
                d + 1,
                now,
                f"{LAST[(d // len(FIRST)) % len(LAST)]} {FIRST[d % len(FIRST)]}",
                specialty[d],
                places[d][0],
                places[d][1],
                languages[d],
                new_patients[d],
                treating[d],
            )
            for d in range(n)
        ),
    )
    copy.copy(
        ProfileVersion,
        VERSION_COLUMNS,
        (
            (
                d + 1,
                d + 1,
                1,
                d + 1,
                "Consultations au cabinet, sur rendez-vous.",
                languages[d],
                d + 1,
                new_patients[d],
                treating[d],
                "Consultation au tarif conventionnel.",
            )
            for d in range(n)
        ),
    )
    copy.reset_sequences(
        [
            Commune,
            Practice,
            PracticeAvailability,
            User,
            Professional,
            PracticeMembership,
            TeleconsultationOffer,
            DoctorProfile,
            ProfileVersion,
        ]
    )
    return sum(copy.counts.values())


def search_only(params: dict[str, str], *, requests: int) -> float:
    """p50 milliseconds of the view's lookup and search for `params`, without rendering."""
    from maillage.profiles import selectors
    from maillage.profiles.forms import SearchForm

    form = SearchForm(params)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    data = form.cleaned_data
    wall = []
    for _ in range(requests):
        started = time.perf_counter()
        selectors.search(
            specialty=data["specialite"],
            commune=selectors.find_commune(data["commune"]),
            radius_km=data["rayon"] or 25,
            teleconsultation=data["teleconsultation"],
            new_patients=data["nouveaux"],
            treating=data["traitant"],
            language=data["langue"],
            open_now=data["ouvert"],
        )
        wall.append(time.perf_counter() - started)
    return statistics.median(wall) * 1000


def measure(name: str, path: str, *, requests: int, warmup: int) -> Measure:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import PROXY_HEADERS

    client = Client()
    for _ in range(warmup):
        client.get(path, headers=PROXY_HEADERS)
    wall = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path, headers=PROXY_HEADERS)
        wall.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=PROXY_HEADERS)
    wall.sort()
    return Measure(
        name=name,
        path=path,
        status=response.status_code,
        p50_ms=statistics.median(wall) * 1000,
        p95_ms=wall[max(0, math.ceil(0.95 * len(wall)) - 1)] * 1000,
        queries=len(captured.captured_queries),
        results=response.content.decode().count('class="card"'),
    )


def measure_size(n: int, *, requests: int, warmup: int) -> Size:
    from urllib.parse import urlencode

    from django.db import connection, connections, transaction
    from django.urls import reverse

    from bench.generate import recreate_database
    from maillage.profiles.models import DoctorProfile

    connections.close_all()
    started = time.monotonic()
    recreate_database()
    size = Size(profiles=n)
    # One transaction: a profile and its published version refer to each other (deferred).
    with transaction.atomic():
        size.rows = load(n)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    size.load_s = round(time.monotonic() - started, 1)
    directory = reverse("profiles:directory")
    for name, params in SEARCHES:
        path = f"{directory}?{urlencode(params)}"
        size.measures.append(measure(name, path, requests=requests, warmup=warmup))
        size.measures[-1].search_p50_ms = search_only(params, requests=requests)
    # A doctor of Paris: the densest spot, as above.
    slug = (
        DoctorProfile.objects.filter(published_version__practice__commune__insee_code="75056")
        .values_list("slug", flat=True)
        .first()
    )
    if slug:
        path = reverse("profiles:profile", args=[slug])
        size.measures.append(measure("profile page", path, requests=requests, warmup=warmup))
    return size


def table(sizes: list[Size]) -> str:
    head = " | ".join(
        f"{s.profiles:,}: p50 ms | p95 ms | search ms | queries | found" for s in sizes
    )
    lines = [f"| request | {head} |", "|---|" + "---:|---:|---:|---:|---:|" * len(sizes)]
    for i, first in enumerate(sizes[0].measures):
        cells = []
        for s in sizes:
            m = s.measures[i] if i < len(s.measures) else Measure(first.name, "")
            status = "" if m.status == 200 else f" ({m.status})"
            search = f"{m.search_p50_ms:.1f}" if m.search_p50_ms else "—"
            cells.append(
                f"{m.p50_ms:.1f}{status} | {m.p95_ms:.1f} | {search} | {m.queries} | {m.results}"
            )
        lines.append(f"| {first.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000", help="profiles, comma-separated")
    parser.add_argument("--requests", type=int, default=40, help="measured requests each")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database", default=os.environ.get("BENCH_DB_NAME", "maillage_h3_bench"))
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    )
    args = parser.parse_args(argv)
    use_database(args.database, args.redis)
    env = bench_env.bench_environ()
    # The production settings serve hashed static names: the manifest must exist (run.py).
    subprocess.run(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=bench_env.ROOT,
        env=env,
        check=True,
    )
    bench_env.apply(env)
    import django

    django.setup()
    sizes = []
    for n in (int(value) for value in args.sizes.split(",")):
        sizes.append(measure_size(n, requests=args.requests, warmup=args.warmup))
        s = sizes[-1]
        sys.stdout.write(f"{n:,} profiles: {s.rows:,} rows loaded, {s.load_s} s with migrate\n")
        sys.stdout.flush()
    sys.stdout.write("\n" + table(sizes) + "\n")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results = bench_env.ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    output = results / f"directory-{stamp}.json"
    report: dict[str, Any] = {
        "at": stamp,
        "how": "Django test client, production settings, one request at a time, in-process",
        "requests": args.requests,
        "cores": os.cpu_count(),
        "sizes": [asdict(s) for s in sizes],
    }
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.stdout.write(f"written: {output.relative_to(bench_env.ROOT)}\n")
    failed = [m.name for s in sizes for m in s.measures if m.status != 200]
    if failed:
        sys.stdout.write(f"FAILED: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
