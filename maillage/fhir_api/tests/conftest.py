"""Fixtures of the FHIR API tests: a registered SMART app, tokens, a record with one of each."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from oauth2_provider.models import AccessToken, Application

from maillage.accounts.models import User
from maillage.directory.models import Practice
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.teleconsultation.models import Appointment, ConsentRecord, ConsultationReport
from maillage.teleconsultation.tests.builders import book, close, make_offer
from maillage.triage import services as triage
from maillage.triage.models import SelfAssessment

REDIRECT_URI = "https://app.example.test/callback"


@pytest.fixture
def smart_app(db: None) -> Application:
    """A public SMART app (no secret: it proves itself with PKCE), registered by an operator."""
    return Application.objects.create(
        name="Appli de suivi",
        client_id="appli-de-suivi",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT_URI,
        algorithm="",
    )


def token_for(user: User, scope: str, app: Application, *, expires_in: int = 3600) -> str:
    """A token as django-oauth-toolkit stores it at the end of the authorization flow."""
    raw = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        user=user,
        application=app,
        token=raw,
        scope=scope,
        expires=timezone.now() + timedelta(seconds=expires_in),
    )
    return raw


class Api:
    """A client without session: only the bearer token speaks for it."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def get(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        if self.token is not None:
            headers.setdefault("authorization", f"Bearer {self.token}")
        return self.client.get(f"/fhir/{path}", data or {}, headers=headers)


@pytest.fixture
def api_as(smart_app: Application) -> Any:
    def make(user: User, scope: str = "user/*.read") -> Api:
        return Api(token_for(user, scope, smart_app))

    return make


def validate(resource: dict[str, Any]) -> Any:
    """Parse with fhir.resources' R4B models: unknown fields, wrong types, missing codes fail."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def entries_of(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    assert bundle["resourceType"] == "Bundle"
    validate(bundle)
    for entry in bundle.get("entry", []):
        validate(entry["resource"])
    return [entry["resource"] for entry in bundle.get("entry", [])]


def ids_of(bundle: dict[str, Any]) -> list[str]:
    return [resource["id"] for resource in entries_of(bundle)]


def file_entry(patient: User, **overrides: Any) -> RecordEntry:
    values: dict[str, Any] = {
        "patient": patient,
        "kind": RecordEntry.Kind.MESSAGE,
        "title": "Réponse du cabinet",
        "body": "Prenez du paracétamol si besoin.",
        "source_type": "tests.source",
        "source_id": uuid.uuid4(),
    }
    values.update(overrides)
    with transaction.atomic():
        return records.file_entry(**values)


def make_appointments(
    doctor: User, patient: User, practice: Practice, count: int
) -> list[Appointment]:
    """Plain appointment rows, one a day back from now (for paging and query counts)."""
    now = timezone.now()
    return [
        Appointment.objects.create(
            doctor=doctor,
            patient=patient,
            booked_by=patient,
            practice=practice,
            mode=Appointment.Mode.VIDEO,
            motive="suivi",
            starts_at=now - timedelta(days=day + 1),
            ends_at=now - timedelta(days=day + 1) + timedelta(minutes=15),
        )
        for day in range(count)
    ]


@dataclass
class Record:
    """One patient's record with one resource of each clinical type."""

    appointment: Appointment
    report: ConsultationReport
    consent: ConsentRecord
    assessment: SelfAssessment
    report_entry: RecordEntry
    prescription_entry: RecordEntry


@pytest.fixture
def full_record(
    patient: User,
    treating_clinician: User,
    practice: Practice,
    django_capture_on_commit_callbacks: Any,
) -> Record:
    """Built through the journeys' services: booking, closing the act, a self-assessment."""
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(make_offer(treating_clinician, practice), patient)
        report = close(treating_clinician, appointment)
    assessment = triage.start_assessment(actor=patient, patient=patient, template="mal-de-gorge")
    assessment = triage.answer_red_flags(actor=patient, assessment=assessment, ticked=["saliva"])
    appointment.refresh_from_db()
    assert appointment.consent is not None
    entries = RecordEntry.objects.filter(source_id=report.public_id)
    return Record(
        appointment=appointment,
        report=report,
        consent=appointment.consent,
        assessment=assessment,
        report_entry=entries.get(kind=RecordEntry.Kind.TELECONSULTATION),
        prescription_entry=entries.get(kind=RecordEntry.Kind.PRESCRIPTION),
    )
