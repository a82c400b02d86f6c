from __future__ import annotations

import base64
from typing import Any

import pytest

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.fhir_api.kinds import KINDS
from maillage.fhir_api.tests.conftest import Record, entries_of, ids_of, validate

pytestmark = pytest.mark.django_db


def _ids(record: Record, patient: User) -> dict[str, str]:
    return {
        "Patient": str(patient.public_id),
        "Encounter": str(record.appointment.public_id),
        "Composition": str(record.report.public_id),
        "DocumentReference": str(record.report_entry.public_id),
        "Binary": str(record.report_entry.public_id),
        "MedicationRequest": str(record.prescription_entry.public_id),
        "QuestionnaireResponse": str(record.assessment.public_id),
        "Consent": str(record.consent.public_id),
    }


def test_metadata_is_a_valid_capability_statement_without_a_token(client: Any) -> None:
    response = client.get("/fhir/metadata")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = response.json()
    validate(statement)
    served = [resource["type"] for resource in statement["rest"][0]["resource"]]
    assert served == list(KINDS)
    oauth = statement["rest"][0]["security"]["extension"][0]["extension"]
    assert {item["url"] for item in oauth} >= {"authorize", "token"}


def test_the_patient_reads_and_searches_every_type_and_all_of_it_is_valid_r4(
    full_record: Record, patient: User, api_as: Any
) -> None:
    api = api_as(patient, "patient/*.read")
    for resource_type, resource_id in _ids(full_record, patient).items():
        # when
        found = ids_of(api.get(resource_type).json())
        read = api.get(f"{resource_type}/{resource_id}", accept="application/fhir+json")
        # then
        assert resource_id in found, resource_type
        assert read.status_code == 200, resource_type
        assert validate(read.json()).id == resource_id
    # The audit trail of the record, with the reads just made.
    events = entries_of(api.get("AuditEvent").json())
    assert any(event["subtype"][0]["code"] == "records.fhir_read" for event in events)
    assert api.get(f"AuditEvent/{events[0]['id']}").status_code == 200


def test_directory_types_are_valid_and_list_the_doctor(
    full_record: Record, treating_clinician: User, patient: User, api_as: Any
) -> None:
    api = api_as(patient, "patient/*.read")

    practitioners = entries_of(api.get("Practitioner").json())
    roles = entries_of(api.get("PractitionerRole").json())
    organizations = entries_of(api.get("Organization").json())

    assert str(treating_clinician.public_id) in [p["id"] for p in practitioners]
    assert any(
        role["practitioner"]["reference"] == f"Practitioner/{treating_clinician.public_id}"
        for role in roles
    )
    assert str(full_record.appointment.practice.public_id) in [o["id"] for o in organizations]
    assert api.get(f"Practitioner/{treating_clinician.public_id}").status_code == 200


def test_binary_is_the_document_itself_unless_json_is_asked(
    full_record: Record, patient: User, api_as: Any
) -> None:
    api = api_as(patient, "patient/*.read")
    path = f"Binary/{full_record.report_entry.public_id}"

    raw = api.get(path)
    content = b"".join(raw.streaming_content)
    as_json = api.get(path, accept="application/fhir+json").json()

    assert raw["Content-Type"] == "application/pdf"
    assert raw["Content-Security-Policy"] == "sandbox"
    assert content.startswith(b"%PDF")
    assert base64.b64decode(as_json["data"]) == content


def test_an_outsider_gets_the_same_404_as_for_what_does_not_exist(
    full_record: Record, patient: User, other_clinician: User, staff: User, api_as: Any
) -> None:
    # given: a doctor without care relationship, practice staff, another patient
    outsiders = [other_clinician, staff, PatientFactory()]
    for outsider in outsiders:
        api = api_as(outsider, "user/*.read")
        for resource_type, resource_id in _ids(full_record, patient).items():
            # when
            read = api.get(f"{resource_type}/{resource_id}")
            missing = api.get(f"{resource_type}/00000000-0000-4000-8000-000000000000")
            # then
            assert read.status_code == 404, (outsider.role, resource_type)
            assert read.json() == missing.json()
            assert read.json()["resourceType"] == "OperationOutcome"
        assert api.get("Encounter", {"patient": str(patient.public_id)}).status_code == 404
        assert api.get("Patient", {"_id": str(patient.public_id)}).status_code == 404
        assert api.get(f"Patient/{patient.public_id}/$everything").status_code == 404


