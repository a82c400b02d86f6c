"""Journey J9 in Chromium: a doctor, a coordinator and an operator open their dashboards; the
table beside a chart says what the database says; axe finds nothing; no third-party request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.accounts.models import Role
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
)
from maillage.billing.models import BilledAct
from maillage.dashboards.tests.activity import (
    expertise_request,
    online_request,
    teleconsultation,
    teleexpertise,
)
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def _table(session: BrowserSession, slug: str) -> list[list[str]]:
    rows = session.page.locator(f'table[data-table="{slug}"] tbody tr')
    return [
        [cell.strip() for cell in rows.nth(index).locator("th, td").all_inner_texts()]
        for index in range(rows.count())
    ]


def test_j9_each_role_sees_its_dashboard_and_the_tables_match_the_database(
    browser_session: BrowserSession,
) -> None:
    # given a month of activity in two communes
    now = timezone.now()
    vittel = CommuneFactory.create(insee_code="88516", name="Vittel", department="88")
    commercy = CommuneFactory.create(insee_code="55122", name="Commercy", department="55")
    practice = PracticeFactory.create(commune=vittel)
    PracticeFactory.create(commune=commercy)
    doctor = ProfessionalFactory(first_name="Claire", last_name="Thiébaut")
    specialist = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.DERMATOLOGY)
    patients = [PatientFactory(commune=vittel if i % 2 else commercy) for i in range(6)]
    today = now - timedelta(minutes=30)
    for index, patient in enumerate(patients):
        teleconsultation(doctor, patient, today - timedelta(hours=index), capped=index % 3 == 0)
        teleexpertise(specialist, doctor, patient, today - timedelta(hours=index, minutes=5))
        online_request(
            practice,
            patient,
            today - timedelta(hours=10 + index),
            closed_after=timedelta(hours=index + 1),
            closed_by=doctor,
        )
    online_request(practice, patients[0], now - timedelta(hours=60))  # past its promise
    expertise_request(doctor, patients[1], Specialty.DERMATOLOGY, now - timedelta(days=9))
    expertise_request(
        doctor,
        patients[2],
        Specialty.DERMATOLOGY,
        now - timedelta(days=2),
        answered_after=timedelta(hours=20),
        specialist=specialist,
    )
    page = browser_session.page

    # the doctor opens their activity: this month's row says what the acts table says
    browser_session.login_as(doctor)
    browser_session.goto("/tableaux/activite/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon activité de télémédecine")
    mine = BilledAct.objects.filter(doctor=doctor)
    this_month = _table(browser_session, "actes")[-1]
    assert this_month[1:] == [
        str(mine.filter(source_kind="teleconsultation").count()),
        "0",
        str(mine.filter(source_kind="teleexpertise_request").count()),
        "6",
        str(mine.count() + 6),
    ]
    assert page.locator("svg.chart").count() == 2
    assert browser_session.accessibility_violations() == []

    # they declare their other acts: the cap gauge appears, 2 of 6 + 34 = 5 %
    page.get_by_label("Actes facturés hors téléconsultation").fill("34")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#cap-ratio")).to_have_text("5,0 %")
    expect(page.locator("#cap-level")).to_contain_text("Sous le seuil d'alerte de 15 %")
    assert browser_session.accessibility_violations() == []
    assert browser_session.horizontal_overflow() == 0

    # the coordinator sees the territory: acts by commune as the database counts them
    coordinator = StaffFactory.create(role=Role.COORDINATOR)
    browser_session.login_as(coordinator)
    browser_session.goto("/tableaux/territoire/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activité de télémédecine")
    by_commune = {row[0]: row[1:] for row in _table(browser_session, "actes-par-commune")}
    for commune in ("Commercy", "Vittel"):
        acts = BilledAct.objects.filter(patient__patient_profile__commune__name=commune)
        assert by_commune[commune] == [
            str(acts.filter(source_kind=kind).count())
            for kind in ("teleconsultation", "teleexpertise_answer", "teleexpertise_request")
        ] + [str(acts.count())]
    expect(page.locator("#late-total")).to_have_text("1")
    assert page.locator("svg.chart").count() == 6
    assert browser_session.accessibility_violations() == []
    page.get_by_label("Département").select_option("88")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**departement=88&commune=")
    assert [row[0] for row in _table(browser_session, "actes-par-commune")] == ["Vittel"]
    # the commune tables show the communes that matter most; a search finds any other one
    page.get_by_label("Département").select_option("")
    page.get_by_label("Commune", exact=True).fill("commerc")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**commune=commerc")
    assert [row[0] for row in _table(browser_session, "actes-par-commune")] == ["Commercy"]
    expect(page.locator("#actes-par-commune-caption")).to_contain_text(
        "Communes dont le nom contient « commerc » : 1 sur 2."
    )
    assert browser_session.accessibility_violations() == []

    # the operator sees the health of the system
    browser_session.login_as(OperatorFactory.create())
    browser_session.goto("/exploitation/etat/")
    expect(page.locator("#workers-seen")).to_be_visible()
    expect(page.locator("#websocket-connections")).to_be_visible()
    assert browser_session.accessibility_violations() == []
