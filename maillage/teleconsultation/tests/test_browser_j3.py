"""Journey J3 in Chromium: a patient books a video consultation with their GP, both join with
fake camera and microphone, see each other (frames counted by getStats), go audio-only, survive
a dropped link, and the GP closes the act: report, PDF, bill."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from maillage.accounts.models import User
from maillage.billing.models import BilledAct
from maillage.directory.models import Practice
from maillage.teleconsultation.models import Appointment, CallEvent, ConsultationReport
from maillage.teleconsultation.tests.builders import make_offer, slot_for_a_walk
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser

ALL_DAY = {str(day): [["00:00", "23:59"]] for day in range(7)}
CONNECTED = "() => Object.values(window.maillageCall.connectionStates()).includes('connected')"


@pytest.fixture
def doctor_session(second_browser_session: BrowserSession) -> BrowserSession:
    """The doctor's browser, at a desk: a second context with the same guards."""
    second_browser_session.page.context.set_default_timeout(15_000)
    return second_browser_session


def _frames(page: Page) -> int:
    frames: int = page.evaluate("() => window.maillageCall.inboundVideoFrames()")
    return frames


def _wait_for_frames(page: Page, more_than: int, seconds: float = 15) -> int:
    """Poll getStats until more than `more_than` video frames were decoded from the peer."""
    deadline = time.monotonic() + seconds
    while (frames := _frames(page)) <= more_than and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return frames


def test_j3_book_join_see_each_other_audio_only_drop_rejoin_and_close_the_act(
    browser_session: BrowserSession,
    doctor_session: BrowserSession,
    patient: User,
    treating_clinician: User,
    practice: Practice,
) -> None:
    offer = make_offer(
        treating_clinician,
        practice,
        weekly_hours=ALL_DAY,
        minimum_notice_minutes=0,
        fee=Decimal("25.00"),
    )
    patient_page = browser_session.page
    patient_page.context.set_default_timeout(15_000)

    # Booking: the GP first, the fee and the mandatory sentence, HAS questions, consent.
    browser_session.login_as(patient)
    browser_session.goto("/teleconsultation/")
    patient_page.get_by_role("link", name="Voir les créneaux").click()
    assert patient_page.get_by_text("Seuls peuvent vous être facturés").is_visible()
    assert browser_session.accessibility_violations() == []
    # A day first (its slots swap in), then one of its slots.
    second_day = patient_page.locator(".slot-days a").nth(1)
    second_day.click()
    expect(second_day).to_have_attribute("aria-current", "date")
    assert browser_session.accessibility_violations() == []
    # Back to the nearest slot the walk can still book: the call opens only shortly
    # before the appointment starts.
    day_index, slot_index = slot_for_a_walk(offer)
    nearest_day = patient_page.locator(".slot-days a").nth(day_index)
    nearest_day.click()
    expect(nearest_day).to_have_attribute("aria-current", "date")
    patient_page.get_by_role("radio").nth(slot_index).check()
    patient_page.get_by_label("Motif").select_option("suivi")
    patient_page.get_by_label("En quelques mots").fill("Suivi de tension, tout va bien.")
    for question, answer in [
        ("examiner", "Non"),
        ("utiliser la vidéo", "Oui"),
        ("voir, entendre", "Non"),
        ("accompagné", "Non"),
        ("nouvelle difficile", "Non"),
    ]:
        patient_page.get_by_label(question).select_option(label=answer)
    patient_page.get_by_label("J'ai lu ces informations").check()
    patient_page.get_by_role("button", name="Confirmer le rendez-vous").click()
    patient_page.wait_for_url("**/teleconsultation/rdv/**")
    appointment = Appointment.objects.get(patient=patient)
    assert appointment.consent_id is not None
    assert appointment.fee_code == "TCG"

    # Arrival: where the patient is and a number to call back, then the waiting room.
    patient_page.get_by_label("Où êtes-vous").fill("Lamarche, domicile")
    patient_page.get_by_label("Un numéro pour vous rappeler").fill("06 12 34 56 78")
    patient_page.get_by_role("button", name="Entrer en salle d'attente").click()
    patient_page.wait_for_url(f"**/teleconsultation/{appointment.public_id}/appel/")
    patient_page.wait_for_function("() => window.maillageCall && window.maillageCall.socketOpen()")
    assert "médecin" in patient_page.locator("#waiting-text").inner_text()

    # The doctor sees the patient waiting, then joins.
    doctor_page = doctor_session.page
    doctor_session.login_as(treating_clinician)
    doctor_session.goto("/cabinet/teleconsultations/")
    assert doctor_page.get_by_text("attend depuis").is_visible()
    assert doctor_session.accessibility_violations() == []
    doctor_session.goto(f"/teleconsultation/{appointment.public_id}/appel/")
    for page in (patient_page, doctor_page):
        page.wait_for_function(CONNECTED, timeout=20_000)
    for page in (patient_page, doctor_page):
        assert _wait_for_frames(page, more_than=5) > 5
    assert browser_session.accessibility_violations() == []

    # Audio-only on demand: the patient stops sending video; the event is logged.
    patient_page.get_by_role("button", name="Audio seul").click()
    patient_page.wait_for_function("() => window.maillageCall.audioOnly()")
    # The button's state follows the mode a moment later: wait for it rather than read it once.
    expect(patient_page.get_by_role("button", name="Audio seul")).to_have_attribute(
        "aria-pressed", "true"
    )

    # A dropped link: the socket ends without a goodbye; the page rejoins by itself.
    patient_page.evaluate("() => window.maillageCall.dropSocket()")
    patient_page.wait_for_function("() => !window.maillageCall.socketOpen()", timeout=5_000)
    patient_page.wait_for_function("() => window.maillageCall.socketOpen()", timeout=20_000)
    for page in (patient_page, doctor_page):
        page.wait_for_function(CONNECTED, timeout=20_000)
    kinds = set(CallEvent.objects.filter(appointment=appointment).values_list("kind", flat=True))
    assert {"joined", "connected", "audio_only", "dropped", "rejoined"} <= kinds

    # Closing the act: times and incidents come from the signalling log.
    doctor_session.goto(f"/cabinet/teleconsultations/{appointment.public_id}/cloture/")
    incidents = doctor_page.get_by_label("Incidents techniques").input_value()
    assert doctor_session.accessibility_violations() == []
    assert "coupure" in incidents
    doctor_page.get_by_label("Compte rendu").fill("Tension équilibrée. Traitement poursuivi.")
    doctor_page.get_by_label("Acte réalisé").select_option("TCG")
    doctor_page.get_by_label("Réalisée par vidéo").check()
    doctor_page.get_by_label("Prescriptions (une ligne").fill("Amlodipine 5 mg, 1 cp/j, 3 mois")
    doctor_page.get_by_role("button", name="Clôturer et envoyer le compte rendu").click()
    doctor_page.wait_for_url("**/compte-rendu/")
    report = ConsultationReport.objects.get(appointment=appointment)
    act = BilledAct.objects.get(source_id=appointment.public_id)
    assert (act.code, act.amount, act.parcours_status) == ("TCG", Decimal("25.00"), "reimbursable")
    assert "coupure" in report.incidents
    pdf = doctor_page.request.get(
        f"{doctor_session.base_url}/teleconsultation/rdv/{appointment.public_id}/documents/compte-rendu.pdf"
    )
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The patient finds the report in their space.
    browser_session.goto(f"/teleconsultation/rdv/{appointment.public_id}/")
    patient_page.get_by_role("link", name="Lire le compte rendu").click()
    assert patient_page.get_by_role("link", name="Ordonnance (PDF)").is_visible()
