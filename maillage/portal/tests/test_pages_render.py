from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User


@pytest.mark.django_db
def test_landing_page_shows_the_emergency_numbers(client: Client) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for number in ("15", "112", "114", "3114", "116 117"):
        assert f"<strong>{number}</strong>" in body


def test_patient_home_names_the_treating_doctor(
    client: Client, patient: User, treating_clinician: User
) -> None:
    client.force_login(patient)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert treating_clinician.last_name in response.content.decode()
