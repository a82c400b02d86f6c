"""Rows as FHIR R4 resources (JSON dicts), validated in the tests with fhir.resources' R4B models.

Patient, Practitioner and DocumentReference come from `records.fhir` (the export's shapes), so
the API and the "download my record" ZIP agree. No access decision is taken here.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from maillage.accounts.models import DOCTOR_ROLES, Role, User
from maillage.accounts.specialties import Specialty
from maillage.audit.models import AuditEvent
from maillage.directory.models import Practice, PracticeMembership
from maillage.records import fhir
from maillage.records.labels import action_label
from maillage.records.models import RecordEntry
from maillage.records.selectors import BASIS_LABELS
from maillage.teleconsultation.models import Appointment, ConsentRecord, ConsultationReport
from maillage.triage.assessment import describe_answers
from maillage.triage.models import SelfAssessment
from maillage.triage.services import UnknownTemplate, template_of

Resource = dict[str, Any]

LOINC = fhir.LOINC
FINESS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_ACTION_SYSTEM = "urn:maillage:audit-action"
ENCOUNTER_STATUS: dict[str, str] = {
    Appointment.Status.BOOKED: "planned",
    Appointment.Status.IN_PROGRESS: "in-progress",
    Appointment.Status.COMPLETED: "finished",
    Appointment.Status.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Links:
    """Absolute URLs of this server's FHIR base, for attachments."""

    base: str  # ends with "/"

    def of(self, resource_type: str, resource_id: str) -> str:
        return f"{self.base}{resource_type}/{resource_id}"


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _meta(updated_at: datetime | None) -> dict[str, str]:
    return {"lastUpdated": _instant(updated_at)} if updated_at is not None else {}


def _ref(resource_type: str, public_id: object) -> dict[str, str]:
    return {"reference": f"{resource_type}/{public_id}"}


def _person_ref(user: User, patient: User) -> dict[str, str]:
    """A Practitioner or the Patient; anyone else (a proxy) by name only."""
    if user.role in DOCTOR_ROLES:
        return _ref("Practitioner", user.public_id)
    if user.pk == patient.pk:
        return _ref("Patient", patient.public_id)
    return {"display": user.get_full_name()}


def _narrative(text: str) -> dict[str, str]:
    lines = "<br/>".join(escape(line) for line in text.splitlines()) or escape(text)
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{lines or "-"}</div>',
    }


def patient(user: User, links: Links) -> Resource:
    resource = fhir.patient_resource(user)
    resource["active"] = user.is_active
    return resource


def practitioner(user: User, links: Links) -> Resource:
    resource = fhir.practitioner_resource(user)
    resource["active"] = user.is_active
    return resource


def organization(practice: Practice, links: Links) -> Resource:
    resource: Resource = {
        "resourceType": "Organization",
        "id": str(practice.public_id),
        "meta": _meta(practice.updated_at),
        "active": True,
        "type": [{"text": practice.get_kind_display()}],
        "name": practice.name,
        "address": [
            {
                "line": [practice.address],
                "postalCode": practice.postcode,
                "city": practice.commune.name,
                "country": "FR",
            }
        ],
    }
    if practice.finess:
        resource["identifier"] = [{"system": FINESS_SYSTEM, "value": practice.finess}]
    if practice.phone:
        resource["telecom"] = [{"system": "phone", "value": practice.phone, "use": "work"}]
    return resource


def practitioner_role(membership: PracticeMembership, links: Links) -> Resource:
    period: dict[str, str] = {"start": _instant(membership.started_at)}
    if membership.ended_at is not None:
        period["end"] = _instant(membership.ended_at)
    resource: Resource = {
        "resourceType": "PractitionerRole",
        "id": str(membership.pk),
        "active": membership.ended_at is None,
        "period": period,
        "practitioner": _ref("Practitioner", membership.user.public_id),
        "organization": _ref("Organization", membership.practice.public_id),
        "code": [{"text": str(Role(membership.user.role).label)}],
    }
    professional = getattr(membership.user, "professional", None)
    if professional is not None:
        resource["specialty"] = [{"text": str(Specialty(professional.specialty).label)}]
    return resource


def encounter(appointment: Appointment, links: Links) -> Resource:
    video = appointment.mode == Appointment.Mode.VIDEO
    return {
        "resourceType": "Encounter",
        "id": str(appointment.public_id),
        "meta": _meta(appointment.updated_at),
        "status": ENCOUNTER_STATUS.get(appointment.status, "unknown"),
        "class": {
            "system": ACT_CODE,
            "code": "VR" if video else "AMB",
            "display": "virtual" if video else "ambulatory",
        },
        "subject": _ref("Patient", appointment.patient.public_id),
        "participant": [{"individual": _ref("Practitioner", appointment.doctor.public_id)}],
        "period": {"start": _instant(appointment.starts_at), "end": _instant(appointment.ends_at)},
        "reasonCode": [{"text": appointment.get_motive_display()}],
        "serviceProvider": _ref("Organization", appointment.practice.public_id),
    }


