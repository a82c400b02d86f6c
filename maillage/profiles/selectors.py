"""The public directory: published profiles only, in a neutral order (distance, then name).

No ratings, no reviews, no sponsored placement (REGULATION.md checklist C4): nothing but the
distance and the name decides who comes first, and the page says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, connections, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty
from maillage.consultations.availability import (
    LOCAL_LAW_SUBDIVISIONS,
    METROPOLITAN_DEPARTMENT,
    is_open,
    open_now_terms,
    schedule_for,
)
from maillage.consultations.models import PracticeClosure
from maillage.core.communes import find_reference_commune
from maillage.core.fulltext import fold
from maillage.core.models import Commune
from maillage.profiles.models import DoctorProfile
from maillage.teleconsultation.models import TeleconsultationOffer

RESULTS = 50
RADII_KM = (10, 25, 50, 100)
EARTH_KM = 6371.0
LANGUAGES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("de", _("allemand")),
    ("es", _("espagnol")),
    ("it", _("italien")),
    ("pt", _("portugais")),
    ("ar", _("arabe")),
    ("tr", _("turc")),
    ("pl", _("polonais")),
    ("ro", _("roumain")),
    ("lsf", _("langue des signes française")),
]


@dataclass(frozen=True)
class Found:
    profile: DoctorProfile
    distance_km: float | None
    # The label, looked up once: get_specialty_display() hashes every choice, 50 cards a page.
    specialty: str = ""


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def published() -> QuerySet[DoctorProfile]:
    return DoctorProfile.objects.filter(status=DoctorProfile.Status.PUBLISHED)


def find_commune(text: str) -> Commune | None:
    """The commune a visitor typed: a postcode, an INSEE code or a name (accents as typed).

    The communes of the table come first; any other French commune comes from the bundled
    list (an unsaved row, only read for its name and coordinates).
    """
    value = text.strip()
    if not value:
        return None
    if value.isdigit() and len(value) == 5:
        # A postcode first: "64100" is Bayonne's postcode and Bassussarry's INSEE code.
        known = (
            Commune.objects.filter(postcode=value).order_by("name").first()
            or Commune.objects.filter(insee_code=value).first()
        )
    else:
        folded = fold(value)
        known = Commune.objects.filter(folded_name=folded).first()
        if known is None and find_reference_commune(value) is None:
            known = Commune.objects.filter(folded_name__startswith=folded).order_by("name").first()
    if known is not None:
        return known
    reference = find_reference_commune(value)
    if reference is None or reference.latitude is None or reference.longitude is None:
        return None
    return Commune(
        insee_code=reference.insee_code,
        name=reference.name,
        postcode=reference.postcodes[0] if reference.postcodes else "",
        department=reference.department,
        latitude=reference.latitude,
        longitude=reference.longitude,
    )


# A point on the unit sphere: the straight-line (chord) distance between two of them grows with
# the distance on the ground, so PostgreSQL's GiST index on this expression (cube extension,
# migration 0002) walks the profiles nearest first and stops at the LIMIT, whatever the table's
# size. Nested cube() calls, not cube(ARRAY[…]): they give NULL, not an error, without coordinates.
_UNIT_POINT = (
    "cube(cube(cube(cos(radians({t}.latitude)) * cos(radians({t}.longitude))),"
    " cos(radians({t}.latitude)) * sin(radians({t}.longitude))), sin(radians({t}.latitude)))"
).format(t='"profiles_doctorprofile"')


def _unit_point(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lmb = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lmb), math.cos(phi) * math.sin(lmb), math.sin(phi))


def _candidates(
    profiles: QuerySet[DoctorProfile], lat: float, lon: float, radius_km: int, limit: int
) -> list[tuple[int, float | None, float | None, str]]:
    """At most `limit` profiles within `radius_km`'s box, the nearest first on PostgreSQL."""
    if connection.vendor == "postgresql":
        x, y, z = _unit_point(lat, lon)
        chord = 2 * math.sin(radius_km / EARTH_KM / 2)
        nearest = (
            profiles.annotate(
                # Constant SQL, the values bound as parameters.
                gap=RawSQL(f"{_UNIT_POINT} <-> cube(cube(cube(%s), %s), %s)", (x, y, z))  # noqa: S611
            )
            .filter(
                RawSQL(  # noqa: S611
                    f"cube_enlarge(cube(cube(cube(%s), %s), %s), %s, 3) @> {_UNIT_POINT}",
                    (x, y, z, chord),
                    output_field=BooleanField(),
                )
            )
            .order_by("gap")
            .values_list("pk", "latitude", "longitude", "sort_name")[:limit]
        )
        # PostgreSQL guesses that a box holds 0.1 % of the table, whatever the box: it then
        # prefers reading all of a city's box and sorting it (3,900 rows for Paris at 100,000
        # profiles) to walking the index nearest first and stopping at the LIMIT. Sorting is
        # switched off for this one query (SET LOCAL: this transaction only), on the database
        # the query reads (a replica for public pages, maillage.core.db_router).
        alias = nearest.db
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            return list(nearest.using(alias))
    # Elsewhere (SQLite in development): a box on the indexed coordinates, the whole of it.
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return list(
        profiles.filter(
            latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon)
        ).values_list("pk", "latitude", "longitude", "sort_name")
    )


