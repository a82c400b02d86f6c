"""French counts its plurals from 2: "0 patient", "1 patient", "2 patients" (fr catalogue)."""

from __future__ import annotations

import pytest
from django.test import Client

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.directory.services import declare_treating_doctor


def declared_line(client: Client) -> str:
    body = client.get("/").content.decode()
    start = body.index('<p class="figure">')
    return " ".join(body[start : body.index("</p>", start)].split())


@pytest.mark.parametrize(
    ("patients", "expected"),
    [
        (0, "0</strong> patient vous a"),
        (1, "1</strong> patient vous a"),
        (2, "2</strong> patients vous ont"),
    ],
)
def test_the_count_of_declared_patients_agrees_in_french(
    client: Client, treating_clinician: User, patients: int, expected: str
) -> None:
    for _ in range(patients):
        person = PatientFactory()
        declare_treating_doctor(actor=person, patient=person, doctor=treating_clinician)
    client.force_login(treating_clinician)

    assert expected in declared_line(client)
