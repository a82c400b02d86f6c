from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.directory.models import Practice
from maillage.fhir_api.tests.conftest import Record, file_entry, ids_of, make_appointments
from maillage.records import selectors as records
from maillage.records import services as record_services
from maillage.records.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted_doctor(full_record: Record, patient: User, other_clinician: User) -> User:
    """A second doctor the patient let in, then hid the teleconsultation report from."""
    record_services.grant_access(actor=patient, patient=patient, professional=other_clinician)
    record_services.mask_entry(
        actor=patient, entry=full_record.report_entry, professional=other_clinician
    )
    return other_clinician


def test_a_masked_report_is_hidden_with_its_encounter_from_that_doctor_only(
    full_record: Record, patient: User, granted_doctor: User, treating_clinician: User, api_as: Any
) -> None:
    # given
    by_patient = {"patient": str(patient.public_id)}
    masked_api = api_as(granted_doctor)
    # when
    compositions = ids_of(masked_api.get("Composition", by_patient).json())
    encounters = ids_of(masked_api.get("Encounter", by_patient).json())
    documents = ids_of(masked_api.get("DocumentReference", by_patient).json())
    prescriptions = ids_of(masked_api.get("MedicationRequest", by_patient).json())
    # then
    assert compositions == []
    assert encounters == []
    assert str(full_record.report_entry.public_id) not in documents
    assert prescriptions == [str(full_record.prescription_entry.public_id)]
    for path in (
        f"Composition/{full_record.report.public_id}",
        f"Encounter/{full_record.appointment.public_id}",
        f"DocumentReference/{full_record.report_entry.public_id}",
        f"Binary/{full_record.report_entry.public_id}",
    ):
        assert masked_api.get(path).status_code == 404, path
    # The treating doctor (the author) and the patient still see it.
    for reader in (treating_clinician, patient):
        assert api_as(reader).get(f"Composition/{full_record.report.public_id}").status_code == 200


def test_documents_are_exactly_the_timeline_the_pages_show(
    full_record: Record, patient: User, granted_doctor: User, api_as: Any
) -> None:
    # given: a longer record than a page, one of its entries masked
    for day in range(8):
        file_entry(patient, occurred_at=timezone.now() - timedelta(days=day + 2))
    access = records.access_to_record(actor=granted_doctor, patient_id=patient.public_id)
    timeline = records.list_timeline(access=access, actor=granted_doctor)
    # when
    api = api_as(granted_doctor)
    documents = ids_of(
        api.get("DocumentReference", {"patient": str(patient.public_id), "_count": "100"}).json()
    )
    # then
    assert documents == [str(entry.public_id) for entry in timeline.entries]
    assert timeline.hidden_count == 1


def test_every_read_is_audited_with_the_basis_of_access_and_the_app(
    full_record: Record, patient: User, treating_clinician: User, api_as: Any
) -> None:
    api = api_as(treating_clinician)
    before = AuditEvent.objects.count()

    api.get("Encounter", {"patient": str(patient.public_id)})
    api.get(f"Composition/{full_record.report.public_id}")
    api.get(f"Patient/{patient.public_id}/$everything")
    api.get("Practitioner")  # the directory is not a record: not audited

    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [event.action for event in events] == [
        "records.fhir_search",
        "records.fhir_read",
        "records.fhir_everything",
    ]
    for event in events:
        assert event.actor == treating_clinician
        assert event.patient == patient
        assert event.reason == "treating_doctor"
        assert event.details["client_id"] == "appli-de-suivi"
    assert events[1].details["resource_id"] == str(full_record.report.public_id)
    # The patient sees these accesses in their audit trail, through the API too.
    seen = api_as(patient).get("AuditEvent", {"_count": "100"}).json()
    actions = [entry["resource"]["subtype"][0]["code"] for entry in seen["entry"]]
    assert {"records.fhir_search", "records.fhir_read", "records.fhir_everything"} <= set(actions)


def test_a_refused_read_leaves_no_trace_and_reveals_nothing(
    full_record: Record, patient: User, other_clinician: User, api_as: Any
) -> None:
    before = AuditEvent.objects.count()

    api_as(other_clinician).get(f"Composition/{full_record.report.public_id}")

    assert AuditEvent.objects.count() == before


def test_dates_and_last_updated_filter_with_fhir_prefixes(
    patient: User, treating_clinician: User, practice: Practice, api_as: Any
) -> None:
    # given: appointments 1, 2 and 3 days ago
    made = make_appointments(treating_clinician, patient, practice, 3)
    api = api_as(patient, "patient/*.read")
    two_days_ago = timezone.localdate(made[1].starts_at).isoformat()
    # when / then
    assert ids_of(api.get("Encounter", {"date": two_days_ago}).json()) == [str(made[1].public_id)]
    assert ids_of(api.get("Encounter", {"date": f"ge{two_days_ago}"}).json()) == [
        str(made[0].public_id),
        str(made[1].public_id),
    ]
    assert ids_of(api.get("Encounter", {"date": f"lt{two_days_ago}"}).json()) == [
        str(made[2].public_id)
    ]
    year = str(timezone.localdate().year + 1)
    assert ids_of(api.get("Encounter", {"date": f"ge{year}"}).json()) == []
    assert len(ids_of(api.get("Encounter", {"_lastUpdated": "ge2000-01"}).json())) == 3
    assert ids_of(api.get("Encounter", {"_lastUpdated": "lt2000"}).json()) == []


def test_pages_link_to_the_next_with_an_id_only(
    patient: User, treating_clinician: User, practice: Practice, api_as: Any
) -> None:
    made = make_appointments(treating_clinician, patient, practice, 25)
    api = api_as(patient, "patient/*.read")
    seen: list[str] = []
    url: str | None = "Encounter?_count=10"
    pages = 0
    while url is not None:
        bundle = api.get(url.split("/fhir/")[-1]).json()
        seen += ids_of(bundle)
        pages += 1
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = following[0] if following else None
        if url is not None:
            # Nothing but parameters the client chose and the id of the last resource.
            assert url.endswith(f"_cursor={seen[-1]}")
    assert pages == 3
    assert seen == [str(appointment.public_id) for appointment in made]


def test_a_record_entry_of_another_patient_never_joins_a_search(
    full_record: Record, patient: User, api_as: Any
) -> None:
    other = file_entry(PatientFactory(), kind=RecordEntry.Kind.MESSAGE)

    documents = ids_of(api_as(patient, "patient/*.read").get("DocumentReference").json())

    assert str(other.public_id) not in documents