def search(
    *,
    specialty: str = "",
    commune: Commune | None = None,
    radius_km: int = 25,
    teleconsultation: bool = False,
    new_patients: bool = False,
    treating: bool = False,
    language: str = "",
    open_now: bool = False,
    now: datetime | None = None,
) -> list[Found]:
    """Published doctors matching the filters, nearest first then by name (at most 50).

    Two queries whatever the number of profiles ("open now" included, on PostgreSQL): the
    nearest (or first by name) candidates, bounded, then their cards.
    """
    profiles = published()
    if specialty:
        profiles = profiles.filter(specialty=specialty)
    if teleconsultation:
        profiles = profiles.filter(
            doctor_id__in=TeleconsultationOffer.objects.filter(enabled=True).values("doctor_id")
        )
    if new_patients:
        profiles = profiles.filter(accepts_new_patients=True)
    if treating:
        profiles = profiles.filter(accepts_treating=True)
    if language:
        profiles = (
            profiles.filter(languages__contains=[language])
            if connection.vendor == "postgresql"
            else profiles.filter(languages__icontains=f'"{language}"')
        )
    open_in_python = open_now and connection.vendor != "postgresql"
    if open_now and not open_in_python:
        # Decided in the query from the stored weekly hours: the nearest walk stops once it
        # has found enough open practices, without building a schedule per candidate.
        profiles = profiles.filter(_open_at(now or timezone.now()))
    # Elsewhere "open now" is decided on the cards: more candidates, so that 50 open remain.
    limit = RESULTS * 4 if open_in_python else RESULTS * 2
    ranked: list[tuple[float | None, str, int]]
    if commune is not None:
        lat, lon = float(commune.latitude), float(commune.longitude)
        ranked = []
        for pk, plat, plon, name in _candidates(profiles, lat, lon, radius_km, limit):
            if plat is None or plon is None:
                continue
            distance = _distance_km(lat, lon, plat, plon)
            if distance <= radius_km:
                ranked.append((round(distance, 1), name, pk))
        # Rounded to 100 m, then by name: two doctors of one building are in alphabetical order.
        ranked.sort()
    else:
        ranked = [
            (None, name, pk)
            for pk, name in profiles.order_by("sort_name", "pk").values_list("pk", "sort_name")[
                :limit
            ]
        ]
    chosen = ranked[: RESULTS * 4 if open_in_python else RESULTS]
    loaded = DoctorProfile.objects.select_related(
        "doctor__professional",
        "published_version__practice__commune",
        "published_version__practice__availability",
    ).in_bulk([pk for _d, _n, pk in chosen])
    labels = dict(Specialty.choices)
    found = [
        Found(loaded[pk], distance, str(labels.get(loaded[pk].specialty, "")))
        for distance, _name, pk in chosen
        if pk in loaded
    ]
    if open_in_python:
        found = _open_only(found, now or timezone.now())[:RESULTS]
    return found


