"""Searches cost a fixed number of queries, however many resources a page holds (no N+1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.accounts.models import User
from maillage.directory.models import Practice
from maillage.fhir_api.tests.conftest import entries_of, file_entry, make_appointments
from maillage.records.models import RecordEntry

pytestmark = pytest.mark.django_db

# Token (1), the record's basis of access (≤ 5), the page (1), the audit insert with its
# savepoint (≤ 3); a margin for the session-less middlewares.
MAX_QUERIES = 12


def _queries(api: Any, path: str, params: dict[str, str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured), len(entries_of(response.json()))


def test_an_encounter_search_of_25_costs_what_a_search_of_5_costs(
    patient: User,
    treating_clinician: User,
    practice: Practice,
    api_as: Any,
    django_assert_max_num_queries: Any,
) -> None:
    # given
    api = api_as(treating_clinician)
    params = {"patient": str(patient.public_id), "_count": "100"}
    make_appointments(treating_clinician, patient, practice, 5)
    small, five = _queries(api, "Encounter", params)
    make_appointments(treating_clinician, patient, practice, 20)
    # when
    with django_assert_max_num_queries(MAX_QUERIES):
        response = api.get("Encounter", params)
    large, twenty_five = _queries(api, "Encounter", params)
    # then
    assert (five, twenty_five) == (5, 25)
    assert len(entries_of(response.json())) == 25
    assert large == small


def test_document_and_prescription_searches_of_25_are_bounded(
    patient: User, treating_clinician: User, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    for day in range(25):
        file_entry(
            patient,
            kind=RecordEntry.Kind.PRESCRIPTION,
            author=treating_clinician,
            occurred_at=timezone.now() - timedelta(days=day),
        )
    api = api_as(treating_clinician)
    params = {"patient": str(patient.public_id), "_count": "25"}

    for resource_type in ("DocumentReference", "MedicationRequest"):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = api.get(resource_type, params)
        assert len(entries_of(response.json())) == 25


def test_everything_with_25_encounters_is_bounded(
    patient: User,
    treating_clinician: User,
    practice: Practice,
    api_as: Any,
    django_assert_max_num_queries: Any,
) -> None:
    make_appointments(treating_clinician, patient, practice, 25)
    api = api_as(patient, "patient/*.read")

    # One query per type gathered (7), the cited practitioners and practices (2), plus the above.
    with django_assert_max_num_queries(MAX_QUERIES + 9):
        response = api.get(f"Patient/{patient.public_id}/$everything")

    types = [resource["resourceType"] for resource in entries_of(response.json())]
    assert types.count("Encounter") == 25
    assert types.count("Practitioner") == 1
    assert types.count("Organization") == 1
