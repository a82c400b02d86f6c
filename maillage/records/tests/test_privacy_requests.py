"""Data-protection requests: legal clocks, the operator's queue, erasure refused for the record."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.notifications.models import Notification
from maillage.records import privacy, services
from maillage.records.models import PrivacyRequest, RecordEntry

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def _care(patient: User, when: datetime) -> None:
    with transaction.atomic():
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.MESSAGE,
            title="Consultation",
            occurred_at=when,
            source_type="tests.source",
            source_id=uuid.uuid4(),
        )


def test_access_within_8_days_or_2_months_when_older_than_5_years(patient: User) -> None:
    now = datetime(2026, 11, 22, 10, tzinfo=PARIS)
    with time_machine.travel(now, tick=False):
        _care(patient, now - timedelta(days=30))
        recent = privacy.file_request(actor=patient, patient=patient, kind="access", details="")
        assert recent.due_at - recent.received_at == timedelta(days=8)
        _care(patient, now - timedelta(days=6 * 365))
        old = privacy.file_request(actor=patient, patient=patient, kind="access", details="")
        assert old.due_at - old.received_at == timedelta(days=61)
        other = privacy.file_request(
            actor=patient, patient=patient, kind="rectification", details=""
        )
        assert other.due_at - other.received_at == timedelta(days=30)


def test_operators_are_told_and_a_stranger_cannot_ask(patient: User, operator: User) -> None:
    privacy.file_request(actor=patient, patient=patient, kind="erasure", details="Tout effacer")
    assert Notification.objects.filter(recipient=operator).exists()
    with pytest.raises(NotAllowed):
        privacy.file_request(actor=PatientFactory(), patient=patient, kind="access", details="")


def test_erasure_of_the_record_is_refused_with_the_legal_reason_and_the_account_closed(
    client: Client, patient: User, operator: User
) -> None:
    request = privacy.file_request(actor=patient, patient=patient, kind="erasure", details="")
    client.force_login(operator)
    queue = reverse("operations:privacy_queue")
    assert str(request.public_id) in client.get(queue).content.decode()
    response = client.post(
        queue,
        {
            "request": str(request.public_id),
            "status": "partly",
            "answer": "Votre compte est fermé.",
            "close_account": "on",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.PARTLY
    assert "R.1112-7" in request.answer
    patient.refresh_from_db()
    assert patient.is_active is False
    with pytest.raises(DomainError):
        privacy.answer_request(actor=operator, request=request, status="answered", answer="x")


def test_the_patient_page_files_a_request_and_shows_the_deadline(
    client: Client, patient: User
) -> None:
    client.force_login(patient)
    url = reverse("records:rights", args=[patient.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "access", "details": ""}).status_code == 302
    page = client.get(url).content.decode()
    assert "réponse au plus tard le" in page
    client.force_login(PatientFactory())
    assert client.get(url).status_code == 404


def test_only_operators_answer(client: Client, patient: User, treating_clinician: User) -> None:
    request = privacy.file_request(actor=patient, patient=patient, kind="access", details="")
    with pytest.raises(NotAllowed):
        privacy.answer_request(
            actor=treating_clinician, request=request, status="answered", answer="x"
        )
    client.force_login(treating_clinician)
    assert client.get(reverse("operations:privacy_queue")).status_code == 404
