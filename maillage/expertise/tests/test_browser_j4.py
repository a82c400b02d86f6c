"""Journey J4 in Chromium: the GP asks a dermatologist with the patient's consent, the
specialist answers, the answer is in the patient's record and both acts are billed."""

from __future__ import annotations

import pytest

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.billing.models import BilledAct
from maillage.directory.models import Practice
from maillage.directory.services import add_practice_member
from maillage.expertise.models import ExpertiseRequest
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def test_j4_gp_asks_specialist_answers_record_and_bill(
    browser_session: BrowserSession,
    treating_clinician: User,
    patient: User,
    other_practice: Practice,
) -> None:
    dermatologist = ProfessionalFactory(
        role=Role.SPECIALIST, specialty=Specialty.DERMATOLOGY, last_name="Peau"
    )
    add_practice_member(actor=None, practice=other_practice, user=dermatologist)
    page = browser_session.page

    browser_session.login_as(treating_clinician)
    browser_session.goto("/cabinet/teleexpertise/")
    page.get_by_role("link", name="Demander un avis à un spécialiste").click()
    page.get_by_label("Patient", exact=True).select_option(str(patient.pk))
    page.get_by_label("Spécialité").select_option(Specialty.DERMATOLOGY)
    page.get_by_label("Votre question").fill("Nævus atypique du dos : exérèse ?")
    page.get_by_label("le patient a été informé et a donné son accord").check()
    assert browser_session.accessibility_violations() == []
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/cabinet/teleexpertise/*-*/")
    assert ExpertiseRequest.objects.get().consent == ExpertiseRequest.Consent.GIVEN

    browser_session.login_as(dermatologist)
    browser_session.goto("/cabinet/teleexpertise/")
    assert browser_session.accessibility_violations() == []
    page.locator("#received-title ~ div table a").first.click()
    assert page.get_by_text("Nævus atypique du dos").is_visible()
    page.get_by_label("Message").fill("Exérèse à prévoir, avec dermoscopie au préalable.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    assert page.get_by_text("Votre avis est envoyé").is_visible()

    # The GP finds the opinion in the patient's record; both acts are billed.
    browser_session.login_as(treating_clinician)
    browser_session.goto(f"/dossier/{patient.public_id}/")
    assert page.get_by_role("heading", name="Avis de téléexpertise").first.is_visible()
    codes = set(BilledAct.objects.values_list("code", flat=True))
    assert codes == {"TE2", "RQD"}
