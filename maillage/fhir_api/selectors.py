"""Reads behind the FHIR API, scoped to the token's user.

Who may see a record is decided by the records app only (`records.selectors.access_to_record`:
the patient, proxies, médecin traitant, care relationship, explicit grant) and masked entries
stay hidden from the masked professional. Every clinical resource here is either a record
entry or hangs from one (a report, a questionnaire), so it is visible exactly when its entry
is. A token's scope can only narrow this, never widen it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.audit.models import AuditEvent
from maillage.directory.models import Practice, PracticeMembership
from maillage.fhir_api.scopes import Context
from maillage.records.models import RecordEntry
from maillage.records.selectors import RecordAccess, access_to_record, entries_visible_to
from maillage.teleconsultation.models import Appointment, ConsentRecord, ConsultationReport
from maillage.triage.models import SelfAssessment

REPORT_SOURCE = "teleconsultation.consultationreport"
ASSESSMENT_SOURCE = "triage.selfassessment"


class PatientRequired(Exception):
    """A professional searches clinical data one patient at a time (`patient=`)."""


@dataclass(frozen=True)
class Visibility:
    """The records a request may reach, each with the records app's basis of access."""

    actor: User
    accesses: tuple[RecordAccess, ...]

    @property
    def patient_ids(self) -> list[int]:
        return [access.patient.pk for access in self.accesses]

    @property
    def as_professional(self) -> bool:
        return any(access.professional for access in self.accesses)

    @property
    def own_records(self) -> list[int]:
        """Records read as the patient or their proxy (the audit trail is theirs to read)."""
        return [access.patient.pk for access in self.accesses if not access.professional]


def visibility_for(*, actor: User, context: Context, patient_id: UUID | None) -> Visibility:
    """The records a request reaches: one named patient, or every person the actor acts for.

    Raises:
        Http404: when the actor may not read the named patient's record (or it does not
            exist), or reads it as a professional with a `patient/` scope.
        PatientRequired: a professional without `patient=` (their lists are in the pages).
    """
    if patient_id is not None:
        access = access_to_record(actor=actor, patient_id=patient_id)
        if context == "patient" and access.professional:
            raise Http404
        return Visibility(actor, (access,))
    people = list(list_patients_actor_acts_for(actor=actor))
    if not people and context == "user" and actor.role in DOCTOR_ROLES:
        raise PatientRequired
    accesses = tuple(access_to_record(actor=actor, patient_id=p.public_id) for p in people)
    return Visibility(actor, accesses)


def visible_entries(visibility: Visibility) -> QuerySet[RecordEntry]:
    """The record entries the actor may see: `records.selectors.list_timeline`'s rule."""
    return entries_visible_to(
        actor=visibility.actor,
        patient_ids=visibility.patient_ids,
        as_professional=visibility.as_professional,
    )


def patients(visibility: Visibility) -> QuerySet[User]:
    return User.objects.filter(pk__in=visibility.patient_ids).select_related(
        "patient_profile__commune"
    )


def documents(visibility: Visibility) -> QuerySet[RecordEntry]:
    return visible_entries(visibility).select_related("patient", "author")


def binaries(visibility: Visibility) -> QuerySet[RecordEntry]:
    return visible_entries(visibility).exclude(file="").select_related("patient")


def prescriptions(visibility: Visibility) -> QuerySet[RecordEntry]:
    return (
        visible_entries(visibility)
        .filter(kind=RecordEntry.Kind.PRESCRIPTION)
        .select_related("patient", "author")
    )


def _visible_reports(visibility: Visibility) -> QuerySet[RecordEntry]:
    return visible_entries(visibility).filter(
        kind=RecordEntry.Kind.TELECONSULTATION, source_type=REPORT_SOURCE
    )


def reports(visibility: Visibility) -> QuerySet[ConsultationReport]:
    return ConsultationReport.objects.filter(
        public_id__in=_visible_reports(visibility).values("source_id")
    ).select_related("appointment__patient", "author")


def encounters(visibility: Visibility) -> QuerySet[Appointment]:
    """Appointments of the reachable records; one whose report is masked is masked too."""
    appointments = Appointment.objects.filter(patient_id__in=visibility.patient_ids)
    if visibility.as_professional:
        appointments = appointments.filter(
            Q(report__isnull=True)
            | Q(report__public_id__in=_visible_reports(visibility).values("source_id"))
        )
    return appointments.select_related("patient", "doctor", "practice", "report")


def questionnaire_responses(visibility: Visibility) -> QuerySet[SelfAssessment]:
    filed = visible_entries(visibility).filter(
        kind=RecordEntry.Kind.QUESTIONNAIRE, source_type=ASSESSMENT_SOURCE
    )
    return SelfAssessment.objects.filter(
        public_id__in=filed.values("source_id"), status=SelfAssessment.Status.COMPLETED
    ).select_related("patient", "started_by")


def consents(visibility: Visibility) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(patient_id__in=visibility.patient_ids).select_related(
        "patient", "given_by"
    )


def audit_events(visibility: Visibility) -> QuerySet[AuditEvent]:
    """Accesses to the patient's data ("who saw my record"): for the patient and proxies only."""
    return AuditEvent.objects.filter(patient_id__in=visibility.own_records).select_related(
        "actor", "patient"
    )


# The directory is not health data: any token that may read these types sees the same list.
def practitioners() -> QuerySet[User]:
    return User.objects.filter(
        role__in=DOCTOR_ROLES, is_active=True, professional__isnull=False
    ).select_related("professional")


def practitioner_roles() -> QuerySet[PracticeMembership]:
    return PracticeMembership.objects.filter(
        kind=PracticeMembership.Kind.DOCTOR,
        user__role__in=DOCTOR_ROLES,
        user__is_active=True,
        user__professional__isnull=False,
    ).select_related("user__professional", "practice")


def organizations() -> QuerySet[Practice]:
    return Practice.objects.select_related("commune")


def owner_of_entry(entry_id: UUID) -> UUID:
    """The patient an entry belongs to, so that the records app can say who may read it."""
    owner = RecordEntry.objects.filter(public_id=entry_id).values_list(
        "patient__public_id", flat=True
    )
    return _first(owner)


def owner_of_appointment(appointment_id: UUID) -> UUID:
    return _first(
        Appointment.objects.filter(public_id=appointment_id).values_list(
            "patient__public_id", flat=True
        )
    )


def owner_of_report(report_id: UUID) -> UUID:
    return _first(
        ConsultationReport.objects.filter(public_id=report_id).values_list(
            "appointment__patient__public_id", flat=True
        )
    )


def owner_of_assessment(assessment_id: UUID) -> UUID:
    return _first(
        SelfAssessment.objects.filter(public_id=assessment_id).values_list(
            "patient__public_id", flat=True
        )
    )


def owner_of_consent(consent_id: UUID) -> UUID:
    return _first(
        ConsentRecord.objects.filter(public_id=consent_id).values_list(
            "patient__public_id", flat=True
        )
    )


def owner_of_audit_event(event_id: int) -> UUID:
    return _first(
        AuditEvent.objects.filter(pk=event_id, patient__isnull=False).values_list(
            "patient__public_id", flat=True
        )
    )


def _first(values: QuerySet[Any, UUID]) -> UUID:
    found = values.first()
    if found is None:
        raise Http404
    return found
