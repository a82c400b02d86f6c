"""Journey J1 in Chromium: search the library, read the article, run the self-assessment,
get self-care advice with a dated check-in; and a red-flag path that ends on the 15."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.directory.models import Practice
from maillage.health_info.services import load_library
from maillage.testing.browser import BrowserSession
from maillage.triage.models import SelfAssessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library() -> None:
    author = ProfessionalFactory(role=Role.EDITOR)
    reviewer = ProfessionalFactory(role=Role.GP)
    RoleAssignment.objects.create(user=reviewer, role=Role.EDITOR)
    load_library(author=author, reviewer=reviewer)


def answer(session: BrowserSession, choice: str | None = None, text: str | None = None) -> None:
    page = session.page
    if choice is not None:
        page.get_by_label(choice, exact=True).check()
    if text is not None:
        page.locator("#answer").fill(text)
    page.get_by_role("button", name="Continuer").click()


def test_search_read_assess_get_a_check_in_then_send_the_answers_to_the_gp(
    browser_session: BrowserSession, library: None, patient: User, practice: Practice
) -> None:
    PracticeAvailability.objects.create(
        practice=practice, opening_hours={str(day): [["00:00", "23:59"]] for day in range(7)}
    )
    page = browser_session.page
    browser_session.login_as(patient)
    # search the library
    browser_session.goto("/sante/")
    page.get_by_label("Rechercher").fill("mal de gorge")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Mal de gorge", exact=False).first.click()
    expect(page.get_by_role("heading", level=2, name="Quand appeler le 15 ?")).to_be_visible()
    assert browser_session.accessibility_violations() == []
    # run its self-assessment
    page.get_by_role("link", name="Faire le point sur vos symptômes").click()
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_text("la personne a-t-elle l'un de ces signes")).to_be_visible()
    assert browser_session.accessibility_violations() == []
    answer(browser_session)  # no red flag ticked
    answer(browser_session, text="41")
    assert browser_session.accessibility_violations() == []
    answer(browser_session, choice="Non")  # fever
    answer(browser_session, choice="Moins de 3 jours")
    answer(browser_session, choice="Oui")  # cough or runny nose
    answer(browser_session, choice="Non")  # one-sided pain
    answer(browser_session, text="")
    # then: self-care, and the day of the check-in
    expect(page.get_by_role("heading", name="Vous pouvez vous soigner vous-même")).to_be_visible()
    expect(page.get_by_text("Nous vous le rappellerons ce jour-là")).to_be_visible()
    assert browser_session.accessibility_violations() == []
    assessment = SelfAssessment.objects.get(patient=patient)
    assert (assessment.outcome, assessment.check_in_at is not None) == ("self_care", True)
    # still unwell: one click pre-fills a request to the GP with the answers
    page.get_by_role("link", name="Toujours pas mieux ? Envoyer ces réponses à mon médecin").click()
    expect(page.get_by_label("Objet")).to_have_value("Mal de gorge")
    expect(page.get_by_label("Votre message")).to_contain_text("Mes réponses à l'auto-évaluation")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("main")).to_contain_text("Réponse promise")
    request = OnlineRequest.objects.get(patient=patient)
    assert request.self_assessment == assessment


def test_a_red_flag_ends_on_the_15_and_creates_no_ordinary_outcome(
    browser_session: BrowserSession, patient: User
) -> None:
    page = browser_session.page
    browser_session.login_as(patient)
    browser_session.goto("/auto-evaluation/commencer/mal-de-gorge/")
    page.get_by_role("button", name="Commencer").click()
    page.get_by_label("Difficulté à respirer").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Appelez le 15 maintenant")
    expect(page.get_by_role("link", name="Appeler le 15")).to_have_attribute("href", "tel:15")
    assert browser_session.accessibility_violations() == []
    assert SelfAssessment.objects.get(patient=patient).outcome == "emergency"
