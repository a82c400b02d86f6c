"""Use cases on practices and the médecin traitant declaration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, Role, User
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

    The patient, their proxy (a parent for a child) or the doctor (who files it with the
    Assurance Maladie) may declare it, as may the doctor's practice staff.

    Raises:
        NotAllowed: when the actor is none of them nor practice staff of the doctor.
        NotADoctor: when `doctor` is not a doctor or `patient` is not a patient.
    """
    if doctor.role not in DOCTOR_ROLES or not patient.is_patient:
        raise NotADoctor
    staff_of_doctor = (
        actor.has_role(Role.STAFF)
        and PracticeMembership.objects.filter(
            user=actor,
            ended_at__isnull=True,
            practice__memberships__user=doctor,
            practice__memberships__ended_at__isnull=True,
        ).exists()
    )
    if (
        actor.pk != doctor.pk
        and not staff_of_doctor
        and not can_act_for(actor=actor, patient=patient)
    ):
        raise NotAllowed
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
