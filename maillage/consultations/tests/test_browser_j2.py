"""Journey J2 in Chromium: the patient writes to the practice, the staff triage, the GP answers,
the patient reads the answer — with the live notification counter on the way."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, expect

from maillage.accounts.models import User
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.directory.models import Practice
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_patient_writes_staff_triage_gp_answers_patient_reads(
    browser_session: BrowserSession,
    patient: User,
    practice: Practice,
    staff: User,
    treating_clinician: User,
) -> None:
    PracticeAvailability.objects.create(
        practice=practice, opening_hours={str(day): [["00:00", "23:59"]] for day in range(7)}
    )
    page = browser_session.page
    # the patient writes
    browser_session.login_as(patient)
    browser_session.goto("/demandes/nouvelle/")
    page.get_by_label("Votre demande concerne").select_option("renewal")
    page.get_by_label("Objet").fill("Renouvellement de ma pilule")
    page.get_by_label("Votre message").fill("Ma plaquette se termine la semaine prochaine.")
    # a dropped connection loses nothing: the draft is saved as they type, and comes back
    expect(page.locator("#draft-status")).to_have_text("Brouillon enregistré")
    page.reload()
    expect(page.get_by_label("Objet")).to_have_value("Renouvellement de ma pilule")
    expect(page.get_by_label("Votre message")).to_have_value(
        "Ma plaquette se termine la semaine prochaine."
    )
    assert browser_session.accessibility_violations() == []
    upload: FilePayload = {"name": "plaquette.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    page.get_by_label("Photos ou documents").set_input_files([upload])
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Renouvellement de ma pilule")
    expect(page.locator("main")).to_contain_text("Réponse promise")
    # the secretary finds it first in the queue and gives it to the GP
    browser_session.login_as(staff)
    browser_session.goto("/cabinet/demandes/")
    assert browser_session.accessibility_violations() == []
    page.get_by_role("link", name="Renouvellement de ma pilule").click()
    expect(page.get_by_role("link", name="plaquette.jpg")).to_be_visible()
    page.get_by_role("button", name=treating_clinician.display_name).click()
    expect(page.locator("main")).to_contain_text("Prise en charge")
    # the GP answers and closes
    browser_session.login_as(treating_clinician)
    browser_session.goto("/cabinet/demandes/?moi=1")
    page.get_by_role("link", name="Renouvellement de ma pilule").click()
    assert browser_session.accessibility_violations() == []
    page.get_by_label("Message au patient").fill("Votre ordonnance est prête à l'accueil.")
    page.get_by_label("Répondre et terminer la demande").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".messages")).to_contain_text("Votre message a été envoyé")
    # the patient is told, and reads the answer
    browser_session.login_as(patient)
    browser_session.goto("/")
    expect(page.locator("#notif-count")).to_have_text("1")
    browser_session.goto("/demandes/")
    page.get_by_role("link", name="Renouvellement de ma pilule").click()
    expect(page.locator("main")).to_contain_text("Votre ordonnance est prête à l'accueil.")
    assert browser_session.accessibility_violations() == []
    assert OnlineRequest.objects.get().status == OnlineRequest.Status.CLOSED
