"""Billed acts are created through the service, as in real life (STYLE §4)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.billing.models import BilledAct
from maillage.billing.parcours import ParcoursFacts, ParcoursVerdict, verdict
from maillage.billing.services import record_act

TREATING_DOCTOR_FACTS = ParcoursFacts(
    patient_age=40,
    doctor_is_treating_doctor=True,
    patient_has_treating_doctor=True,
    referred_by_treating_doctor=False,
    doctor_specialty=Specialty.GENERAL_PRACTICE,
    emergency=False,
    treating_doctor_unavailable=False,
    through_territorial_organisation=False,
    lives_in_care_facility=False,
    is_prisoner=False,
    video=True,
)


def treating_doctor_verdict() -> ParcoursVerdict:
    return verdict(TREATING_DOCTOR_FACTS)


def record_teleconsultation(
    *, doctor: User, patient: User, performed_at: datetime, **overrides: Any
) -> BilledAct:
    arguments: dict[str, Any] = {
        "actor": doctor,
        "doctor": doctor,
        "patient": patient,
        "code": "TCG",
        "performed_at": performed_at,
        "source_kind": BilledAct.SourceKind.TELECONSULTATION,
        "source_id": uuid.uuid4(),
        "video": True,
        "parcours": treating_doctor_verdict(),
        "counts_toward_cap": True,
    }
    arguments.update(overrides)
    return record_act(**arguments)