def test_the_treating_doctor_reads_the_record_but_not_its_audit_trail(
    full_record: Record, patient: User, treating_clinician: User, api_as: Any
) -> None:
    api = api_as(treating_clinician, "user/*.read")
    by_patient = {"patient": str(patient.public_id)}

    encounters = ids_of(api.get("Encounter", by_patient).json())
    audit = api.get("AuditEvent", by_patient)

    assert encounters == [str(full_record.appointment.public_id)]
    assert audit.status_code == 200
    assert entries_of(audit.json()) == []


def test_a_professional_searches_one_record_at_a_time(
    full_record: Record, treating_clinician: User, api_as: Any
) -> None:
    response = api_as(treating_clinician, "user/*.read").get("Encounter")

    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "required"


def test_a_patient_scope_never_opens_someone_elses_record(
    full_record: Record, patient: User, treating_clinician: User, api_as: Any
) -> None:
    api = api_as(treating_clinician, "patient/*.read")

    assert api.get(f"Patient/{patient.public_id}").status_code == 404
    assert api.get("Encounter", {"patient": str(patient.public_id)}).status_code == 404
    assert entries_of(api.get("Encounter").json()) == []


def test_a_proxy_reads_the_record_of_the_person_they_act_for(
    full_record: Record, patient: User, api_as: Any
) -> None:
    carer = PatientFactory()
    make_carer_proxy(patient=patient, carer=carer)
    api = api_as(carer, "patient/*.read")

    people = ids_of(api.get("Patient").json())
    encounters = ids_of(api.get("Encounter").json())

    assert sorted(people) == sorted([str(carer.public_id), str(patient.public_id)])
    assert encounters == [str(full_record.appointment.public_id)]


def test_a_scope_without_the_type_is_403(full_record: Record, patient: User, api_as: Any) -> None:
    api = api_as(patient, "patient/Patient.read launch/patient")

    assert api.get(f"Patient/{patient.public_id}").status_code == 200
    forbidden = api.get("Encounter")
    assert forbidden.status_code == 403
    assert forbidden.json()["issue"][0]["code"] == "forbidden"
    assert api.get(f"Encounter/{full_record.appointment.public_id}").status_code == 403
    # $everything returns only what the scope allows.
    everything = entries_of(api.get(f"Patient/{patient.public_id}/$everything").json())
    assert [resource["resourceType"] for resource in everything] == ["Patient"]


def test_a_token_that_reads_nothing_is_403(patient: User, api_as: Any) -> None:
    assert api_as(patient, "launch/patient").get("Patient").status_code == 403


def test_unknown_type_and_writes_are_refused_as_operation_outcomes(
    patient: User, api_as: Any
) -> None:
    api = api_as(patient)

    unknown = api.get("Observation")
    write = api.client.post("/fhir/Patient", {}, headers={"authorization": f"Bearer {api.token}"})
    nowhere = api.get("Patient/x/y/z")

    assert unknown.status_code == 404
    assert write.status_code == 405
    assert nowhere.status_code == 404
    for response in (unknown, write, nowhere):
        validate(response.json())


@pytest.mark.parametrize(
    ("resource_type", "params"),
    [
        ("Encounter", {"colour": "blue"}),
        ("Encounter", {"date": "yesterday"}),
        ("Encounter", {"date": "2026-13-01"}),
        ("Encounter", {"_lastUpdated": "gt2026-02-30"}),
        # In Paris, midnight of 1 January of year 1 is still year 0 in UTC (hypothesis found it).
        ("Encounter", {"_lastUpdated": "0001-01-01"}),
        ("Encounter", {"date": "ge0001"}),
        ("Encounter", {"date": "9999-12-31"}),
        ("Encounter", {"_count": "0"}),
        ("Encounter", {"_count": "ten"}),
        ("Encounter", {"_id": "not-a-uuid"}),
        ("Encounter", {"_cursor": "not-a-uuid"}),
        ("Encounter", {"_cursor": "00000000-0000-4000-8000-000000000000"}),
        ("Encounter", {"patient": "Patient/123"}),
        ("Patient", {"patient": "whatever"}),
        ("Practitioner", {"date": "2026"}),
    ],
)
def test_bad_search_parameters_are_400(
    patient: User, api_as: Any, resource_type: str, params: dict[str, str]
) -> None:
    response = api_as(patient).get(resource_type, params)

    assert response.status_code == 400
    validate(response.json())
