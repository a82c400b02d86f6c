"""Photos and documents sent with a request: cleaned, stored under a random name, served safely."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.consultations.models import OnlineRequest, PracticeAvailability, RequestAttachment
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db
NEW = reverse("consultations:new")
GPS_IFD = 0x8825


def photo_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 4.0, 12.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def send(client: Client, patient: User, practice: Practice, *files: SimpleUploadedFile) -> object:
    return client.post(
        NEW,
        {
            "patient": patient.pk,
            "practice": practice.pk,
            "route": "clinical",
            "subject": "Plaque rouge",
            "message": "Une plaque rouge sur le bras depuis une semaine.",
            "idempotency_key": str(uuid.uuid4()),
            "attachments": list(files),
        },
    )


def test_a_photo_is_stored_without_its_location_under_a_random_name(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)

    response = send(
        client,
        patient,
        practice,
        SimpleUploadedFile("IMG_0042 Camille.jpg", photo_with_location(), "image/jpeg"),
    )

    assert response.status_code == 302  # type: ignore[attr-defined]
    attachment = RequestAttachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert "Camille" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert dict(image.getexif()) == {}


def test_a_disguised_archive_is_refused_with_its_name_and_nothing_is_created(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)

    response = send(
        client,
        patient,
        practice,
        SimpleUploadedFile("photo.jpg", b"PK\x03\x04" + b"\x00" * 64, "image/jpeg"),
    )

    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "photo.jpg" in response.content.decode()  # type: ignore[attr-defined]
    assert not OnlineRequest.objects.exists()


def test_six_files_are_too_many(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)
    files = [SimpleUploadedFile(f"p{i}.jpg", photo_with_location(), "image/jpeg") for i in range(6)]

    response = send(client, patient, practice, *files)

    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not RequestAttachment.objects.exists()


def test_the_team_opens_it_safely_and_the_opening_is_audited(
    client: Client,
    patient: User,
    practice: Practice,
    availability: PracticeAvailability,
    treating_clinician: User,
) -> None:
    client.force_login(patient)
    send(
        client,
        patient,
        practice,
        SimpleUploadedFile("bras.jpg", photo_with_location(), "image/jpeg"),
    )
    attachment = RequestAttachment.objects.get()
    client.force_login(treating_clinician)

    response = client.get(reverse("consultations:attachment", args=[attachment.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="consultations.attachment_opened", actor=treating_clinician
    ).exists()


def test_an_outsider_gets_404_on_an_attachment(
    client: Client,
    patient: User,
    practice: Practice,
    availability: PracticeAvailability,
    other_clinician: User,
) -> None:
    client.force_login(patient)
    send(
        client,
        patient,
        practice,
        SimpleUploadedFile("bras.jpg", photo_with_location(), "image/jpeg"),
    )
    attachment = RequestAttachment.objects.get()

    for outsider in (other_clinician, PatientFactory()):
        client.force_login(outsider)
        assert (
            client.get(reverse("consultations:attachment", args=[attachment.public_id])).status_code
            == 404
        )


def test_files_left_by_a_rolled_back_request_are_swept_after_a_day(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from maillage.consultations.services import sweep_orphan_attachments

    client.force_login(patient)
    send(
        client,
        patient,
        practice,
        SimpleUploadedFile("bras.jpg", photo_with_location(), "image/jpeg"),
    )
    kept = RequestAttachment.objects.get()
    storage = kept.file.storage
    orphan = storage.save("requests/lost/0123.jpg", ContentFile(b"\xff\xd8\xff"))

    assert sweep_orphan_attachments() == 0  # too young: its transaction may still be running
    removed = sweep_orphan_attachments(now=timezone.now() + timedelta(days=2))

    # earlier tests' rolled-back requests left files too: exactly the situation being cleaned
    assert removed >= 1
    assert not storage.exists(orphan)
    assert storage.exists(kept.file.name)
