"""A GP answers a renewal or a certificate request with a PDF the patient can open."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.consultations import services
from maillage.consultations.models import OnlineRequest, PracticeAvailability, RequestAttachment
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewal(patient: User, practice: Practice, availability: PracticeAvailability) -> OnlineRequest:
    return services.submit_request(
        actor=patient,
        patient=patient,
        practice=practice,
        route="renewal",
        subject="Pilule",
        message="Renouvellement de ma pilule.",
        idempotency_key=uuid.uuid4(),
    )


def test_the_gp_writes_a_prescription_as_a_pdf_joined_to_the_request(
    client: Client, renewal: OnlineRequest, treating_clinician: User, patient: User
) -> None:
    client.force_login(treating_clinician)

    response = client.post(
        reverse("consultations:team_request", args=[renewal.public_id]),
        {"body": "Leeloo 0,1 mg/0,02 mg : 1 comprimé par jour, 3 mois", "action": "prescription"},
    )

    assert response.status_code == 302
    document = RequestAttachment.objects.get(request=renewal)
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert document.size > 2000
    assert AuditEvent.objects.filter(
        action="consultations.prescription_issued", patient=patient
    ).exists()
    # the patient opens it from their request
    client.force_login(patient)
    page = client.get(reverse("consultations:request", args=[renewal.public_id])).content.decode()
    assert "ordonnance.pdf" in page
    opened = client.get(reverse("consultations:attachment", args=[document.public_id]))
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"


def test_staff_cannot_sign_a_prescription(renewal: OnlineRequest, staff: User) -> None:
    with pytest.raises(NotAllowed):
        services.issue_document(actor=staff, request=renewal, kind="prescription", text="x")

    assert not RequestAttachment.objects.exists()


def test_a_doctor_of_another_practice_cannot_either(
    renewal: OnlineRequest, other_clinician: User
) -> None:
    with pytest.raises(NotAllowed):
        services.issue_document(
            actor=other_clinician, request=renewal, kind="certificate", text="x"
        )
