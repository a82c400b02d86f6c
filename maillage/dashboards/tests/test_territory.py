"""The coordinator's territory: acts by commune and month, waiting requests, answer times."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.dashboards.selectors import (
    territory_activity_for,
    territory_snapshot_for,
    territory_window,
)
from maillage.dashboards.tests.activity import (
    expertise_request,
    online_request,
    paris,
    teleconsultation,
    teleexpertise,
)
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory
from maillage.teleconsultation.models import Appointment

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:territory")
NOW = paris(2026, 3, 15)


@pytest.fixture
def coordinator(db: None) -> User:
    return StaffFactory.create(role=Role.COORDINATOR)


def test_the_window_is_the_last_twelve_months() -> None:
    first, last = territory_window(NOW.date())
    assert (first.isoformat(), last.isoformat()) == ("2025-04-01", "2026-03-01")


def test_acts_by_month_commune_and_type(coordinator: User) -> None:
    # given patients of two communes in two departments, acts inside and outside the window
    vittel = CommuneFactory.create(insee_code="88516", name="Vittel", department="88")
    commercy = CommuneFactory.create(insee_code="55122", name="Commercy", department="55")
    PracticeFactory.create(commune=vittel)
    PracticeFactory.create(commune=commercy)
    in_vittel, in_commercy = PatientFactory(commune=vittel), PatientFactory(commune=commercy)
    doctor, specialist = ProfessionalFactory(), ProfessionalFactory(role=Role.SPECIALIST)
    with time_machine.travel(NOW, tick=False):
        teleconsultation(doctor, in_vittel, paris(2026, 3, 1, 0, 30))
        teleconsultation(doctor, in_vittel, paris(2025, 12, 31, 23, 30))
        teleconsultation(doctor, in_commercy, paris(2026, 1, 5))
        teleconsultation(doctor, in_commercy, paris(2025, 3, 31))  # before the window
        teleexpertise(specialist, doctor, in_commercy, paris(2026, 1, 1, 0, 30))

        # when the coordinator looks at everything, then at the Vosges only
        everything = territory_activity_for(actor=coordinator)
        vosges = territory_activity_for(actor=coordinator, department="88")

    # then months are French months, communes those of the patients
    by_month = everything.acts_by_month.table
    assert by_month.rows[-1] == "mars 2026"
    assert by_month.row_totals()[-1] == 1  # the 00:30 act of 1 March
    assert by_month.row_totals()[-4] == 1  # December: the 23:30 act
    assert by_month.cells[-3] == [1, 1, 1]  # January: TC, TE2, RQD
    assert sum(by_month.row_totals()) == 5
    by_commune = everything.acts_by_commune.table
    assert by_commune.rows == ["Commercy", "Vittel"]
    assert by_commune.cells == [[1, 1, 1], [2, 0, 0]]
    assert everything.commune_months.row_totals() == [3, 2]
    assert vosges.acts_by_commune.table.rows == ["Vittel"]
    assert sum(vosges.acts_by_month.table.row_totals()) == 2


def test_patients_without_treating_doctor_come_from_the_directory(
    coordinator: User, patient: User
) -> None:
    commune = CommuneFactory.create(name="Lamarche")
    PracticeFactory.create(commune=commune)
    PatientFactory(commune=commune)
    PatientFactory(commune=commune)
    territory = territory_activity_for(actor=coordinator)
    table = territory.without_treating_doctor.table
    assert table.cells[table.rows.index("Lamarche")] == [2, 2]


def test_requests_waiting_past_their_promise_by_practice_commune(coordinator: User) -> None:
    practice = PracticeFactory.create(commune=CommuneFactory.create(name="Neufchâteau"))
    patient = PatientFactory()
    with time_machine.travel(NOW, tick=False):
        online_request(practice, patient, NOW - timedelta(hours=60))  # promised 12 h ago
        online_request(practice, patient, NOW - timedelta(hours=50))  # promised 2 h ago
        online_request(practice, patient, NOW - timedelta(hours=10))  # still in time
        online_request(  # the patient has the ball
            practice, patient, NOW - timedelta(hours=90), status="awaiting_patient"
        )
        online_request(
            practice, patient, NOW - timedelta(hours=90), closed_after=timedelta(hours=1)
        )
        territory = territory_activity_for(actor=coordinator)
    assert territory.late_requests.rows == ["Neufchâteau"]
    assert territory.late_requests.cells == [[2, 12.0]]
    assert territory.late_total == 2


def test_answer_times_and_requests_closed_without_a_visit(
    coordinator: User, treating_clinician: User
) -> None:
    practice = PracticeFactory.create()
    patient = PatientFactory()
    with time_machine.travel(NOW, tick=False):
        closed = [
            online_request(practice, patient, paris(2026, 2, day), closed_after=timedelta(hours=h))
            for day, h in [(1, 2), (2, 4), (3, 6), (4, 50)]
        ]
        for request, status in [(closed[0], "completed"), (closed[1], "cancelled")]:
            Appointment.objects.create(
                doctor=treating_clinician,
                patient=patient,
                booked_by=patient,
                practice=practice,
                motive="follow_up",
                online_request=request,
                starts_at=NOW + timedelta(days=1, hours=len(status)),
                ends_at=NOW + timedelta(days=1, hours=len(status), minutes=15),
                status=status,
                idempotency_key=uuid.uuid4(),
            )
        territory = territory_activity_for(actor=coordinator)
    february = territory.answer_times.table.rows.index("fév. 2026")
    assert territory.answer_times.table.cells[february] == [5.0, 50.0]
    # a cancelled visit is not a visit: one with, three without
    assert territory.visits.table.cells[february] == [3, 1]


def test_tele_expertise_answer_times_by_specialty(coordinator: User) -> None:
    requester, patient = ProfessionalFactory(), PatientFactory()
    with time_machine.travel(NOW, tick=False):
        for hours in (10, 20, 30):
            expertise_request(
                requester,
                patient,
                Specialty.DERMATOLOGY,
                paris(2026, 2, 1),
                answered_after=timedelta(hours=hours),
            )
        expertise_request(requester, patient, Specialty.CARDIOLOGY, NOW - timedelta(days=8))
        territory = territory_activity_for(actor=coordinator)
    table = territory.expertise_times.table
    assert table.rows == [str(Specialty.CARDIOLOGY.label), str(Specialty.DERMATOLOGY.label)]
    assert table.cells == [[None, None, 0, 1], [20.0, 30.0, 3, 0]]
    # the chart draws the two durations, the table shows all four columns
    assert [str(c.label) for c in territory.expertise_times.legend_columns] == [
        "Médiane (h)",
        "90e centile (h)",
    ]


def test_only_coordinators_and_operators_see_the_territory(
    treating_clinician: User, staff: User, patient: User, operator: User
) -> None:
    for outsider in (treating_clinician, staff, patient):
        with pytest.raises(Http404):
            territory_activity_for(actor=outsider)
    assert territory_activity_for(actor=operator).department == ""


def test_an_unknown_department_is_404(coordinator: User) -> None:
    with pytest.raises(Http404):
        territory_activity_for(actor=coordinator, department="99")


def _activity(communes: int, per_commune: int) -> None:
    doctor, specialist = ProfessionalFactory(), ProfessionalFactory(role=Role.SPECIALIST)
    for index in range(communes):
        commune = CommuneFactory.create()
        practice = PracticeFactory.create(commune=commune)
        for day in range(per_commune):
            patient = PatientFactory(commune=commune)
            teleconsultation(doctor, patient, paris(2026, 1 + day % 3, day + 1))
            teleexpertise(specialist, doctor, patient, paris(2026, 2, day + 1))
            online_request(
                practice, patient, paris(2026, 2, day + 1), closed_after=timedelta(hours=index + 1)
            )
            online_request(practice, patient, NOW - timedelta(days=5))
            expertise_request(
                doctor,
                patient,
                Specialty.CARDIOLOGY,
                paris(2026, 2, 1),
                answered_after=timedelta(hours=day + 1),
            )


def _queries(client: Client, **params: str) -> int:
    cache.clear()  # the figures themselves, not the snapshot of the previous request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_2_or_40_acts_a_month(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        _activity(communes=1, per_commune=1)
        _queries(client)  # warm the per-process caches
        small = _queries(client)
        _activity(communes=4, per_commune=10)
        big = _queries(client)
        filtered = _queries(client, departement="88")
    assert small == big == filtered
    assert big <= 20, big


def test_a_snapshot_serves_the_page_for_a_few_minutes_and_says_when_it_was_computed(
    client: Client, coordinator: User
) -> None:
    # given a first visit, which computes the figures
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        _activity(communes=1, per_commune=1)
        first = client.get(URL)
        computed = _queries_cached(client)
        # when more acts happen within the five minutes
        _activity(communes=1, per_commune=3)
        again = client.get(URL)
    # then the page is the same snapshot, its time shown, read without computing anything
    assert _figures(first.content) == _figures(again.content)
    assert "Chiffres calculés le 15 mars 2026" in again.content.decode()
    assert computed <= 6, computed
    # and a new snapshot counts the new acts once the old one has expired
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        cache.clear()  # locmem does not see time_machine's clock
        snapshot = territory_snapshot_for(actor=coordinator)
    assert sum(snapshot.activity.acts_by_month.table.row_totals()) == 12  # 4 patients, 3 acts


def _figures(content: bytes) -> str:
    html = content.decode()
    return html[html.index("<h1>") : html.rindex("</section>")]


def _queries_cached(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_the_page_and_a_csv_for_the_coordinator(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        _activity(communes=2, per_commune=2)
        page = client.get(URL)
        csv = client.get(reverse("dashboards:territory_csv", args=["actes-par-commune"]))
    html = page.content.decode()
    assert html.count("<svg") == 6
    assert "/tableaux/territoire/actes-par-mois.csv" in html
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "Commune;Téléconsultations;Téléexpertises rendues (TE2);Téléexpertises demandées (RQD);Total"
    )
    assert len(lines) == 3


@pytest.mark.parametrize("persona", ["treating_clinician", "staff", "patient"])
def test_others_get_404_on_the_page(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
