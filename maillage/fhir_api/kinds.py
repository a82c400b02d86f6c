"""The resource types the API serves: where their rows come from and which searches they take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from maillage.fhir_api import resources, selectors
from maillage.fhir_api.selectors import Visibility


@dataclass(frozen=True)
class Kind:
    name: str
    render: Callable[[Any, resources.Links], resources.Resource]
    # Clinical types live in a patient's record: rows for the records a request reaches.
    rows: Callable[[Visibility], QuerySet[Any]] | None = None
    # For a read: whose record holds the row (404 when it does not exist).
    owner: Callable[[Any], UUID] | None = None
    # Directory types (not health data): the same rows for every token that may read them.
    directory: Callable[[], QuerySet[Any]] | None = None
    # Rows without a public id (audit events, memberships) are named by their key.
    numeric_id: bool = False
    date_field: str | None = None
    updated_field: str | None = None

    @property
    def in_record(self) -> bool:
        return self.rows is not None

    @property
    def id_field(self) -> str:
        return "pk" if self.numeric_id else "public_id"

    @property
    def order_field(self) -> str | None:
        return self.date_field or self.updated_field

    @property
    def search_params(self) -> list[str]:
        params = ["_id"]
        if self.in_record and self.name != "Patient":
            params.append("patient")
        if self.date_field:
            params.append("date")
        if self.updated_field:
            params.append("_lastUpdated")
        return params


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("Patient", resources.patient, rows=selectors.patients),
        Kind("Practitioner", resources.practitioner, directory=selectors.practitioners),
        Kind(
            "PractitionerRole",
            resources.practitioner_role,
            directory=selectors.practitioner_roles,
            numeric_id=True,
        ),
        Kind(
            "Organization",
            resources.organization,
            directory=selectors.organizations,
            updated_field="updated_at",
        ),
        Kind(
            "Encounter",
            resources.encounter,
            rows=selectors.encounters,
            owner=selectors.owner_of_appointment,
            date_field="starts_at",
            updated_field="updated_at",
        ),
        Kind(
            "Composition",
            resources.composition,
            rows=selectors.reports,
            owner=selectors.owner_of_report,
            date_field="ended_at",
            updated_field="updated_at",
        ),
        Kind(
            "DocumentReference",
            resources.document_reference,
            rows=selectors.documents,
            owner=selectors.owner_of_entry,
            date_field="occurred_at",
            updated_field="updated_at",
        ),
        Kind(
            "Binary",
            resources.binary,
            rows=selectors.binaries,
            owner=selectors.owner_of_entry,
            updated_field="updated_at",
        ),
        Kind(
            "MedicationRequest",
            resources.medication_request,
            rows=selectors.prescriptions,
            owner=selectors.owner_of_entry,
            date_field="occurred_at",
            updated_field="updated_at",
        ),
        Kind(
            "QuestionnaireResponse",
            resources.questionnaire_response,
            rows=selectors.questionnaire_responses,
            owner=selectors.owner_of_assessment,
            date_field="completed_at",
            updated_field="updated_at",
        ),
        Kind(
            "Consent",
            resources.consent,
            rows=selectors.consents,
            owner=selectors.owner_of_consent,
            date_field="given_at",
            updated_field="updated_at",
        ),
        Kind(
            "AuditEvent",
            resources.audit_event,
            rows=selectors.audit_events,
            owner=selectors.owner_of_audit_event,
            numeric_id=True,
            # Append-only: an event is last updated when it is recorded.
            date_field="occurred_at",
            updated_field="occurred_at",
        ),
    )
}

# What Patient/<id>/$everything gathers, besides the patient and whom they reference.
EVERYTHING = (
    "Encounter",
    "Composition",
    "DocumentReference",
    "MedicationRequest",
    "QuestionnaireResponse",
    "Consent",
)
