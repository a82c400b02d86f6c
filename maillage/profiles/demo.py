"""Demo profiles: every demo doctor with a practice publishes a sober profile, with consent."""

from __future__ import annotations

from collections.abc import Mapping

from maillage.accounts.models import User
from maillage.directory.models import Practice
from maillage.profiles import services

PRESENTATIONS = {
    "Thiébaut": (
        "Médecin généraliste à la maison de santé du Pays de Lamarche depuis 2012. Suivi des "
        "maladies chroniques, pédiatrie courante, gynécologie médicale, soins palliatifs à "
        "domicile en lien avec l'HAD. Maître de stage des internes de médecine générale."
    ),
    "Didier": (
        "Cardiologue. Consultations de cardiologie générale, échocardiographie, suivi de "
        "l'insuffisance cardiaque et des troubles du rythme. Avis par téléexpertise pour les "
        "médecins du territoire."
    ),
}


def seed_profiles(*, doctors: Mapping[str, User]) -> int:
    """Publish a profile for each demo doctor who practises somewhere; return how many."""
    published = 0
    for last_name, doctor in doctors.items():
        practice = Practice.objects.filter(
            memberships__user=doctor, memberships__ended_at__isnull=True
        ).first()
        if practice is None:
            continue
        version = services.save_version(
            actor=doctor,
            draft=services.ProfileDraft(
                presentation=PRESENTATIONS.get(
                    last_name,
                    "Consultations sur rendez-vous et demandes en ligne. Coordination avec "
                    "les autres professionnels de santé du territoire.",
                ),
                languages=["fr", "en"] if last_name in ("Didier", "Benali") else ["fr"],
                practice=practice,
                accepts_new_patients=last_name != "Thiébaut",
                accepts_treating=last_name not in ("Thiébaut", "Didier", "Henry"),
                fees="Consultation au tarif conventionnel.",
            ),
        )
        services.publish(
            actor=doctor,
            version=version,
            consent=True,
            justification="Profil de démonstration." if version.errors else "",
        )
        published += 1
    return published
