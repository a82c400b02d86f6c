from __future__ import annotations

import pytest
from django.test import Client

from maillage.accounts.models import User


@pytest.mark.django_db
def test_a_signed_in_page_may_not_be_stored_by_any_cache(client: Client, patient: User) -> None:
    client.force_login(patient)

    cache_control = client.get("/compte/").headers["Cache-Control"]

    assert "no-store" in cache_control
    assert "private" in cache_control


@pytest.mark.django_db
def test_the_public_landing_page_stays_cacheable(client: Client) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