def composition(report: ConsultationReport, links: Links) -> Resource:
    appointment = report.appointment
    sections = [(_("Compte rendu"), report.report_text)]
    if report.prescriptions:
        sections.append((_("Prescriptions"), report.prescriptions))
    if report.incidents:
        sections.append((_("Incidents techniques"), report.incidents))
    return {
        "resourceType": "Composition",
        "id": str(report.public_id),
        "meta": _meta(report.updated_at),
        "status": "final",
        "type": {
            "coding": [{"system": LOINC, "code": "11488-4", "display": "Consult note"}],
            "text": _("Compte rendu de téléconsultation"),
        },
        "subject": _ref("Patient", appointment.patient.public_id),
        "encounter": _ref("Encounter", appointment.public_id),
        "date": _instant(report.ended_at),
        "author": [_ref("Practitioner", report.author.public_id)],
        "title": _("Compte rendu de téléconsultation"),
        "section": [{"title": title, "text": _narrative(text)} for title, text in sections],
    }


def document_reference(entry: RecordEntry, links: Links) -> Resource:
    resource = fhir.document_reference(
        entry, file_path=links.of("Binary", str(entry.public_id)) if entry.file else ""
    )
    resource["meta"] = _meta(entry.updated_at)
    return resource


def binary(entry: RecordEntry, links: Links) -> Resource:
    with entry.file.open("rb") as handle:
        data = handle.read()
    return {
        "resourceType": "Binary",
        "id": str(entry.public_id),
        "meta": _meta(entry.updated_at),
        "contentType": entry.content_type or "application/octet-stream",
        "securityContext": _ref("DocumentReference", entry.public_id),
        "data": base64.b64encode(data).decode(),
    }


def medication_request(entry: RecordEntry, links: Links) -> Resource:
    """A prescription as written: free text, no coded medication (none is coded upstream)."""
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "id": str(entry.public_id),
        "meta": _meta(entry.updated_at),
        # The platform does not follow a prescription's life after it is written.
        "status": "unknown",
        "intent": "order",
        "medicationCodeableConcept": {"text": entry.body or entry.title},
        "subject": _ref("Patient", entry.patient.public_id),
        "authoredOn": _instant(entry.occurred_at),
        "supportingInformation": [_ref("DocumentReference", entry.public_id)],
    }
    if entry.author is not None and entry.author.role in DOCTOR_ROLES:
        resource["requester"] = _ref("Practitioner", entry.author.public_id)
    return resource


def questionnaire_response(assessment: SelfAssessment, links: Links) -> Resource:
    items: list[Resource] = []
    try:
        answers = describe_answers(template_of(assessment), assessment.answers)
    except UnknownTemplate:  # a template retired since: the answers stay in the record entry
        answers = []
    for index, (question, answer) in enumerate(answers, start=1):
        items.append(
            {"linkId": str(index), "text": str(question), "answer": [{"valueString": answer}]}
        )
    if assessment.outcome:
        items.append(
            {
                "linkId": "outcome",
                "text": _("Résultat"),
                "answer": [{"valueString": assessment.get_outcome_display()}],
            }
        )
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(assessment.public_id),
        "meta": _meta(assessment.updated_at),
        "questionnaire": (
            f"urn:maillage:questionnaire:{assessment.template}|{assessment.template_version}"
        ),
        "status": "completed",
        "subject": _ref("Patient", assessment.patient.public_id),
        "author": _person_ref(assessment.started_by, assessment.patient),
    }
    if assessment.completed_at is not None:
        resource["authored"] = _instant(assessment.completed_at)
    if items:
        resource["item"] = items
    return resource


def consent(record: ConsentRecord, links: Links) -> Resource:
    return {
        "resourceType": "Consent",
        "id": str(record.public_id),
        "meta": _meta(record.updated_at),
        "status": "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment",
                }
            ]
        },
        "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
        "patient": _ref("Patient", record.patient.public_id),
        "dateTime": _instant(record.given_at),
        "performer": [_person_ref(record.given_by, record.patient)],
        # The text agreed to is proven by its version and digest.
        "identifier": [{"system": "urn:maillage:consent-text-sha256", "value": record.text_digest}],
        "policyRule": {
            "text": _("Consentement à la téléconsultation (L.1111-4 CSP), texte %(version)s")
            % {"version": record.text_version}
        },
    }


def _reads(action: str) -> bool:
    return action.endswith(("_viewed", "_opened", "_downloaded")) or ".fhir_" in action


def audit_event(event: AuditEvent, links: Links) -> Resource:
    actor = event.actor
    if actor is None:
        agent: Resource = {"who": {"display": "Maillage"}, "requestor": False}
    else:
        who = (
            _person_ref(actor, event.patient)
            if event.patient is not None
            else {"display": actor.display_name}
        )
        if "reference" not in who:
            who = {"display": actor.display_name}
        agent = {"who": who, "requestor": True, "role": [{"text": actor.get_role_display()}]}
    resource: Resource = {
        "resourceType": "AuditEvent",
        "id": str(event.pk),
        "type": {"system": DICOM, "code": "110110", "display": "Patient Record"},
        "subtype": [
            {
                "system": AUDIT_ACTION_SYSTEM,
                "code": event.action,
                "display": action_label(event.action),
            }
        ],
        "action": "R" if _reads(event.action) else "E",
        "recorded": _instant(event.occurred_at),
        "agent": [agent],
        "source": {"observer": {"display": "Maillage"}},
    }
    if event.patient is not None:
        resource["entity"] = [{"what": _ref("Patient", event.patient.public_id)}]
    why: Mapping[str, object] = BASIS_LABELS
    if event.reason:
        resource["purposeOfEvent"] = [{"text": str(why.get(event.reason, event.reason))}]
    return resource
