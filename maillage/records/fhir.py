"""The record as FHIR R4 resources.

Built to the structure of R4 and validated with fhir.resources' R4B models, the closest release
the library ships (STACK-NOTES §6).
"""

from __future__ import annotations

import base64
from typing import Any

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.records.models import RecordEntry

# French OIDs: INS-NIR (ANS), RPPS (ANS).
NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
LOINC = "http://loinc.org"
GENDERS = {"F": "female", "M": "male", "I": "other"}
# LOINC document types by kind of entry (a generic note when nothing fits better).
DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    RecordEntry.Kind.TELECONSULTATION: ("11488-4", "Consult note"),
    RecordEntry.Kind.PRESCRIPTION: ("57833-6", "Prescription for medication"),
    RecordEntry.Kind.CERTIFICATE: ("11506-3", "Progress note"),
    RecordEntry.Kind.EXPERTISE: ("11488-4", "Consult note"),
    RecordEntry.Kind.QUESTIONNAIRE: ("74465-6", "Questionnaire response Document"),
}
GENERIC_NOTE = ("34109-9", "Note")


def patient_resource(patient: User) -> dict[str, Any]:
    profile = getattr(patient, "patient_profile", None)
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.public_id),
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
    }
    if profile is not None:
        resource["birthDate"] = profile.birth_date.isoformat()
        resource["gender"] = GENDERS.get(profile.sex, "unknown")
        if profile.nir:
            resource["identifier"] = [{"system": NIR_SYSTEM, "value": profile.nir}]
        if profile.commune_id:
            commune = profile.commune
            resource["address"] = [
                {"city": commune.name, "postalCode": commune.postcode, "country": "FR"}
            ]
    return resource


def practitioner_resource(doctor: User) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(doctor.public_id),
        "name": [{"family": doctor.last_name, "given": [doctor.first_name], "prefix": ["Dr"]}],
    }
    professional = getattr(doctor, "professional", None)
    if professional is not None:
        resource["identifier"] = [{"system": RPPS_SYSTEM, "value": professional.rpps}]
    return resource


def document_reference(entry: RecordEntry, *, file_path: str = "") -> dict[str, Any]:
    code, display = DOCUMENT_TYPES.get(str(entry.kind), GENERIC_NOTE)
    attachment: dict[str, Any] = {"title": entry.title}
    if file_path:
        attachment.update(contentType=entry.content_type, url=file_path)
    else:
        attachment.update(
            contentType="text/plain; charset=utf-8",
            data=base64.b64encode(entry.body.encode()).decode(),
        )
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": str(entry.public_id),
        "status": "current",
        "type": {
            "coding": [{"system": LOINC, "code": code, "display": display}],
            "text": entry.get_kind_display(),
        },
        "subject": {"reference": f"Patient/{entry.patient.public_id}"},
        "date": entry.occurred_at.isoformat(),
        "description": entry.title,
        "content": [{"attachment": attachment}],
    }
    author = entry.author
    if author is not None and author.role in DOCTOR_ROLES:
        resource["author"] = [{"reference": f"Practitioner/{author.public_id}"}]
    elif author is not None and author.pk == entry.patient_id:
        resource["author"] = [{"reference": f"Patient/{author.public_id}"}]
    return resource


def bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }
