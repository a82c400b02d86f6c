"""One e-mail digest of unread notifications for people away from Maillage."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.models import OutgoingEmail
from maillage.notifications.services import note_connected, notify, send_digests

pytestmark = pytest.mark.django_db


def tell(user: User, title: str = "Nouvelle réponse dans une discussion que vous suivez") -> None:
    with transaction.atomic():
        notify(recipient=user, kind="test.digest", title=title, by_email=False, digest=True)


def test_one_email_per_person_away_listing_what_happened_never_what_it_says(
    patient: User,
) -> None:
    back = PatientFactory()
    tell(patient)
    tell(patient, "Un nouveau cas attend l'avis de votre spécialité")
    tell(back)

    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        note_connected(user_id=back.pk)  # back in the app: sees them there
        assert send_digests() == 1
        assert send_digests() == 0, "each notification is in one digest only"

    email = OutgoingEmail.objects.get()
    assert email.to == [patient.email]
    assert "2 nouvelles notifications" in email.subject
    assert "Nouvelle réponse dans une discussion que vous suivez" in email.body
    assert "/notifications/" in email.body


def test_young_read_or_ordinary_notifications_are_not_digested(patient: User) -> None:
    tell(patient)
    assert send_digests() == 0, "too young: the person may still see it"
    with transaction.atomic():
        notify(recipient=patient, kind="test.mail", title="Votre médecin a répondu")
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        from maillage.notifications.models import Notification

        Notification.objects.filter(kind="test.digest").update(read_at=timezone.now())
        assert send_digests() == 0
    assert not OutgoingEmail.objects.filter(subject__contains="nouvelle").exists()
