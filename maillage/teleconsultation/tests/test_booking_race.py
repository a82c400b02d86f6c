"""Two patients racing for the same slot on PostgreSQL: one appointment, one clear refusal."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.directory.models import Practice
from maillage.teleconsultation import services
from maillage.teleconsultation.models import Appointment
from maillage.teleconsultation.tests.builders import book, make_offer, next_slot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_patients_racing_for_one_slot_get_one_appointment(
    treating_clinician: User, practice: Practice
) -> None:
    offer = make_offer(treating_clinician, practice, accepts_new_patients=True)
    slot = next_slot(offer)
    people = [PatientFactory(), PatientFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(person: User) -> None:
        try:
            barrier.wait()
            book(offer, person, starts_at=slot, idempotency_key=uuid.uuid4())
            outcomes.append("booked")
        except services.SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "taken"]
    assert Appointment.objects.filter(starts_at=slot).count() == 1
