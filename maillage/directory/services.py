"""Use cases on practices and the médecin traitant declaration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration


class NotADoctor(DomainError):
    default_message = _("Seul un médecin peut être déclaré médecin traitant.")


@transaction.atomic
def declare_treating_doctor(
    *, actor: User, patient: User, doctor: User
) -> TreatingDoctorDeclaration:
    """Record `doctor` as the patient's médecin traitant, ending any previous declaration.

    Only the patient or their proxy (a parent for a child) may choose: a doctor or their staff
    declaring for a patient would let a practice take over someone else's care. The doctor's
    side (acceptance, filing with the Assurance Maladie) comes with the directory.

    Raises:
        NotAllowed: when the actor may not act for the patient.
        NotADoctor: when `doctor` is not a doctor or `patient` is not a patient.
    """
    if doctor.role not in DOCTOR_ROLES or not patient.is_patient:
        raise NotADoctor
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    # Lock the patient's row: two declarations at once must not both pass the check below.
    User.objects.select_for_update().filter(pk=patient.pk).first()
    current = (
        TreatingDoctorDeclaration.objects.select_for_update()
        .filter(patient=patient, ended_at__isnull=True)
        .first()
    )
    if current is not None and current.doctor_id == doctor.pk:
        return current
    if current is not None:
        current.ended_at = timezone.now()
        current.save(update_fields=["ended_at"])
    declaration = TreatingDoctorDeclaration.objects.create(
        patient=patient, doctor=doctor, declared_by=actor
    )
    log_event(
        actor=actor,
        action="directory.treating_doctor_declared",
        target=declaration,
        patient=patient,
    )
    return declaration


@transaction.atomic
def add_practice_member(
    *, actor: User | None, practice: Practice, user: User
) -> PracticeMembership:
    """Attach a doctor or a staff member to a practice."""
    kind = (
        PracticeMembership.Kind.DOCTOR
        if user.role in DOCTOR_ROLES
        else PracticeMembership.Kind.STAFF
    )
    membership, _created = PracticeMembership.objects.get_or_create(
        practice=practice, user=user, ended_at=None, defaults={"kind": kind}
    )
    log_event(
        actor=actor,
        action="directory.practice_member_added",
        target=practice,
        details={"member": str(user.public_id)},
    )
    return membership
