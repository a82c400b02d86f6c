"""Journey J8 in Chromium: a doctor writes "le meilleur cardiologue de Nancy", sees the L04
finding explained, rewrites, consents and publishes; a patient finds them by specialty and
distance."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.profiles.models import DoctorProfile
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def test_j8_linted_rewritten_consented_published_then_found(
    browser_session: BrowserSession, make_doctor: Callable[..., User]
) -> None:
    doctor = make_doctor(publish=False, last_name="Lorrain")
    make_doctor(town="metz", last_name="Messin")  # farther: comes second
    page = browser_session.page

    browser_session.login_as(doctor)
    browser_session.goto("/cabinet/profil/")
    assert browser_session.accessibility_violations() == []
    page.get_by_label("Présentation").fill("Le meilleur cardiologue de Nancy.")
    page.get_by_label("Lieu d'exercice affiché").select_option(label="Cabinet de Nancy")
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    findings = page.locator("#findings")
    expect(findings).to_contain_text("L04")
    expect(findings.locator("mark")).to_contain_text("meilleur")
    assert browser_session.accessibility_violations() == []

    page.get_by_label("Présentation").fill(
        "Cardiologue à Nancy : échocardiographie et suivi de l'insuffisance cardiaque."
    )
    page.get_by_role("button", name="Enregistrer et vérifier").click()
    expect(page.locator("body")).to_contain_text("Aucune remarque")
    page.get_by_label("J'autorise Maillage à publier ce profil").check()
    page.get_by_role("button", name="Publier mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lorrain")
    assert DoctorProfile.objects.get(doctor=doctor).status == DoctorProfile.Status.PUBLISHED
    assert browser_session.accessibility_violations() == []

    # A visitor (signed out) searches by specialty around Nancy.
    page.context.clear_cookies()
    browser_session.goto("/medecins/")
    page.get_by_label("Spécialité").select_option(Specialty.CARDIOLOGY)
    page.get_by_label("Commune ou code postal").fill("54000")
    page.get_by_label("Distance").select_option("100")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("ul.plain-list li.card h3")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Lorrain")
    expect(results.nth(1)).to_contain_text("Messin")
    assert browser_session.accessibility_violations() == []
    results.first.get_by_role("link").click()
    expect(page.locator("body")).to_contain_text("Seuls peuvent vous être facturés")
