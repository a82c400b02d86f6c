"""The territory's commune tables at regional scale: the page shows the head, the CSV all."""

from __future__ import annotations

import copy
import pickle
import re
import uuid
from datetime import date, timedelta
from typing import TypeVar

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import PatientProfile, Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.billing.models import BilledAct
from maillage.consultations.models import OnlineRequest
from maillage.core.fulltext import fold
from maillage.core.models import Commune
from maillage.dashboards.selectors import (
    TERRITORY_TOP_COMMUNES,
    territory_page_for,
    territory_snapshot_for,
)
from maillage.dashboards.tests.activity import online_request, paris, teleconsultation
from maillage.directory.models import Practice
from maillage.directory.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
Row = TypeVar("Row", BilledAct, OnlineRequest)

URL = reverse("dashboards:territory")
NOW = paris(2026, 3, 15)
COMMUNE_TABLES = (
    "actes-par-commune",
    "actes-commune-mois",
    "sans-medecin-traitant",
    "demandes-en-retard",
)


@pytest.fixture
def coordinator(db: None) -> User:
    return StaffFactory.create(role=Role.COORDINATOR)


class Territory:
    """Communes with a patient, their acts and a late request each, written in bulk: a few
    queries for hundreds of communes, where the services would take one transaction a row."""

    def __init__(self) -> None:
        doctor, patient = ProfessionalFactory(), PatientFactory()
        practice = PracticeFactory.create()
        self.act = teleconsultation(doctor, patient, paris(2026, 2, 10))
        self.request = online_request(practice, patient, NOW - timedelta(days=5))
        # Templates of the rows to write, not rows of their own: only the communes added count.
        BilledAct.objects.filter(pk=self.act.pk).delete()
        OnlineRequest.objects.filter(pk=self.request.pk).delete()
        Practice.objects.filter(pk=practice.pk).delete()
        self.created = 0

    def add(self, names: list[str], *, acts: int = 1, department: str = "88") -> None:
        first, self.created = self.created, self.created + len(names)
        communes = Commune.objects.bulk_create(
            Commune(
                insee_code=f"9{first + i:04d}",
                name=name,
                folded_name=fold(name),
                postcode="88000",
                department=department,
                latitude=self.request.practice.latitude,
                longitude=self.request.practice.longitude,
            )
            for i, name in enumerate(names)
        )
        patients = User.objects.bulk_create(
            User(email=f"habitant{first + i}@example.test", role=Role.PATIENT)
            for i in range(len(names))
        )
        PatientProfile.objects.bulk_create(
            PatientProfile(user=user, birth_date=date(1970, 1, 1), sex="F", commune=commune)
            for user, commune in zip(patients, communes, strict=True)
        )
        practices = Practice.objects.bulk_create(
            PracticeFactory.build(commune=commune) for commune in communes
        )
        BilledAct.objects.bulk_create(
            self._clone(self.act, patient=user, public_id=uuid.uuid4(), source_id=uuid.uuid4())
            for user in patients
            for _ in range(acts)
        )
        OnlineRequest.objects.bulk_create(
            self._clone(
                self.request, practice=where, public_id=uuid.uuid4(), idempotency_key=uuid.uuid4()
            )
            for where in practices
        )

    @staticmethod
    def _clone(row: Row, **fields: object) -> Row:
        clone = copy.copy(row)
        clone.pk = None
        for name, value in fields.items():
            setattr(clone, name, value)
        return clone


