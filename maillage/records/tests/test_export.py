"""Download my record: ZIP with a PDF summary, a FHIR R4 Bundle that validates, the files."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.notifications.models import Notification
from maillage.records import export, services
from maillage.records.models import RecordEntry, RecordExport

pytestmark = pytest.mark.django_db


def _fill(patient: User, doctor: User) -> None:
    with transaction.atomic():
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.MESSAGE,
            title="Réponse du cabinet",
            body="Reposez-vous et buvez beaucoup.",
            author=doctor,
            source_type="tests.source",
            source_id=uuid.uuid4(),
        )
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.PRESCRIPTION,
            title="Ordonnance",
            body="Paracétamol 1 g",
            author=doctor,
            source_type="tests.source",
            source_id=uuid.uuid4(),
            document=b"%PDF-1.4 ordonnance",
            file_name="ordonnance.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )


def test_the_zip_holds_a_pdf_summary_a_valid_fhir_bundle_and_the_files(
    patient: User, treating_clinician: User
) -> None:
    _fill(patient, treating_clinician)
    archive = zipfile.ZipFile(io.BytesIO(export.build_zip(patient)))
    names = archive.namelist()
    assert "resume.pdf" in names
    assert archive.read("resume.pdf").startswith(b"%PDF")
    files = [name for name in names if name.startswith("fichiers/")]
    assert len(files) == 1
    assert archive.read(files[0]) == b"%PDF-1.4 ordonnance"
    raw = json.loads(archive.read("dossier-fhir.json"))
    bundle = Bundle.model_validate(raw)  # every resource validates
    kinds = [type(entry.resource).__name__ for entry in bundle.entry or []]
    assert kinds.count("Patient") == 1
    assert kinds.count("DocumentReference") == 2
    assert kinds.count("Practitioner") == 1
    documents = [
        item["resource"]
        for item in raw["entry"]
        if item["resource"]["resourceType"] == "DocumentReference"
    ]
    assert {doc["content"][0]["attachment"].get("url", "") for doc in documents} == {"", files[0]}


def test_export_is_built_by_a_task_notified_downloaded_and_audited(
    client: Client, patient: User, treating_clinician: User, django_capture_on_commit_callbacks: Any
) -> None:
    _fill(patient, treating_clinician)
    client.force_login(patient)
    url = reverse("records:exports", args=[patient.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    made = RecordExport.objects.get()
    assert made.status == RecordExport.Status.READY
    assert Notification.objects.filter(recipient=patient, kind="records.export").exists()
    page = client.get(url).content.decode()
    download = reverse("records:export_download", args=[made.public_id])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="records.export_downloaded", patient=patient).exists()
    # Nobody else downloads it, not even the GP.
    for other in (PatientFactory(), treating_clinician):
        client.force_login(other)
        assert client.get(download).status_code == 404
        assert client.get(url).status_code == 404


def test_exports_are_deleted_after_a_week(patient: User) -> None:
    made = RecordExport.objects.create(
        patient=patient, requested_by=patient, expires_at=timezone.now() + timedelta(days=7)
    )
    assert export.prune_expired_exports() == 0
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert export.prune_expired_exports() == 1
    assert not RecordExport.objects.filter(pk=made.pk).exists()
