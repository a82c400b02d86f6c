"""The directory around any French commune, at a cost that does not grow with the directory."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.consultations.models import PracticeAvailability, PracticeClosure
from maillage.core.communes import find_reference_commune, load_communes
from maillage.core.models import Commune
from maillage.profiles import selectors
from maillage.teleconsultation.models import TeleconsultationOffer

pytestmark = pytest.mark.django_db

KM_PER_DEGREE_OF_LATITUDE = 111.195  # on a sphere of 6,371 km


def commune_north_of(origin: Commune, km: float, insee: str) -> Commune:
    """A commune `km` kilometres due north of `origin` (made up: only its point matters)."""
    return Commune.objects.create(
        insee_code=insee,
        name=f"À {km:g} km",
        postcode="64000",
        department="64",
        latitude=(origin.latitude + Decimal(km / KM_PER_DEGREE_OF_LATITUDE)).quantize(
            Decimal("0.00001")
        ),
        longitude=origin.longitude,
    )


def test_a_commune_far_from_the_demo_territory_gets_its_coordinates() -> None:
    # given: an empty Commune table (no demo)
    assert not Commune.objects.exists()

    # when
    bayonne = selectors.find_commune("Bayonne")
    by_postcode = selectors.find_commune("64100")
    by_code = selectors.find_commune("64102")

    # then: the bundled list answers, with the town hall's coordinates
    assert bayonne is not None
    assert (bayonne.insee_code, bayonne.name) == ("64102", "Bayonne")
    assert Decimal("43.45") < bayonne.latitude < Decimal("43.53")
    assert Decimal("-1.52") < bayonne.longitude < Decimal("-1.42")
    assert by_postcode is not None
    assert by_postcode.insee_code == "64102"  # the postcode, not Bassussarry's INSEE code
    assert by_code is not None
    assert by_code.insee_code == "64102"
    ajaccio = find_reference_commune("ajaccio")  # accents and case as typed; Corsica's code
    assert ajaccio is not None
    assert ajaccio.insee_code == "2A004"


def test_homonyms_resolve_to_the_most_populous_commune() -> None:
    saint_denis = find_reference_commune("Saint-Denis")
    assert saint_denis is not None
    assert saint_denis.insee_code == "97411"  # Réunion's prefecture, 150,000 inhabitants


def test_load_communes_creates_the_missing_and_relocates_the_known() -> None:
    # given: a commune the table already has, misplaced
    Commune.objects.create(
        insee_code="64102",
        name="Bayonne (démo)",
        postcode="64100",
        department="64",
        latitude=Decimal("0"),
        longitude=Decimal("0"),
    )

    # when
    call_command("load_communes", stdout=None)

    # then
    assert Commune.objects.count() > 34_800
    bayonne = Commune.objects.get(insee_code="64102")
    assert bayonne.name == "Bayonne (démo)"  # its name is kept
    assert Decimal("43.45") < bayonne.latitude < Decimal("43.53")
    epinal = Commune.objects.get(insee_code="88160")
    assert (epinal.name, epinal.folded_name, epinal.department) == ("Épinal", "epinal", "88")
    again = load_communes()
    assert (again.created, again.updated) == (0, 0)


def test_a_distance_search_around_any_commune_finds_the_doctor_10_km_away_not_80(
    make_doctor: Callable[..., User], towns: dict[str, Commune]
) -> None:
    # given: Bayonne is not in the table; doctors 10 and 80 km north of its town hall
    bayonne = selectors.find_commune("Bayonne")
    assert bayonne is not None
    assert not Commune.objects.filter(insee_code=bayonne.insee_code).exists()
    towns["ten"] = commune_north_of(bayonne, 10, "64990")
    towns["eighty"] = commune_north_of(bayonne, 80, "64991")
    make_doctor(town="ten", last_name="Dix")
    make_doctor(town="eighty", last_name="Quatrevingts")
    make_doctor(town="nancy", last_name="Lorrain")

    # when
    near = selectors.search(specialty=Specialty.CARDIOLOGY, commune=bayonne, radius_km=25)
    wide = selectors.search(specialty=Specialty.CARDIOLOGY, commune=bayonne, radius_km=100)

    # then
    assert [(f.profile.doctor.last_name, f.distance_km) for f in near] == [("Dix", 10.0)]
    assert [(f.profile.doctor.last_name, f.distance_km) for f in wide] == [
        ("Dix", 10.0),
        ("Quatrevingts", 80.0),
    ]


def test_the_directory_page_searches_around_a_commune_of_the_bundle(
    make_doctor: Callable[..., User], towns: dict[str, Commune], client: Client
) -> None:
    bayonne = selectors.find_commune("Bayonne")
    assert bayonne is not None
    towns["ten"] = commune_north_of(bayonne, 10, "64990")
    make_doctor(town="ten", last_name="Dix")
    response = client.get(reverse("profiles:directory"), {"commune": "bayonne", "rayon": "25"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "autour de Bayonne" in page
    assert "Dix" in page
    assert "10.0 km" in page.replace(",", ".")


def test_only_the_nearest_are_read_when_more_match(
    make_doctor: Callable[..., User], towns: dict[str, Commune], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: 3 results a page, 6 doctors at 1..6 km, names in the reverse order of distance
    monkeypatch.setattr(selectors, "RESULTS", 3)
    bayonne = selectors.find_commune("Bayonne")
    assert bayonne is not None
    for km, name in zip(range(1, 7), "FEDCBA", strict=True):
        towns[name] = commune_north_of(bayonne, km, f"6498{km}")
        make_doctor(town=name, last_name=name)

    found = selectors.search(commune=bayonne, radius_km=10)

    assert [f.profile.doctor.last_name for f in found] == ["F", "E", "D"]


SEARCHES = {
    "specialty, commune, distance": {
        "specialite": Specialty.CARDIOLOGY,
        "commune": "Nancy",
        "rayon": "25",
    },
    "a commune of the bundle": {"commune": "Toul", "rayon": "50"},
    "teleconsultation, language": {"teleconsultation": "on", "langue": "fr"},
    "new patients, treating": {"nouveaux": "on", "traitant": "on", "commune": "54000"},
    "open now": {"ouvert": "on", "commune": "Nancy", "rayon": "100"},
}


@time_machine.travel("2026-12-07 10:00:00+01:00", tick=False)  # a Monday, no holiday
@pytest.mark.parametrize("params", SEARCHES.values(), ids=SEARCHES.keys())
def test_each_search_costs_the_same_queries_for_4_or_16_doctors(
    params: dict[str, str], make_doctor: Callable[..., User], client: Client
) -> None:
    counts = []
    for batch in (4, 12):
        for n in range(batch):
            doctor = make_doctor(
                town=("nancy", "luneville", "metz")[n % 3],
                last_name=f"Médecin{batch}x{n}",
                accepts_treating=True,
            )
            TeleconsultationOffer.objects.create(
                doctor=doctor,
                practice=doctor.practice_memberships.get().practice,
                enabled=True,
                fee=Decimal("25.00"),
            )
            availability = PracticeAvailability.objects.create(
                practice=doctor.practice_memberships.get().practice,
                opening_hours={str(day): [["00:00", "23:59"]] for day in range(7)},
            )
            PracticeClosure.objects.create(
                practice=availability.practice,
                starts_on="2020-01-01",
                ends_on="2020-01-02",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("profiles:directory"), params)
        assert response.status_code == 200
        assert response.content.decode().count('class="card"') >= 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.postgres
def test_postgresql_walks_the_nearest_first_index_without_sorting(
    make_doctor: Callable[..., User], towns: dict[str, Commune]
) -> None:
    # given: the query the directory sends (its expression must be the migration's index's)
    make_doctor(town="nancy", last_name="Weber")
    nancy = selectors.find_commune("Nancy")
    for specialty, open_now in ((Specialty.CARDIOLOGY, False), ("", False), ("", True)):
        with CaptureQueriesContext(connection) as queries:
            selectors.search(specialty=specialty, commune=nancy, radius_km=25, open_now=open_now)
        sql = next(q["sql"] for q in queries.captured_queries if "<->" in q["sql"])

        # when
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())

        # then
        # Either GiST index serves both (a GiST's leading column may go unconstrained).
        assert "_near_gist on profiles_doctorprofile" in plan, plan
        assert "Order By" in plan, plan
        assert "Sort" not in plan, plan