def _rows(html: str, slug: str) -> list[str]:
    """The row headers of a table of the page."""
    body = re.search(rf'data-table="{slug}">.*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    assert body is not None, slug
    return re.findall(r'<th scope="row">([^<]*)</th>', body.group(1))


def _cold_page(client: Client, **params: str) -> tuple[str, int]:
    cache.clear()  # the figures themselves, not the snapshot of the previous request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _csv_lines(client: Client, slug: str) -> list[str]:
    response = client.get(reverse("dashboards:territory_csv", args=[slug]))
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()


def test_the_page_shows_the_top_communes_at_the_same_cost_for_30_or_300(
    client: Client, coordinator: User
) -> None:
    # given 30 communes, one with more acts than the others
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add([f"Commune {i:03d}" for i in range(29)])
        territory.add(["Rambervillers"], acts=5)
        _cold_page(client)  # warm the per-process caches
        small, small_queries = _cold_page(client)

        # when there are ten times as many
        territory.add([f"Commune {i:03d}" for i in range(29, 299)])
        big, big_queries = _cold_page(client)
        csv = {slug: _csv_lines(client, slug) for slug in COMMUNE_TABLES}

    # then the page runs the same queries, shows as many rows and weighs about the same
    assert small_queries == big_queries
    for slug in COMMUNE_TABLES:
        assert len(_rows(big, slug)) == TERRITORY_TOP_COMMUNES, slug
    assert len(_rows(small, "actes-par-commune")) == TERRITORY_TOP_COMMUNES
    assert len(big) < len(small) * 1.05, (len(small), len(big))
    # the communes that matter most first, the same ones in the table by month
    assert _rows(big, "actes-par-commune")[0] == "Rambervillers"
    assert _rows(big, "actes-commune-mois") == _rows(big, "actes-par-commune")
    assert "Les 20 premières communes par nombre d&#x27;actes, sur 300 ;" in big
    # and every commune is in the CSV files, below their header
    for slug in COMMUNE_TABLES:
        assert len(csv[slug]) == 1 + 300, slug
    assert csv["actes-par-commune"][1].startswith("Rambervillers;5;")


def test_what_the_page_reads_from_the_cache_does_not_grow_with_the_communes(
    coordinator: User,
) -> None:
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add([f"Commune {i:03d}" for i in range(30)])
        small = len(pickle.dumps(territory_page_for(actor=coordinator)))
        territory.add([f"Commune {i:03d}" for i in range(30, 300)])
        cache.clear()
        big = len(pickle.dumps(territory_page_for(actor=coordinator)))
        everything = len(pickle.dumps(territory_snapshot_for(actor=coordinator)))
    assert big < small * 1.05, (small, big)
    assert everything > big * 2  # the CSV files' snapshot, which the page does not read


def test_a_search_shows_the_communes_whose_name_contains_it(
    client: Client, coordinator: User
) -> None:
    # given communes spelt with accents, in two departments
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add(["Épinal", "Golbey", "Chavelot"])
        territory.add(["Saint-Dié-des-Vosges", "Étival-Clairefontaine"], acts=2)
        territory.add(["Épinal-sur-Meuse"], department="55")

        # when the coordinator looks for "epinal" without its accent, then in the Vosges only
        everywhere = client.get(URL, {"commune": "epinal"}).content.decode()
        vosges = client.get(URL, {"commune": "EPINAL", "departement": "88"}).content.decode()
        nothing = client.get(URL, {"commune": "<b>Metz"}).content.decode()

    # then the commune tables show those communes, and say how many of how many
    assert _rows(everywhere, "actes-par-commune") == ["Épinal", "Épinal-sur-Meuse"]
    assert _rows(everywhere, "sans-medecin-traitant") == ["Épinal", "Épinal-sur-Meuse"]
    assert "Communes dont le nom contient « epinal » : 2 sur 6." in everywhere
    assert 'value="epinal"' in everywhere
    assert _rows(vosges, "actes-par-commune") == ["Épinal"]
    assert _rows(nothing, "actes-par-commune") == []
    assert "« &lt;b&gt;Metz » : 0 sur 6." in nothing
    # the other figures are the territory's: acts by month count every commune
    assert _rows(everywhere, "actes-par-mois") == _rows(nothing, "actes-par-mois")
    # and the CSV links carry the department only: the files hold every commune
    assert "actes-par-commune.csv?departement=88" in vosges
    assert "commune=" not in vosges.split("actes-par-commune.csv")[1][:40]


def test_a_search_found_in_many_communes_shows_the_first_of_them(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add([f"Saint-Commune {i:02d}" for i in range(25)])
        territory.add(["Saint-Nabord"], acts=3)
        html = client.get(URL, {"commune": "saint"}).content.decode()
    rows = _rows(html, "actes-par-commune")
    assert len(rows) == TERRITORY_TOP_COMMUNES
    assert rows[0] == "Saint-Nabord"
    assert "Communes dont le nom contient « saint » : 26 sur 26." in html
    assert "Les 20 premières sont affichées" in html


def test_the_page_is_read_from_its_excerpt_until_the_snapshot_expires(
    client: Client, coordinator: User
) -> None:
    # given a first visit, which computes the figures and their excerpt
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add(["Vittel", "Contrexéville"])
        first = territory_page_for(actor=coordinator)
        # when more communes appear within the five minutes
        territory.add(["Bulgnéville"], acts=4)
        again = territory_page_for(actor=coordinator)
        csv = _csv_lines(client, "actes-par-commune")
    # then the page and the CSV are the same snapshot
    assert again.computed_at == first.computed_at
    assert again.activity.acts_by_commune.table.rows == ["Contrexéville", "Vittel"]
    assert [line.split(";")[0] for line in csv[1:]] == ["Contrexéville", "Vittel"]


def test_an_old_snapshot_is_shown_while_another_request_rebuilds_it(coordinator: User) -> None:
    # given a snapshot six minutes old, and more communes since
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add(["Vittel"])
        first = territory_snapshot_for(actor=coordinator)
        territory.add(["Bulgnéville"], acts=4)
    later = NOW + timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        # when another request is rebuilding it
        cache.add("dashboards:territory:-:fr:refreshing", True, 60)
        with CaptureQueriesContext(connection) as queries:
            shown = territory_page_for(actor=coordinator)
        # then this one shows the old snapshot at once, without computing anything
        assert shown.computed_at == first.computed_at
        assert len(queries) <= 1  # the coordinator check at most
        # and once that request is done, the next one rebuilds it
        cache.delete("dashboards:territory:-:fr:refreshing")
        rebuilt = territory_page_for(actor=coordinator)
    assert rebuilt.computed_at == later
    assert "Bulgnéville" in rebuilt.activity.acts_by_commune.table.rows
    assert cache.get("dashboards:territory:-:fr:refreshing") is None


def test_two_communes_of_one_name_in_two_departments_are_two_rows(
    client: Client, coordinator: User
) -> None:
    # given Saint-Amand in the Nord (three acts) and in the Pas-de-Calais (one), and Vittel
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        territory = Territory()
        territory.add(["Saint-Amand"], acts=3, department="59")
        territory.add(["Saint-Amand", "Vittel"], department="62")

        # when
        everywhere = territory_snapshot_for(actor=coordinator).activity
        nord = territory_snapshot_for(actor=coordinator, department="59").activity
        found = client.get(URL, {"commune": "saint-amand"}).content.decode()
        csv = _csv_lines(client, "actes-par-commune")

    # then each is a row of its own, named with its department, in every commune table
    assert everywhere.acts_by_commune.table.rows == [
        "Saint-Amand (59)",
        "Saint-Amand (62)",
        "Vittel",
    ]
    assert everywhere.acts_by_commune.table.row_totals()[:2] == [3, 1]
    assert everywhere.commune_months.rows == everywhere.acts_by_commune.table.rows
    for table in (everywhere.without_treating_doctor.table, everywhere.late_requests):
        assert sorted(table.rows) == ["Saint-Amand (59)", "Saint-Amand (62)", "Vittel"]
        assert all(row[0] == 1 for row in table.cells)
    # within one department the name is enough
    assert nord.acts_by_commune.table.rows == ["Saint-Amand"]
    # the search finds both, and the CSV file keeps them apart
    assert _rows(found, "actes-par-commune") == ["Saint-Amand (59)", "Saint-Amand (62)"]
    assert [line.split(";")[:2] for line in csv[1:3]] == [
        ["Saint-Amand (59)", "3"],
        ["Saint-Amand (62)", "1"],
    ]
