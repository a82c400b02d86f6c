"""hypothesis over the FHIR search parameters, and the per-token limit on FHIR reads.

The resource types and their search parameters come from the served CapabilityStatement, so a
type or a parameter added tomorrow is fuzzed without anyone adding it here. With a valid token
(the patient's, and the treating doctor's), any values: never a 5xx, and every refusal is an
OperationOutcome.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.accounts.models import User
from maillage.fhir_api.search import CURSOR, GENERAL
from maillage.fhir_api.tests.conftest import Record

pytestmark = pytest.mark.django_db

SEARCHES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _capabilities() -> dict[str, list[str]]:
    statement = Client().get("/fhir/metadata").json()
    return {
        resource["type"]: [param["name"] for param in resource.get("searchParam", [])]
        for resource in statement["rest"][0]["resource"]
    }


_DATE = st.dates().map(str)
VALUES = st.one_of(
    st.text(max_size=30),
    st.uuids().map(str),
    st.uuids().map(lambda value: f"Patient/{value}"),
    st.tuples(
        st.sampled_from(["", "eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap", "zz"]), _DATE
    ).map("".join),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.integers(min_value=-(10**9), max_value=10**9).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "2026", "2026-13", "2026-02-30", "json", "xml", "%00"]),
)


def _query(names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    every = sorted({*names, *GENERAL, CURSOR, "inconnu", "patient:missing"})
    return st.dictionaries(
        st.sampled_from(every), st.lists(VALUES, min_size=1, max_size=2), max_size=4
    )


def _check(response: Any, label: str) -> None:
    assert response.status_code < 500, label
    body = response.json()
    if response.status_code >= 400:
        assert body["resourceType"] == "OperationOutcome", label
        assert body["issue"][0]["diagnostics"], label
    else:
        assert body["resourceType"] == "Bundle", label


def test_the_capability_statement_lists_search_parameters() -> None:
    capabilities = _capabilities()
    assert "Patient" in capabilities
    assert any(capabilities.values())


@pytest.mark.parametrize("as_doctor", [False, True], ids=["patient", "treating-doctor"])
def test_no_search_parameter_gets_a_server_error(
    full_record: Record, patient: User, treating_clinician: User, api_as: Any, as_doctor: bool
) -> None:
    capabilities = _capabilities()
    api = (
        api_as(treating_clinician, "user/*.read")
        if as_doctor
        else api_as(patient, "patient/*.read")
    )
    searches = st.sampled_from(sorted(capabilities)).flatmap(
        lambda kind: st.tuples(st.just(kind), _query(capabilities[kind]))
    )

    @SEARCHES
    @given(search=searches)
    def check(search: tuple[str, dict[str, list[str]]]) -> None:
        kind, query = search
        if as_doctor and "patient" in capabilities[kind] and "patient" not in query:
            # A professional searches one record at a time: mostly ask about the patient's.
            query = {**query, "patient": [str(patient.public_id)]}
        _check(api.get(kind, query), f"{kind} {query}")

    check()


LIMITED = "3/m"


def test_reads_past_the_per_token_limit_get_429_as_an_operation_outcome(
    full_record: Record, patient: User, api_as: Any
) -> None:
    from django.conf import settings as django_settings

    rates = {**django_settings.RATE_LIMITS, "fhir_read": LIMITED}
    first, second = api_as(patient, "patient/*.read"), api_as(patient, "patient/*.read")
    # Frozen clock: the three reads and the fourth fall in the same counting window.
    with (
        override_settings(RATE_LIMITS=rates),
        time_machine.travel(datetime(2026, 6, 1, 10, 0, 5, tzinfo=UTC), tick=False),
    ):
        answers = [first.get("Encounter").status_code for _ in range(3)]
        refused = first.get(f"Patient/{patient.public_id}")
        other_token = second.get("Encounter")
        public = Client().get("/fhir/metadata")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert refused.json()["issue"][0]["code"] == "throttled"
    assert other_token.status_code == 200  # counted per token, not per person or address
    assert public.status_code == 200
