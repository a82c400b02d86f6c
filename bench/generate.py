"""Load a region into the `maillage_bench` PostgreSQL database (or BENCH_DB_NAME), fast.

    .venv/bin/python -m bench.generate --scale small     # 10,000 patients (smoke)
    .venv/bin/python -m bench.generate --scale large     # Grand Est, the figures of issue 10

Rows go in with PostgreSQL's COPY, ids assigned here (so that foreign keys need no round
trip), never through the services one row at a time. The models' invariants are kept by hand:
one precomputed password hash, uuid4 public ids, folded commune names, search vectors set by
one UPDATE per table after the COPY, the 20 real articles through `load_library`.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bench import env as bench_env


@dataclass(frozen=True)
class Scale:
    patients: int
    professionals_per_1000: int = 25
    profile_versions: int = 4  # 25,000 doctors x 4 versions = the 100,000 profiles
    requests_per_patient: int = 3
    cases_per_patient: float = 0.2
    comments_per_case: int = 10
    posts_per_patient: int = 1
    posts_per_thread: int = 10
    communities: int = 12


SCALES = {"small": Scale(patients=10_000), "large": Scale(patients=1_000_000)}
DEPARTMENTS = ["54", "55", "57", "88", "67", "68", "08", "10", "51", "52"]
TOWNS = [
    "Lunéville",
    "Épinal",
    "Saint-Dié",
    "Bar-le-Duc",
    "Sarreguemines",
    "Château-Salins",
    "Remiremont",
    "Toul",
    "Verdun",
    "Sélestat",
    "Guebwiller",
    "Rethel",
    "Épernay",
    "Chaumont",
    "Langres",
    "Vitry-le-François",
    "Forbach",
    "Mirecourt",
    "Neufchâteau",
]
FIRST = ["Camille", "Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Zoé", "Émile", "Manon"]
LAST = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "Fournier",
]
SUBJECTS = [
    "Toux depuis une semaine",
    "Renouvellement d'ordonnance",
    "Certificat de sport",
    "Résultats de prise de sang",
    "Douleur au genou",
    "Fièvre de l'enfant",
]
WORDS = [
    "fièvre",
    "toux",
    "douleur",
    "genou",
    "dos",
    "tension",
    "diabète",
    "asthme",
    "fatigue",
    "vertige",
    "éruption",
    "traitement",
    "ordonnance",
    "bilan",
    "sommeil",
    "alimentation",
    "marche",
    "vaccin",
    "allergie",
]
BATCH = 20_000


def text(rng: random.Random, words: int) -> str:
    # choices(k=) draws all the words in one call: a choice() per word was half of the
    # generator's time at the large scale (30 million rows, most with a text).
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def constant(value: Any) -> Callable[[], Any]:
    return lambda: value


class Loader:
    """COPY rows into a model's table; columns not given take the model's defaults."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection
        self.counts: dict[str, int] = {}
        self.now = datetime.now().astimezone()

    def copy(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        from django.db import models

        meta = model._meta
        given = set(columns)
        # Defaults that Django applies in Python (the table has no DEFAULT): per row for
        # callables (uuid4), once for constants; auto_now and auto_now_add take "now".
        fillers: list[tuple[str, Callable[[], Any]]] = []
        json_columns = {f.column for f in meta.concrete_fields if isinstance(f, models.JSONField)}
        for field in meta.concrete_fields:
            if field.column in given or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                fillers.append((field.column, lambda: self.now))
            elif field.has_default():
                default = field.default
                if callable(default):
                    fillers.append((field.column, default))
                else:
                    fillers.append((field.column, constant(default)))
            elif field.null:
                continue
            elif field.empty_strings_allowed:
                fillers.append((field.column, str))  # blank text, as Django's own default
            else:
                raise ValueError(f"{meta.label}.{field.name} needs a value")
        names = [*columns, *(column for column, _ in fillers)]
        wrap = [i for i, name in enumerate(names) if name in json_columns]
        quoted = ", ".join(f'"{name}"' for name in names)
        sql = f'COPY "{meta.db_table}" ({quoted}) FROM STDIN'
        count = 0
        with self.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                values = [*row, *(fill() for _, fill in fillers)]
                for i in wrap:
                    values[i] = Jsonb(values[i])
                copy.write_row(values)
                count += 1
        self.counts[meta.db_table] = self.counts.get(meta.db_table, 0) + count
        return count

    def reset_sequences(self, models: Iterable[Any]) -> None:
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                    f'COALESCE((SELECT max(id) FROM "{table}"), 1))'
                )


