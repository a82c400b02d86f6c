"""The record in Chromium: the timeline, hiding a document from a doctor, the access log, the
ZIP export built in the background."""

from __future__ import annotations

import re
import uuid
import zipfile

import pytest
from django.db import transaction
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect

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


def test_patient_downloads_the_record_as_a_zip_built_in_the_background(
    browser_session: BrowserSession, patient: User
) -> None:
    with transaction.atomic():
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.SHARED_FILE,
            title="Bilan sanguin",
            body="Résultats dans les normes.",
            source_type="tests.source",
            source_id=uuid.uuid4(),
            document=b"%PDF-1.4\n%%EOF",
            file_name="bilan.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )
    page = browser_session.page
    browser_session.login_as(patient)
    browser_session.goto(f"/dossier/{patient.public_id}/telechargement/")
    assert browser_session.accessibility_violations() == []
    page.get_by_role("button", name="Préparer le téléchargement").click()
    expect(page.locator("body")).to_contain_text("Votre dossier est en préparation")

    # The embedded server's task worker builds it; the patient comes back to the page.
    link = page.get_by_role("link", name=re.compile("^Télécharger"))
    for _attempt in range(40):
        if link.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    with page.expect_download() as download_info:
        link.click()
    archive = zipfile.ZipFile(download_info.value.path())
    names = set(archive.namelist())
    assert "resume.pdf" in names
    assert archive.read("resume.pdf").startswith(b"%PDF")
    assert any(name.startswith("fichiers/") and name.endswith(".pdf") for name in names)
    bundle = Bundle.model_validate_json(archive.read("dossier-fhir.json"))
    kinds = {e.resource.get_resource_type() for e in bundle.entry or [] if e.resource}
    assert {"Patient", "DocumentReference"} <= kinds