# The periods of the day in `opening_hours` (validated HH:MM pairs), then the closures of
# the day, then the public holidays of the practice's subdivision, as `schedule_for` reads
# them (`_public_holidays`): the codes open today are listed, the national calendar applies
# to no code and to metropolitan departments without local law, any other code is unknown.
_OPEN_AT = r"""EXISTS (
    SELECT 1 FROM profiles_profileversion v
    JOIN consultations_practiceavailability a ON a.practice_id = v.practice_id
    CROSS JOIN LATERAL (SELECT btrim(a.holiday_subdivision, E' \t\n\r\x0b\x0c') AS code) s
    WHERE v.id = "profiles_doctorprofile"."published_version_id"
    AND jsonb_typeof(a.opening_hours -> %s) = 'array'
    AND EXISTS (
        SELECT 1 FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(a.opening_hours -> %s) = 'array'
            THEN a.opening_hours -> %s ELSE '[]'::jsonb END
        ) p
        WHERE CASE WHEN jsonb_typeof(p) = 'array' AND jsonb_array_length(p) = 2
            AND jsonb_typeof(p -> 0) = 'string' AND jsonb_typeof(p -> 1) = 'string'
            AND (p ->> 0) ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
            AND (p ->> 1) ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
            THEN (p ->> 0)::time <= %s::time AND (p ->> 1)::time > %s::time
            ELSE false END
    )
    AND NOT EXISTS (
        SELECT 1 FROM consultations_practiceclosure c
        WHERE c.practice_id = v.practice_id AND c.starts_on <= %s AND c.ends_on >= %s
    )
    AND (
        s.code = ANY(%s)
        OR (%s AND NOT s.code = ANY(%s) AND (s.code = '' OR s.code ~ %s))
    )
)"""


def _open_at(moment: datetime) -> RawSQL:
    terms = open_now_terms(moment)
    # Constant SQL, the values bound as parameters.
    return RawSQL(  # noqa: S611
        _OPEN_AT,
        (
            terms.weekday,
            terms.weekday,
            terms.weekday,
            terms.wall,
            terms.wall,
            terms.day,
            terms.day,
            list(terms.open_subdivisions),
            terms.national_open,
            list(LOCAL_LAW_SUBDIVISIONS),
            f"^({METROPOLITAN_DEPARTMENT.pattern})$",
        ),
        output_field=BooleanField(),
    )


def _open_only(found: list[Found], moment: datetime) -> list[Found]:
    practices = {
        version.practice_id
        for item in found
        if (version := item.profile.published_version) is not None and version.practice_id
    }
    start = timezone.localdate(moment)
    closures: dict[int, list[tuple[date, date]]] = {}
    # One query for every candidate's closures, not one per practice.
    for practice_id, starts_on, ends_on in PracticeClosure.objects.filter(
        practice_id__in=practices, starts_on__lte=start + timedelta(days=2), ends_on__gte=start
    ).values_list("practice_id", "starts_on", "ends_on"):
        closures.setdefault(practice_id, []).append((starts_on, ends_on))
    kept = []
    for item in found:
        version = item.profile.published_version
        practice = version.practice if version else None
        availability = getattr(practice, "availability", None) if practice else None
        if practice is None or availability is None:
            continue
        schedule = schedule_for(
            availability, start=start, days=2, closures=closures.get(practice.pk, [])
        )
        if is_open(schedule, moment):
            kept.append(item)
    return kept


def get_published(*, slug: str) -> DoctorProfile:
    return get_object_or_404(
        published().select_related(
            "doctor__professional",
            "published_version__practice__commune",
            "published_version__practice__availability",
        ),
        slug=slug,
    )