def recreate_database() -> None:
    with psycopg.connect(bench_env.ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {bench_env.DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {bench_env.DB_NAME}")
    subprocess.run(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=bench_env.ROOT,
        env=bench_env.bench_environ(),
        check=True,
    )


class DeferredIndexes:
    """Drop the loaded tables' secondary indexes, unique and foreign keys; build them once after.

    Kept during a COPY of 30 million rows, every row updates each index and queues one deferred
    check per foreign key (Django's are DEFERRABLE INITIALLY DEFERRED) until the commit: 7,200
    rows/s at the small scale on a loaded machine, over an hour for the large one. Built after,
    each index is one sort and each foreign key one anti-join, and the constraints are still
    checked, once, on every row.
    Primary keys stay; so do unique constraints that a foreign key refers to.
    """

    def __init__(self, connection: psycopg.Connection[Any], tables: Sequence[str]) -> None:
        self.connection = connection
        self.tables = list(tables)
        self.indexes: list[str] = []
        self.uniques: list[str] = []
        self.foreign_keys: list[str] = []

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, c.contype,"
                " pg_get_constraintdef(c.oid)"
                " FROM pg_constraint c"
                " WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')"
                " AND NOT (c.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint r"
                " WHERE r.contype = 'f' AND r.conindid = c.conindid))"
                " ORDER BY c.contype",  # foreign keys ('f') dropped before unique ones
                [self.tables],
            )
            constraints = cursor.fetchall()
            for table, name, kind, definition in constraints:
                add = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                (self.foreign_keys if kind == "f" else self.uniques).append(add)
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[])"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [self.tables],
            )
            for name, definition in cursor.fetchall():
                self.indexes.append(definition)
                cursor.execute(f"DROP INDEX {name}")

    def rebuild(self) -> int:
        """Build what `drop` removed (indexes and unique keys first: foreign keys use them)."""
        statements = [*self.indexes, *self.uniques, *self.foreign_keys]
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in statements:
                cursor.execute(statement)
        return len(statements)


def chunks(n: int) -> Iterator[range]:
    for start in range(0, n, BATCH):
        yield range(start, min(n, start + BATCH))


