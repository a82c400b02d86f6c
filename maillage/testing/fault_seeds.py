"""Data for the fault tests, written in the private database by a subprocess (see faults.run_seed).

Each function takes and returns JSON-able values: the test process reads the private database
with plain SQL only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory


def _session_cookie(user: User) -> str:
    """A session cookie as a complete sign-in leaves it (patients have no second factor)."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def patient_and_doctors(*, doctors: int) -> dict[str, Any]:
    """A signed-in patient and `doctors` GPs who may be given access to the patient's record."""
    patient = PatientFactory(email="faults-patient@example.test")
    gps = [ProfessionalFactory(role=Role.GP) for _ in range(doctors)]
    return {
        "patient_id": patient.pk,
        "patient_public_id": str(patient.public_id),
        "cookie": _session_cookie(patient),
        "doctor_ids": [gp.pk for gp in gps],
    }


def notify_patient(*, email: str, count: int, prefix: str) -> dict[str, Any]:
    """Queue `count` notifications (e-mailed) for one patient, created on first use."""
    from maillage.notifications.services import notify

    patient = User.objects.filter(email=email).first() or PatientFactory(email=email)
    ids = [
        str(
            notify(
                recipient=patient, kind="faults.test", title=f"{prefix} {n}", by_email=True
            ).public_id
        )
        for n in range(count)
    ]
    return {"patient_id": patient.pk, "cookie": _session_cookie(patient), "notification_ids": ids}
