"""Demo tele-expertise: an answered opinion (billed) and requests waiting for specialists."""

from __future__ import annotations

import uuid

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.directory.models import TreatingDoctorDeclaration
from maillage.expertise import services
from maillage.expertise.models import ExpertiseRequest


def seed_expertise(*, doctors: dict[str, User]) -> None:
    gp = doctors["Thiébaut"]
    patients = [
        declaration.patient
        for declaration in TreatingDoctorDeclaration.objects.filter(
            doctor=gp, ended_at__isnull=True
        ).select_related("patient")[:3]
    ]
    cases = [
        (
            Specialty.DERMATOLOGY,
            doctors["Henry"],
            "Lésion pigmentée du dos, 8 mm, asymétrique, apparue il y a 6 mois : exérèse ?",
            "Exérèse conseillée avec marges de 2 mm ; dermoscopie avant si possible.",
        ),
        (
            Specialty.CARDIOLOGY,
            None,
            "ECG : bloc de branche droit incomplet chez un patient asymptomatique de 58 ans. "
            "Faut-il une échographie ?",
            None,
        ),
        (
            Specialty.DERMATOLOGY,
            doctors["Henry"],
            "Eczéma des mains résistant aux dermocorticoïdes de classe forte depuis 3 mois.",
            None,
        ),
    ]
    for patient, (specialty, specialist, question, answer) in zip(patients, cases, strict=False):
        request = services.request_expertise(
            actor=gp,
            patient=patient,
            specialty=specialty,
            specialist=specialist,
            question=question,
            context="Patient suivi au cabinet de Lamarche.",
            consent=ExpertiseRequest.Consent.GIVEN,
            consent_note="",
            idempotency_key=uuid.uuid4(),
        )
        if answer and specialist is not None:
            services.answer_request(actor=specialist, request=request, body=answer)