def generate(scale: Scale, *, seed: int = 10) -> dict[str, int]:
    """Fill the (empty, migrated) benchmark database; return the rows per table."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils.text import slugify

    from maillage.accounts.models import PatientProfile, Professional, Role, User
    from maillage.accounts.specialties import Specialty
    from maillage.audit.models import AuditEvent
    from maillage.billing.models import BilledAct
    from maillage.cases.models import Case, Comment
    from maillage.communities.models import Community, Member, Post, Thread
    from maillage.consultations.models import OnlineRequest, PracticeAvailability, RequestEvent
    from maillage.core.fulltext import fold
    from maillage.core.models import Commune
    from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration
    from maillage.profiles.models import DoctorProfile, ProfileVersion
    from maillage.records.models import RecordEntry

    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not secrets)
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, psycopg.Connection)  # noqa: S101 (PostgreSQL only)
    load = Loader(raw)
    now = load.now
    loaded_models = [
        Authenticator,
        Commune,
        Practice,
        PracticeAvailability,
        User,
        Professional,
        PracticeMembership,
        DoctorProfile,
        ProfileVersion,
        PatientProfile,
        TreatingDoctorDeclaration,
        OnlineRequest,
        RequestEvent,
        RecordEntry,
        BilledAct,
        AuditEvent,
        Case,
        Comment,
        Community,
        Member,
        Member.communities.through,
        Thread,
        Post,
    ]
    deferred = DeferredIndexes(raw, [m._meta.db_table for m in loaded_models])
    deferred.drop()
    started = time.monotonic()
    password = make_password("bench-password")

    n_patients = scale.patients
    n_pros = max(20, n_patients * scale.professionals_per_1000 // 1000)
    n_gps = n_pros // 2
    n_communes = max(50, n_patients // 200)
    n_practices = max(10, n_gps // 3)
    specialties = [s for s in Specialty.values if s != Specialty.GENERAL_PRACTICE]

    # --- communes and practices -------------------------------------------------------
    communes: list[tuple[Any, ...]] = []
    for i in range(n_communes):
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        name = TOWNS[i % len(TOWNS)] + ("" if i < len(TOWNS) else f"-{i}")
        lat = Decimal("48.0") + Decimal(rng.randint(0, 200_000)) / 100_000
        lon = Decimal("5.0") + Decimal(rng.randint(0, 250_000)) / 100_000
        communes.append(
            (
                i + 1,
                f"{dept}{i // len(DEPARTMENTS) + 1:03d}",
                name,
                f"{dept}{i % 1000:03d}",
                dept,
                lat,
                lon,
                fold(name),
            )
        )
    load.copy(
        Commune,
        [
            "id",
            "insee_code",
            "name",
            "postcode",
            "department",
            "latitude",
            "longitude",
            "folded_name",
        ],
        communes,
    )
    practice_commune = [rng.randrange(n_communes) for _ in range(n_practices)]
    load.copy(
        Practice,
        ["id", "name", "kind", "address", "postcode", "commune_id", "latitude", "longitude"],
        (
            (
                p + 1,
                f"Maison de santé {p + 1}",
                "msp",
                f"{p + 1} rue de la Gare",
                communes[c][3],
                c + 1,
                communes[c][5],
                communes[c][6],
            )
            for p, c in enumerate(practice_commune)
        ),
    )
    load.copy(
        PracticeAvailability, ["id", "practice_id"], ((p + 1, p + 1) for p in range(n_practices))
    )

    # --- users: professionals first (ids 1..), then the editors, coordinator, patients ----
    def user_rows(first_id: int, count: int, role: str, kind: str) -> Iterator[tuple[Any, ...]]:
        for i in range(count):
            yield (
                first_id + i,
                f"{kind}{i}@bench.maillage.invalid",
                password,
                FIRST[i % len(FIRST)],
                LAST[(i // len(FIRST)) % len(LAST)],
                role,
                now,
            )

    user_columns = ["id", "email", "password", "first_name", "last_name", "role", "date_joined"]
    load.copy(User, user_columns, user_rows(1, n_gps, Role.GP, "gp"))
    load.copy(User, user_columns, user_rows(n_gps + 1, n_pros - n_gps, Role.SPECIALIST, "spe"))
    editors_first = n_pros + 1
    load.copy(User, user_columns, user_rows(editors_first, 2, Role.EDITOR, "editor"))
    coordinator_id = n_pros + 3
    load.copy(User, user_columns, user_rows(coordinator_id, 1, Role.COORDINATOR, "coordinator"))
    first_patient = n_pros + 4
    for part in chunks(n_patients):
        load.copy(
            User,
            user_columns,
            user_rows(first_patient + part.start, len(part), Role.PATIENT, f"p{part.start}-"),
        )
    pro_specialty = [
        Specialty.GENERAL_PRACTICE if d < n_gps else rng.choice(specialties) for d in range(n_pros)
    ]
    load.copy(
        Professional,
        ["id", "user_id", "rpps", "specialty", "verification", "verified_at"],
        ((d + 1, d + 1, f"1{d:010d}", pro_specialty[d], "operator", now) for d in range(n_pros)),
    )
    # Editors write and review the library: they need an RPPS too (health_info.selectors).
    load.copy(
        Professional,
        ["id", "user_id", "rpps", "specialty"],
        (
            (n_pros + e + 1, editors_first + e, f"2{e:010d}", Specialty.GENERAL_PRACTICE)
            for e in range(2)
        ),
    )
    # Professionals must have enrolled a second factor before anything else (accounts.middleware).
    load.copy(
        Authenticator,
        ["id", "user_id", "type", "data"],
        (
            (u, u, Authenticator.Type.TOTP, {"secret": "bench"})
            for u in range(1, coordinator_id + 1)
        ),
    )
    doctor_practice = [d % n_practices for d in range(n_pros)]
    load.copy(
        PracticeMembership,
        ["id", "practice_id", "user_id", "kind"],
        ((d + 1, doctor_practice[d] + 1, d + 1, "doctor") for d in range(n_pros)),
    )

    # --- directory profiles: every doctor published, each with a few versions ---------
    versions: list[tuple[Any, ...]] = []
    profiles: list[tuple[Any, ...]] = []
    for d in range(n_pros):
        c = practice_commune[doctor_practice[d]]
        for v in range(scale.profile_versions):
            versions.append(
                (
                    d * scale.profile_versions + v + 1,
                    d + 1,
                    v + 1,
                    d + 1,
                    text(rng, 30),
                    ["fr"],
                    doctor_practice[d] + 1,
                    True,
                    True,
                )
            )
        profiles.append(
            (
                d + 1,
                d + 1,
                # slugify as profiles.services does: the URL accepts ASCII only (Lefèvre).
                f"dr-{slugify(LAST[d % len(LAST)])}-{d}",
                "published",
                (d + 1) * scale.profile_versions,
                now,
                f"{LAST[d % len(LAST)]} {FIRST[d % len(FIRST)]}",
                pro_specialty[d],
                float(communes[c][5]),
                float(communes[c][6]),
                ["fr"],
                True,
                True,
            )
        )
    # The profile and its versions refer to each other: versions first, without checks.
    with raw.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    load.copy(
        DoctorProfile,
        [
            "id",
            "doctor_id",
            "slug",
            "status",
            "published_version_id",
            "published_at",
            "sort_name",
            "specialty",
            "latitude",
            "longitude",
            "languages",
            "accepts_new_patients",
            "accepts_treating",
        ],
        profiles,
    )
    load.copy(
        ProfileVersion,
        [
            "id",
            "profile_id",
            "number",
            "author_id",
            "presentation",
            "languages",
            "practice_id",
            "accepts_new_patients",
            "accepts_treating",
        ],
        versions,
    )

    # --- patients, their médecin traitant, requests with events, record entries --------
    start = now - timedelta(days=365)
    n_requests = n_patients * scale.requests_per_patient
    request_id = event_id = entry_id = act_id = audit_id = 0
    for part in chunks(n_patients):
        patients = [first_patient + i for i in part]
        gp_of = {p: rng.randrange(n_gps) + 1 for p in patients}
        load.copy(
            PatientProfile,
            ["id", "user_id", "birth_date", "sex", "commune_id"],
            (
                (
                    p,
                    p,
                    date(1940 + p % 70, 1 + p % 12, 1 + p % 28),
                    "FM"[p % 2],
                    practice_commune[doctor_practice[gp_of[p] - 1]] + 1,
                )
                for p in patients
            ),
        )
        load.copy(
            TreatingDoctorDeclaration,
            ["id", "patient_id", "doctor_id", "declared_by_id", "declared_at"],
            ((p, p, gp_of[p], p, start) for p in patients),
        )
        requests: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        acts: list[tuple[Any, ...]] = []
        audits: list[tuple[Any, ...]] = []
        for p in patients:
            gp = gp_of[p]
            practice = doctor_practice[gp - 1] + 1
            for _ in range(scale.requests_per_patient):
                request_id += 1
                submitted = start + timedelta(minutes=rng.randrange(525_000))
                closed = rng.random() < 0.7
                public_id = uuid.uuid4()
                requests.append(
                    (
                        request_id,
                        public_id,
                        submitted,
                        submitted,
                        practice,
                        p,
                        p,
                        rng.choice(["clinical", "renewal", "results"]),
                        rng.choice(SUBJECTS),
                        text(rng, 40),
                        "closed" if closed else rng.choice(["submitted", "in_review"]),
                        submitted,
                        submitted + timedelta(hours=8),
                        gp if closed else None,
                        submitted + timedelta(hours=5) if closed else None,
                    )
                )
                kinds = ["submitted", "assigned", "message", "closed"] if closed else ["submitted"]
                for k, kind in enumerate(kinds):
                    event_id += 1
                    events.append(
                        (
                            event_id,
                            request_id,
                            kind,
                            p if k == 0 else gp,
                            text(rng, 15) if kind == "message" else "",
                            submitted + timedelta(hours=k),
                        )
                    )
                entry_id += 1
                entries.append(
                    (
                        entry_id,
                        uuid.uuid4(),
                        submitted,
                        submitted,
                        p,
                        "online_request",
                        "Demande en ligne",
                        text(rng, 20),
                        submitted,
                        p,
                        "consultations.onlinerequest",
                        public_id,
                    )
                )
                audit_id += 1
                audits.append(
                    (
                        audit_id,
                        submitted,
                        p,
                        "patient",
                        "consultations.request_sent",
                        "onlinerequest",
                        str(public_id),
                        p,
                    )
                )
                if closed:
                    act_id += 1
                    acts.append(
                        (
                            act_id,
                            uuid.uuid4(),
                            gp,
                            p,
                            "RQD",
                            Decimal("25.00"),
                            date(2025, 1, 1),
                            submitted + timedelta(hours=5),
                            "online_request",
                            public_id,
                            False,
                            "reimbursable",
                            "treating_doctor",
                            "Médecin traitant",
                            False,
                        )
                    )
        load.copy(
            OnlineRequest,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "practice_id",
                "patient_id",
                "submitted_by_id",
                "route",
                "subject",
                "message",
                "status",
                "submitted_at",
                "promised_by",
                "assigned_to_id",
                "closed_at",
            ],
            requests,
        )
        load.copy(
            RequestEvent, ["id", "request_id", "kind", "author_id", "body", "created_at"], events
        )
        load.copy(
            RecordEntry,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "patient_id",
                "kind",
                "title",
                "body",
                "occurred_at",
                "author_id",
                "source_type",
                "source_id",
            ],
            entries,
        )
        load.copy(
            BilledAct,
            [
                "id",
                "public_id",
                "doctor_id",
                "patient_id",
                "code",
                "amount",
                "tariff_from",
                "performed_at",
                "source_kind",
                "source_id",
                "video",
                "parcours_status",
                "parcours_rule",
                "parcours_reason",
                "counts_toward_cap",
            ],
            acts,
        )
        load.copy(
            AuditEvent,
            [
                "id",
                "occurred_at",
                "actor_id",
                "actor_role",
                "action",
                "target_type",
                "target_id",
                "patient_id",
            ],
            audits,
        )
    assert request_id == n_requests  # noqa: S101

    # --- case discussions among doctors, with comments --------------------------------
    n_cases = int(n_patients * scale.cases_per_patient)
    comment_id = 0
    for part in chunks(n_cases):
        cases: list[tuple[Any, ...]] = []
        comments: list[tuple[Any, ...]] = []
        audits = []
        for i in part:
            published = start + timedelta(minutes=rng.randrange(525_000))
            author = rng.randrange(n_pros) + 1
            cases.append(
                (
                    i + 1,
                    uuid.uuid4(),
                    published,
                    published,
                    author,
                    "published",
                    [pro_specialty[rng.randrange(n_pros)]],
                    f"Cas {i}: {text(rng, 6)}",
                    text(rng, 20),
                    text(rng, 120),
                    published,
                    published + timedelta(hours=2),
                    scale.comments_per_case,
                )
            )
            for k in range(scale.comments_per_case):
                comment_id += 1
                comments.append(
                    (
                        comment_id,
                        uuid.uuid4(),
                        published + timedelta(hours=2 + k),
                        published + timedelta(hours=2 + k),
                        i + 1,
                        rng.randrange(n_pros) + 1,
                        text(rng, 40),
                    )
                )
            audit_id += 1
            audits.append(
                (
                    audit_id,
                    published,
                    author,
                    "gp",
                    "cases.published",
                    "case",
                    str(cases[-1][1]),
                    None,
                )
            )
        load.copy(
            Case,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "author_id",
                "status",
                "specialties",
                "title",
                "question",
                "body",
                "published_at",
                "first_answer_at",
                "comment_count",
            ],
            cases,
        )
        load.copy(
            Comment,
            ["id", "public_id", "created_at", "updated_at", "case_id", "author_id", "body"],
            comments,
        )
        load.copy(
            AuditEvent,
            [
                "id",
                "occurred_at",
                "actor_id",
                "actor_role",
                "action",
                "target_type",
                "target_id",
                "patient_id",
            ],
            audits,
        )

    # --- communities: a pseudonymous member per patient, threads, posts ---------------
    load.copy(
        Community,
        ["id", "slug", "name", "kind", "description", "rules"],
        (
            (
                c + 1,
                f"communaute-{c + 1}",
                f"Communauté {c + 1}",
                "condition",
                text(rng, 20),
                text(rng, 20),
            )
            for c in range(scale.communities)
        ),
    )
    for part in chunks(n_patients):
        load.copy(
            Member,
            ["id", "user_id", "pseudonym"],
            ((i + 1, first_patient + i, f"membre{i}") for i in part),
        )
        load.copy(
            Member.communities.through,
            ["member_id", "community_id"],
            ((i + 1, i % scale.communities + 1) for i in part),
        )
    n_posts = n_patients * scale.posts_per_patient
    n_threads = max(1, n_posts // scale.posts_per_thread)
    # Thread t belongs to community t % C, and so does the member who opened it.
    load.copy(
        Thread,
        ["id", "community_id", "author_id", "title", "last_post_at", "reply_count"],
        (
            (
                t + 1,
                t % scale.communities + 1,
                t % n_patients + 1,
                f"Fil {t}: {text(rng, 5)}",
                now,
                scale.posts_per_thread - 1,
            )
            for t in range(n_threads)
        ),
    )
    for part in chunks(n_posts):
        load.copy(
            Post,
            ["id", "thread_id", "author_id", "body", "idempotency_key"],
            (
                (i + 1, i % n_threads + 1, i % n_patients + 1, text(rng, 50), uuid.uuid4())
                for i in part
            ),
        )

    load.reset_sequences(m for m in loaded_models if m is not Member.communities.through)
    copied = time.monotonic()
    sys.stdout.write(f"COPY: {sum(load.counts.values()):,} rows in {copied - started:.1f} s\n")
    with raw.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET search_vector ="
            " setweight(to_tsvector('french_unaccent', title), 'A')"
            " || setweight(to_tsvector('french_unaccent', question), 'B')"
            " || setweight(to_tsvector('french_unaccent', body), 'C')"
        )
        cursor.execute(
            "UPDATE communities_post p SET search_vector ="
            " setweight(to_tsvector('french_unaccent', t.title), 'A')"
            " || setweight(to_tsvector('french_unaccent', p.body), 'B')"
            " FROM communities_thread t WHERE t.id = p.thread_id"
        )
    vectors = time.monotonic()
    sys.stdout.write(f"search vectors: {vectors - copied:.1f} s\n")
    built = deferred.rebuild()
    sys.stdout.write(
        f"{built} indexes, unique and foreign keys built in {time.monotonic() - vectors:.1f} s\n"
    )
    return load.counts


def load_articles() -> int:
    """The 20 real articles, through the library's review workflow (search vectors included)."""
    from maillage.accounts.models import Role, User
    from maillage.health_info.services import load_library

    author, reviewer = User.objects.filter(role=Role.EDITOR).order_by("id")[:2]
    return len(load_library(author=author, reviewer=reviewer).created)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    args = parser.parse_args(argv)
    started = time.monotonic()
    recreate_database()
    migrated = time.monotonic()
    bench_env.apply(bench_env.bench_environ())
    import django

    django.setup()
    from django.db import connection, transaction

    with transaction.atomic():
        counts = generate(SCALES[args.scale])
    counts["health_info_article"] = load_articles()
    vacuumed = time.monotonic()
    with connection.cursor() as cursor:
        # VACUUM as well: the search vectors' UPDATE left a dead copy of every post and case,
        # and a settled database has its visibility map set (index-only scans).
        cursor.execute("VACUUM (ANALYZE)")
    sys.stdout.write(f"VACUUM (ANALYZE): {time.monotonic() - vacuumed:.1f} s\n")
    loaded = time.monotonic() - migrated
    total = sum(counts.values())
    for table, count in sorted(counts.items()):
        sys.stdout.write(f"{table:40} {count:>12,}\n")
    sys.stdout.write(
        f"{total:,} rows in {loaded:.1f} s: {total / loaded:,.0f} rows/s "
        f"(create + migrate {migrated - started:.1f} s)\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
