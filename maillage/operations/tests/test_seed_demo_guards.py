"""When `seed_demo` builds nothing, and the demo built at night (each test builds its own)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.models import Commune


@pytest.mark.django_db
@override_settings(MAILLAGE_EMBEDDED=False)
def test_seed_demo_refuses_outside_the_embedded_mode() -> None:
    with pytest.raises(CommandError, match="embedded mode"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_does_nothing_when_accounts_exist() -> None:
    existing = PatientFactory()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert list(User.objects.all()) == [existing]
    assert not Commune.objects.exists()
    assert "already holds accounts" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "built_at",
    [
        datetime(2026, 12, 8, 1, 40, tzinfo=UTC),  # 02:40 in Paris
        datetime(2026, 12, 7, 22, 22, tzinfo=UTC),  # 23:22: 23:45 had no 15-minute slot
    ],
    ids=["02h40", "23h22"],
)
def test_a_demo_built_at_night_has_its_call_to_join_at_once(built_at: datetime) -> None:
    """Outside the GP's video hours the demo call is still minutes away, and can be joined."""
    from maillage.teleconsultation.models import Appointment
    from maillage.teleconsultation.selectors import call_access, free_slots, get_offer_of

    with time_machine.travel(built_at, tick=True):
        call_command("seed_demo", stdout=StringIO())
        gp = User.objects.get(email="claire.thiebaut@demo.maillage.test")
        mother = User.objects.get(email="camille.martin@demo.maillage.test")
        upcoming = Appointment.objects.get(patient=mother, status=Appointment.Status.BOOKED)

        assert timedelta(0) < upcoming.starts_at - timezone.now() <= timedelta(minutes=21)
        assert call_access(user=gp, session={}, appointment_id=upcoming.public_id)
        # The slot was opened for the call only: patients are offered the GP's real hours.
        offer = get_offer_of(doctor=gp)
        assert offer is not None
        assert {timezone.localtime(slot).hour for slot in free_slots(offer=offer)} <= set(
            range(8, 20)
        )
