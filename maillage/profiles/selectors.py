"""The public directory: published profiles only, in a neutral order (distance, then name).

No ratings, no reviews, no sponsored placement (REGULATION.md checklist C4): nothing but the
distance and the name decides who comes first, and the page says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.consultations.availability import is_open, schedule_for
from maillage.core.fulltext import fold
from maillage.core.models import Commune
from maillage.profiles.models import DoctorProfile

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


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def published() -> QuerySet[DoctorProfile]:
    return DoctorProfile.objects.filter(status=DoctorProfile.Status.PUBLISHED)


def find_commune(text: str) -> Commune | None:
    """The commune a visitor typed: a postcode, an INSEE code or a name (accents as typed)."""
    value = text.strip()
    if not value:
        return None
    if value.isdigit() and len(value) == 5:
        return Commune.objects.filter(Q(postcode=value) | Q(insee_code=value)).first()
    folded = fold(value)
    return (
        Commune.objects.filter(folded_name=folded).first()
        or Commune.objects.filter(folded_name__startswith=folded).order_by("name").first()
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
    """Published doctors matching the filters, nearest first then by name (at most 50)."""
    profiles = published()
    if specialty:
        profiles = profiles.filter(specialty=specialty)
    if teleconsultation:
        profiles = profiles.filter(doctor__teleconsultation_offer__enabled=True)
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
    ranked: list[tuple[float | None, str, int]]
    if commune is not None:
        lat, lon = float(commune.latitude), float(commune.longitude)
        # A box around the commune uses the index; the exact distance is computed on it.
        dlat = radius_km / 111.0
        dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        rows = profiles.filter(
            latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon)
        ).values_list("pk", "latitude", "longitude", "sort_name")
        ranked = []
        for pk, plat, plon, name in rows:
            if plat is None or plon is None:
                continue
            distance = _distance_km(lat, lon, plat, plon)
            if distance <= radius_km:
                ranked.append((round(distance, 1), name, pk))
        ranked.sort()
    else:
        ranked = [
            (None, name, pk)
            for pk, name in profiles.order_by("sort_name", "pk").values_list("pk", "sort_name")[
                : RESULTS * 4
            ]
        ]
    chosen = ranked[: RESULTS * 4 if open_now else RESULTS]
    loaded = DoctorProfile.objects.select_related(
        "doctor__professional",
        "published_version__practice__commune",
        "published_version__practice__availability",
    ).in_bulk([pk for _d, _n, pk in chosen])
    found = [Found(loaded[pk], distance) for distance, _name, pk in chosen if pk in loaded]
    if open_now:
        moment = now or timezone.now()
        found = [item for item in found if _open_at(item.profile, moment)][:RESULTS]
    return found


def _open_at(profile: DoctorProfile, moment: datetime) -> bool:
    version = profile.published_version
    practice = version.practice if version else None
    availability = getattr(practice, "availability", None) if practice else None
    if availability is None:
        return False
    return is_open(schedule_for(availability, start=timezone.localdate(moment), days=2), moment)


def get_published(*, slug: str) -> DoctorProfile:
    return get_object_or_404(
        published().select_related(
            "doctor__professional",
            "published_version__practice__commune",
            "published_version__practice__availability",
        ),
        slug=slug,
    )
