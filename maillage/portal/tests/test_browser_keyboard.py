"""J1, J2 and J3 walked with the keyboard alone in Chromium: Tab and Shift+Tab to move, Enter
and Space to act, the arrow keys inside a <select> or a radio group (where Tab leaves the
control), typing in text fields. No click. Every element that takes the focus on the way shows
a focus indicator, and the skip link moves the focus to the page's content."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.directory.models import Practice
from maillage.health_info.services import load_library
from maillage.teleconsultation.models import Appointment
from maillage.teleconsultation.selectors import free_slots
from maillage.teleconsultation.tests.builders import make_offer, slot_for_a_walk
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_DAY = {str(day): [["00:00", "23:59"]] for day in range(7)}


@pytest.fixture
def open_practice(practice: Practice) -> Practice:
    PracticeAvailability.objects.create(practice=practice, opening_hours=ALL_DAY)
    return practice


def skip_to_content(session: BrowserSession) -> None:
    """The first Tab reaches the skip link; Enter puts the focus on <main>, the next Tab in it."""
    session.page.keyboard.press("Tab")
    link = session.focused()
    assert link is not None
    assert link["name"] == "Aller au contenu", link
    assert link["indicator"]
    box = session.page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link is off screen"
    session.page.keyboard.press("Enter")
    assert session.page.evaluate("document.activeElement.id") == "contenu"
    session.page.keyboard.press("Tab")
    first = session.focused()
    assert first is not None
    assert first["in_main"], f"Tab after the skip link went to {first}"
    assert first["indicator"], f"no visible focus indicator on {first}"


def press(session: BrowserSession, name: str, key: str = "Enter", navigates: bool = True) -> None:
    """Tab to `name` and press `key`; wait for the page it opens, unless it opens none."""
    session.tab_to(name)
    if not navigates:
        session.page.keyboard.press(key)
        return
    with session.page.expect_navigation():
        session.page.keyboard.press(key)


def submit_with_enter(session: BrowserSession) -> None:
    with session.page.expect_navigation():
        session.page.keyboard.press("Enter")


def test_j1_search_read_assess_and_send_the_answers_with_the_keyboard(
    browser_session: BrowserSession, patient: User, open_practice: Practice
) -> None:
    author = ProfessionalFactory(role=Role.EDITOR)
    reviewer = ProfessionalFactory(role=Role.GP)
    RoleAssignment.objects.create(user=reviewer, role=Role.EDITOR)
    load_library(author=author, reviewer=reviewer)
    page = browser_session.page
    page.context.set_default_timeout(30_000)  # two shared cores: the first page may be slow
    browser_session.login_as(patient)
    browser_session.goto("/sante/")
    skip_to_content(browser_session)
    # search, open the article, start its self-assessment
    browser_session.tab_to("Rechercher")
    page.keyboard.type("mal de gorge")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sante/?q=mal*")
    press(browser_session, "Mal de gorge")
    expect(page.get_by_role("heading", level=2, name="Quand appeler le 15 ?")).to_be_visible()
    press(browser_session, "Faire le point sur vos symptômes")
    press(browser_session, "Commencer")
    expect(page.get_by_text("la personne a-t-elle l'un de ces signes")).to_be_visible()
    press(browser_session, "Continuer")  # no red flag
    browser_session.tab_to("âge")
    page.keyboard.type("41")
    submit_with_enter(browser_session)
    for choice in ("Non", "Moins de 3 jours", "Oui", "Non"):
        browser_session.tab_to("", kind="radio")  # the group's first radio button
        browser_session.choose(choice)
        press(browser_session, "Continuer")
    press(browser_session, "Continuer")  # nothing to add
    expect(page.get_by_role("heading", name="Vous pouvez vous soigner vous-même")).to_be_visible()
    # the pre-filled request, sent with Space on its button
    press(browser_session, "Toujours pas mieux ? Envoyer ces réponses à mon médecin")
    expect(page.get_by_label("Objet")).to_have_value("Mal de gorge")
    press(browser_session, "Envoyer la demande", key="Space")
    expect(page.locator("main")).to_contain_text("Réponse promise")
    assert OnlineRequest.objects.get(patient=patient).self_assessment is not None


def test_j2_patient_writes_and_the_gp_answers_from_the_queue_with_the_keyboard(
    browser_session: BrowserSession,
    patient: User,
    treating_clinician: User,
    open_practice: Practice,
) -> None:
    page = browser_session.page
    page.context.set_default_timeout(30_000)
    browser_session.login_as(patient)
    browser_session.goto("/demandes/nouvelle/")
    skip_to_content(browser_session)
    browser_session.tab_to("Votre demande concerne")
    browser_session.choose("Renouvellement")
    browser_session.tab_to("Objet")
    page.keyboard.type("Renouvellement de ma pilule")
    browser_session.tab_to("Votre message")
    page.keyboard.type("Ma plaquette se termine la semaine prochaine.")
    press(browser_session, "Envoyer la demande")
    expect(page.get_by_role("heading", level=1)).to_have_text("Renouvellement de ma pilule")
    # the GP opens it from the queue and answers
    browser_session.login_as(treating_clinician)
    browser_session.goto("/cabinet/demandes/")
    skip_to_content(browser_session)
    press(browser_session, "Renouvellement de ma pilule")
    browser_session.tab_to("Message au patient")
    page.keyboard.type("Votre ordonnance est prête à l'accueil.")
    browser_session.tab_to("Répondre", kind="radio")  # the group's checked answer
    browser_session.choose("Répondre et terminer la demande")
    press(browser_session, "Envoyer")
    expect(page.locator(".messages")).to_contain_text("Votre message a été envoyé")
    assert OnlineRequest.objects.get().status == OnlineRequest.Status.CLOSED


def test_j3_book_a_teleconsultation_and_enter_the_waiting_room_with_the_keyboard(
    browser_session: BrowserSession,
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
    page = browser_session.page
    page.context.set_default_timeout(30_000)
    browser_session.login_as(patient)
    browser_session.goto("/teleconsultation/")
    skip_to_content(browser_session)
    press(browser_session, "Voir les créneaux")
    # the day of the nearest slot the walk can still book (its slots swap in, the focus
    # stays on it), then that slot: the call opens only shortly before the appointment
    # starts. Each radio button is named with the full date for a screen reader.
    day_index, slot_index = slot_for_a_walk(offer)
    days = sorted({timezone.localdate(slot) for slot in free_slots(offer=offer)})
    with translation.override("fr"):
        day_name = formats.date_format(days[day_index], "l j F")
    press(browser_session, day_name, navigates=False)
    expect(page.locator(".slot-days a[aria-current]")).to_contain_text(day_name)
    assert day_name in (browser_session.focused() or {}).get("name", "")
    browser_session.tab_to(f"{day_name}, ", kind="radio")
    page.keyboard.press("Space")  # the day's first free slot
    for _ in range(slot_index):
        page.keyboard.press("ArrowDown")  # arrows move the choice within a radio group
    expect(page.get_by_role("radio", name=day_name).nth(slot_index)).to_be_checked()
    browser_session.tab_to("Motif")
    browser_session.choose("Suivi")
    browser_session.tab_to("En quelques mots")
    page.keyboard.type("Suivi de tension, tout va bien.")
    for question, answer in [
        ("examiner", "Non"),
        ("utiliser la vidéo", "Oui"),
        ("voir, entendre", "Non"),
        ("accompagné", "Non"),
        ("nouvelle difficile", "Non"),
    ]:
        browser_session.tab_to(question)
        browser_session.choose(answer)
    press(browser_session, "J'ai lu ces informations", key="Space", navigates=False)
    press(browser_session, "Confirmer le rendez-vous")
    page.wait_for_url("**/teleconsultation/rdv/**")
    appointment = Appointment.objects.get(patient=patient)
    # arrival, then the waiting room
    browser_session.tab_to("Où êtes-vous")
    page.keyboard.type("Lamarche, domicile")
    browser_session.tab_to("Un numéro pour vous rappeler")
    page.keyboard.type("06 12 34 56 78")
    press(browser_session, "Entrer en salle d'attente")
    page.wait_for_url(f"**/teleconsultation/{appointment.public_id}/appel/")
    page.wait_for_function("() => window.maillageCall && window.maillageCall.socketOpen()")
    assert "médecin" in page.locator("#waiting-text").inner_text()
    skip_to_content(browser_session)
