"""The record in Chromium: the timeline, hiding a document from a doctor, the access log."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from maillage.accounts.models import User
from maillage.records import services
from maillage.records.models import RecordEntry
from maillage.testing.browser import BrowserSession

pytestmark = pytest.mark.browser


def test_patient_hides_a_document_and_sees_who_read_the_record(
    browser_session: BrowserSession, patient: User, treating_clinician: User
) -> None:
    with transaction.atomic():
        for title in ("Compte rendu de dermatologie", "Bilan sanguin"):
            services.file_entry(
                patient=patient,
                kind=RecordEntry.Kind.SHARED_FILE,
                title=title,
                body="Résultats dans les normes.",
                source_type="tests.source",
                source_id=uuid.uuid4(),
                document=b"%PDF-1.4\n%%EOF",
                file_name=f"{title}.pdf",
                content_type="application/pdf",
                extension=".pdf",
            )
    page = browser_session.page
    browser_session.login_as(patient)
    browser_session.goto("/dossier/")
    assert page.get_by_role("heading", name="Mon dossier").is_visible()
    assert browser_session.accessibility_violations() == []
    entry = page.locator(".record-entry", has_text="Compte rendu de dermatologie")
    entry.get_by_text("Masquer ce document à un professionnel").click()
    entry.get_by_label("Professionnel").select_option(label=treating_clinician.display_name)
    entry.get_by_role("button", name="Masquer").click()
    assert page.get_by_text("Ce document est masqué").is_visible()

    # The doctor sees one document, and that one is hidden.
    browser_session.login_as(treating_clinician)
    browser_session.goto(f"/dossier/{patient.public_id}/")
    assert page.get_by_role("heading", name="Bilan sanguin").is_visible()
    assert page.get_by_role("heading", name="Compte rendu de dermatologie").count() == 0
    assert page.get_by_text("Le patient a masqué 1 document pour vous.").is_visible()

    # Back as the patient: the doctor's read is in the log, with its reason.
    browser_session.login_as(patient)
    browser_session.goto(f"/dossier/{patient.public_id}/confidentialite/")
    row = page.locator("tr", has_text=treating_clinician.display_name).first
    assert "a consulté votre dossier" in row.inner_text()
    assert "médecin traitant" in row.inner_text()
    assert browser_session.accessibility_violations() == []
