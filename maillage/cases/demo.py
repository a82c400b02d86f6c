"""Demo case discussions: a resolved case with answers and a poll, an open one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.cases import services
from maillage.cases.models import Case


def seed_cases(*, doctors: dict[str, User]) -> None:
    gp, other_gp = doctors["Thiébaut"], doctors["Lallemand"]
    cardiologist, dermatologist = doctors["Didier"], doctors["Henry"]
    resolved = services.start_case(
        actor=gp,
        title="Palpitations chez une femme de 34 ans",
        question="Holter ou avis cardiologique d'emblée ?",
        body=(
            "Mme Claire Bernard, 34 ans, joignable au 06 45 12 78 90, consulte pour des "
            "palpitations brèves depuis 3 semaines, sans malaise. ECG de repos normal, TSH "
            "1,8 mUI/L, ferritine 12 µg/L. Pas de traitement."
        ),
        specialties=[Specialty.CARDIOLOGY, Specialty.GENERAL_PRACTICE],
        poll_question="Quel premier examen ?",
        poll_options=["Holter ECG 24 h", "Échographie cardiaque", "Avis cardiologique d'emblée"],
        images=[],
        idempotency_key=uuid.uuid4(),
    )
    resolved = services.publish_case(
        actor=gp,
        case=resolved,
        title=resolved.title,
        question=resolved.question,
        body=resolved.body,
    )
    answer, _ = services.add_comment(
        actor=cardiologist,
        case=resolved,
        body=(
            "Holter ECG de 24 h d'abord ; corriger la carence martiale. Avis cardiologique si "
            "syncope, douleur thoracique ou anomalie au Holter."
        ),
    )
    services.add_comment(
        actor=other_gp, case=resolved, body="Même pratique chez nous, avec un **Holter** de 48 h."
    )
    services.vote(actor=other_gp, poll=resolved.poll, option=0)
    services.mark_helpful(actor=gp, comment=answer)
    services.resolve(actor=gp, case=resolved, best_comment=answer)
    published = resolved.published_at or timezone.now()
    Case.objects.filter(pk=resolved.pk).update(
        published_at=published - timedelta(hours=20),
        first_answer_at=published - timedelta(hours=19),
        resolved_at=published - timedelta(hours=2),
    )
    waiting = services.start_case(
        actor=other_gp,
        title="Lésion pigmentée évolutive",
        question="Surveillance ou exérèse ?",
        body="Patient de 62 ans, lésion du dos de 7 mm, bords irréguliers, apparue depuis 1 an.",
        specialties=[Specialty.DERMATOLOGY],
        poll_question="",
        poll_options=[],
        images=[],
        idempotency_key=uuid.uuid4(),
    )
    services.publish_case(
        actor=other_gp,
        case=waiting,
        title=waiting.title,
        question=waiting.question,
        body=waiting.body,
    )
    services.mark_answering(actor=dermatologist, case=waiting)
