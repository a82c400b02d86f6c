"""The doctor's dashboard page, its CSV tables, the declaration and the billing export."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import PatientProfile, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.dashboards.models import ActivityDeclaration
from maillage.dashboards.tests.activity import (
    online_request,
    paris,
    teleconsultation,
    teleexpertise,
)
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:doctor")
NOW = paris(2026, 3, 15)


def _activity(doctor: User, practice: Practice, months: int, per_month: int) -> None:
    for month in range(1, months + 1):
        for index in range(per_month):
            patient = PatientFactory()
            teleconsultation(doctor, patient, paris(2026, month, index + 1), capped=index % 2 == 0)
            online_request(
                practice,
                patient,
                paris(2026, month, index + 1),
                closed_after=timedelta(hours=index + 1),
                closed_by=doctor,
            )
            teleexpertise(doctor, ProfessionalFactory(), patient, paris(2026, month, index + 2))


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["patient", "staff", "operator"])
def test_anyone_but_a_doctor_gets_404(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("dashboards:doctor_csv", args=["actes"])).status_code == 404
    assert (
        client.get(
            reverse("dashboards:export"), {"du": "2026-01-01", "au": "2026-01-31"}
        ).status_code
        == 404
    )


def test_the_page_costs_the_same_queries_for_3_or_30_acts(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    # given a doctor with 3 acts of each kind, then 30 more over three months
    client.force_login(treating_clinician)
    with time_machine.travel(NOW, tick=False):
        _activity(treating_clinician, practice, months=1, per_month=1)
        _queries(client)  # a first visit warms the per-process caches (content types…)
        small = _queries(client)
        _activity(treating_clinician, practice, months=3, per_month=10)
        big = _queries(client)

    # then the count does not grow with the rows: everything is grouped in SQL
    assert small == big
    assert big <= 16, big


def test_the_cached_charts_change_as_soon_as_the_figures_do(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    # given the page read once (its charts' HTML now cached)
    client.force_login(treating_clinician)
    with time_machine.travel(NOW, tick=False):
        _activity(treating_clinician, practice, months=1, per_month=1)
        before = client.get(URL)
        # when more acts are billed
        _activity(treating_clinician, practice, months=1, per_month=2)
        after = client.get(URL)
    # then the tables show them at once: the HTML is keyed on the figures, not on time
    assert before.context["activity"].fingerprint != after.context["activity"].fingerprint
    acts = after.context["activity"].acts.table
    assert f'<td class="num">{acts.row_totals()[0]}</td>' in after.content.decode()
    assert acts.row_totals()[0] > before.context["activity"].acts.table.row_totals()[0]


def test_the_page_shows_the_tables_beside_the_charts(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    client.force_login(treating_clinician)
    with time_machine.travel(NOW, tick=False):
        _activity(treating_clinician, practice, months=2, per_month=2)
        response = client.get(URL)
    html = response.content.decode()
    assert html.count("<svg") >= 2
    assert 'data-table="actes"' in html
    assert 'data-table="montants"' in html
    assert "/tableaux/activite/actes.csv?annee=2026" in html
    # SVG coordinates are never localised with decimal commas
    assert 'x="' in html
    assert not any(f'x="{n},' in html for n in range(10))


def test_a_table_downloads_as_csv(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    client.force_login(treating_clinician)
    with time_machine.travel(NOW, tick=False):
        _activity(treating_clinician, practice, months=2, per_month=2)
        response = client.get(reverse("dashboards:doctor_csv", args=["actes"]), {"annee": 2026})
        unknown = client.get(reverse("dashboards:doctor_csv", args=["inconnu"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mois;Téléconsultations;")
    assert lines[1] == "jan. 2026;2;2;0;2;6"  # 2 TC, 2 TE2 given, 0 RQD, 2 requests closed
    assert unknown.status_code == 404


def test_the_declaration_feeds_the_cap(client: Client, treating_clinician: User) -> None:
    client.force_login(treating_clinician)
    with time_machine.travel(NOW, tick=False):
        teleconsultation(treating_clinician, PatientFactory(), paris(2026, 1, 5))
        response = client.post(reverse("dashboards:declaration"), {"annee": 2026, "other_acts": 4})
        page = client.get(URL)
    assert response.status_code == 302
    assert ActivityDeclaration.objects.get(doctor=treating_clinician).other_acts == 4
    assert page.context["activity"].cap.status.level == "over"  # 1 of 5 = 20 %
    assert 'id="cap-ratio">20,0 %' in page.content.decode()


def test_the_billing_export_has_one_line_an_act_across_the_tariff_change(
    client: Client, treating_clinician: User
) -> None:
    # given TE2 acts on both sides of 1 January 2026 (20 € then 23 €), and one out of range
    patient = PatientFactory(nir="187068826201582", birth_date=paris(1987, 6, 8).date())
    requester = ProfessionalFactory()
    with time_machine.travel(paris(2026, 1, 20), tick=False):
        teleexpertise(treating_clinician, requester, patient, paris(2025, 12, 31, 23, 30))
        teleexpertise(treating_clinician, requester, patient, paris(2026, 1, 1, 0, 30))
        teleexpertise(treating_clinician, requester, patient, paris(2026, 1, 19))
        client.force_login(treating_clinician)

        # when the doctor exports 31 December to 1 January
        response = client.get(
            reverse("dashboards:export"), {"du": "2025-12-31", "au": "2026-01-01"}
        )

    # then two lines, each at the tariff of its day, the NIR split into number and key
    lines = response.content.decode("utf-8-sig").splitlines()
    profile = PatientProfile.objects.get(user=patient)
    assert lines[0].startswith("date_acte;heure;code_acte;montant;nir;cle_nir;date_naissance")
    assert [line.split(";")[:7] for line in lines[1:]] == [
        ["31/12/2025", "23:30", "TE2", "20,00", profile.nir[:13], profile.nir[13:], "08/06/1987"],
        ["01/01/2026", "00:30", "TE2", "23,00", profile.nir[:13], profile.nir[13:], "08/06/1987"],
    ]
    event = AuditEvent.objects.get(action="dashboards.acts_exported")
    assert event.actor == treating_clinician
    assert event.details == {"first": "2025-12-31", "last": "2026-01-01", "acts": 2}


def test_an_export_of_another_doctors_acts_is_impossible(
    client: Client, treating_clinician: User, other_clinician: User, patient: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        teleconsultation(treating_clinician, patient, paris(2026, 3, 1))
        client.force_login(other_clinician)
        response = client.get(
            reverse("dashboards:export"), {"du": "2026-01-01", "au": "2026-03-15"}
        )
    assert response.content.decode("utf-8-sig").splitlines()[1:] == []


def test_an_inverted_period_is_refused(client: Client, treating_clinician: User) -> None:
    client.force_login(treating_clinician)
    response = client.get(reverse("dashboards:export"), {"du": "2026-02-01", "au": "2026-01-01"})
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(action="dashboards.acts_exported").exists()
