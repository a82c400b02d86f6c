"""Two identical requests at the same moment record one row and answer the other cleanly."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from maillage.accounts import services
from maillage.accounts.models import CarerInvitation, Proxy
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.exceptions import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(action: Callable[[], object]) -> list[str]:
    start = threading.Barrier(2)

    def run() -> str:
        start.wait()
        try:
            action()
        except DomainError:
            return "refused"
        finally:
            connection.close()
        return "done"

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(lambda _: run(), range(2)))


def test_a_double_submitted_invitation_creates_one() -> None:
    patient = PatientFactory()

    outcomes = twice_at_once(
        lambda: services.invite_carer(
            actor=patient, email="aidant@example.test", consent_statement="J'autorise."
        )
    )

    assert outcomes == ["done", "refused"]
    assert CarerInvitation.objects.filter(patient=patient).count() == 1


def test_a_double_submitted_acceptance_creates_one_proxy() -> None:
    patient = PatientFactory()
    carer = PatientFactory()
    invitation = services.invite_carer(
        actor=patient, email=carer.email, consent_statement="J'autorise."
    )

    outcomes = twice_at_once(
        lambda: services.accept_carer_invitation(actor=carer, invitation=invitation)
    )

    assert outcomes == ["done", "refused"]
    assert Proxy.objects.filter(patient=patient, proxy=carer).count() == 1
