"""Parcours de soins verdict for a teleconsultation (REGULATION.md §2.2, checklist B2).

There is deliberately no "patient seen in person in the last 12 months" rule: avenant 6
required it, avenant 9 removed it on 1 April 2022, and the Conseil d'État upheld the removal
(14 Oct 2022, n° 461412). Pages that still state it are out of date.

The territorial exception for patients in a Zone d'Intervention Prioritaire (Convention 2024,
art. 87) is not decided here: its exact conditions are a VERIFY point of REGULATION.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty

# Direct-access specialties (ameli.fr "Les organisations coordonnées territoriales", 2021;
# kit-esante.fr; larevuedupraticien.fr). Stomatologie has no key in our specialty list.
DIRECT_ACCESS_SPECIALTIES: frozenset[str] = frozenset(
    {
        Specialty.MEDICAL_GYNAECOLOGY,
        Specialty.OBSTETRICS,
        Specialty.OPHTHALMOLOGY,
        Specialty.ORAL_SURGERY,
        Specialty.MAXILLOFACIAL_SURGERY,
        Specialty.PSYCHIATRY,
        Specialty.CHILD_PSYCHIATRY,
        Specialty.PAEDIATRICS,
    }
)
# Direct access to psychiatry is limited to patients aged 16 to 25 in the general parcours
# rules; REGULATION.md marks it VERIFY, so older patients get "to check", not "outside".
PSYCHIATRY_SPECIALTIES: frozenset[str] = frozenset(
    {Specialty.PSYCHIATRY, Specialty.CHILD_PSYCHIATRY}
)
PSYCHIATRY_DIRECT_ACCESS_MAX_AGE = 25
PARCOURS_MIN_AGE = 16  # below it, no parcours condition


class ParcoursStatus(models.TextChoices):
    REIMBURSABLE = "reimbursable", _("remboursable")
    OUTSIDE = "outside", _("hors parcours")
    TO_CHECK = "to_check", _("à vérifier")


class ParcoursRule(StrEnum):
    NOT_VIDEO = "not_video"
    TREATING_DOCTOR = "treating_doctor"
    REFERRAL = "referral"
    UNDER_16 = "under_16"
    DIRECT_ACCESS = "direct_access"
    EMERGENCY = "emergency"
    NO_TREATING_DOCTOR_TERRITORIAL = "no_treating_doctor_territorial"
    CARE_FACILITY = "care_facility"
    PRISONER = "prisoner"
    OUTSIDE_PARCOURS = "outside_parcours"
    # Tele-expertise has no parcours condition: 100 % Assurance Maladie, tiers payant.
    TELEEXPERTISE = "teleexpertise"


@dataclass(frozen=True)
class ParcoursFacts:
    patient_age: int
    doctor_is_treating_doctor: bool
    patient_has_treating_doctor: bool
    referred_by_treating_doctor: bool
    doctor_specialty: str
    emergency: bool
    treating_doctor_unavailable: bool
    # The consulting doctor works in a CPTS, MSP, centre de santé or equivalent organisation.
    through_territorial_organisation: bool
    # EHPAD or facility for disabled adults.
    lives_in_care_facility: bool
    is_prisoner: bool
    video: bool


@dataclass(frozen=True)
class ParcoursVerdict:
    status: ParcoursStatus
    rule: ParcoursRule
    reason: Promise  # shown to the patient and the doctor


def verdict(facts: ParcoursFacts) -> ParcoursVerdict:
    """Say whether a teleconsultation is reimbursed within the parcours de soins, and why."""
    reimbursable = ParcoursStatus.REIMBURSABLE
    # Reimbursed teleconsultation is by video; phone-only ended with the health emergency.
    if not facts.video:
        return ParcoursVerdict(
            ParcoursStatus.OUTSIDE,
            ParcoursRule.NOT_VIDEO,
            _(
                "Une consultation sans vidéo n'est pas une téléconsultation remboursable : "
                "seule la vidéotransmission est prise en charge."
            ),
        )
    if facts.doctor_is_treating_doctor:
        return ParcoursVerdict(
            reimbursable, ParcoursRule.TREATING_DOCTOR, _("Le médecin est le médecin traitant.")
        )
    if facts.referred_by_treating_doctor:
        return ParcoursVerdict(
            reimbursable,
            ParcoursRule.REFERRAL,
            _("Le patient est adressé par son médecin traitant."),
        )
    if facts.patient_age < PARCOURS_MIN_AGE:
        return ParcoursVerdict(
            reimbursable,
            ParcoursRule.UNDER_16,
            _("Le patient a moins de 16 ans : le parcours de soins ne s'applique pas."),
        )
    psychiatry_over_age = (
        facts.doctor_specialty in PSYCHIATRY_SPECIALTIES
        and facts.patient_age > PSYCHIATRY_DIRECT_ACCESS_MAX_AGE
    )
    if facts.doctor_specialty in DIRECT_ACCESS_SPECIALTIES and not psychiatry_over_age:
        return ParcoursVerdict(
            reimbursable,
            ParcoursRule.DIRECT_ACCESS,
            _(
                "Cette spécialité est en accès direct : l'avis du médecin traitant n'est pas requis."
            ),
        )
    if facts.emergency:
        return ParcoursVerdict(
            reimbursable, ParcoursRule.EMERGENCY, _("Il s'agit d'une situation d'urgence.")
        )
    without_treating_doctor = (
        not facts.patient_has_treating_doctor or facts.treating_doctor_unavailable
    )
    if without_treating_doctor and facts.through_territorial_organisation:
        return ParcoursVerdict(
            reimbursable,
            ParcoursRule.NO_TREATING_DOCTOR_TERRITORIAL,
            _(
                "Le patient n'a pas de médecin traitant disponible et la téléconsultation passe "
                "par une organisation territoriale (CPTS, maison ou centre de santé)."
            ),
        )
    if facts.lives_in_care_facility:
        return ParcoursVerdict(
            reimbursable,
            ParcoursRule.CARE_FACILITY,
            _("Le patient réside en EHPAD ou en établissement pour adultes handicapés."),
        )
    if facts.is_prisoner:
        return ParcoursVerdict(reimbursable, ParcoursRule.PRISONER, _("Le patient est détenu."))
    # The uncertain cases come last: any sure exception above takes precedence.
    if psychiatry_over_age:
        return ParcoursVerdict(
            ParcoursStatus.TO_CHECK,
            ParcoursRule.DIRECT_ACCESS,
            _(
                "L'accès direct à la psychiatrie est réservé aux patients de 16 à 25 ans : "
                "au-delà, vérifiez que le patient est adressé par son médecin traitant."
            ),
        )
    if without_treating_doctor:
        return ParcoursVerdict(
            ParcoursStatus.TO_CHECK,
            ParcoursRule.NO_TREATING_DOCTOR_TERRITORIAL,
            _(
                "Sans médecin traitant disponible, la téléconsultation n'est remboursée que si "
                "elle passe par une organisation territoriale (CPTS, maison ou centre de santé) : "
                "à vérifier."
            ),
        )
    return ParcoursVerdict(
        ParcoursStatus.OUTSIDE,
        ParcoursRule.OUTSIDE_PARCOURS,
        _(
            "Hors parcours de soins : le patient n'est pas adressé par son médecin traitant et "
            "sera moins bien remboursé."
        ),
    )
