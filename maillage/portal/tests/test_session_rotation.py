"""The session key changes when a sign-in completes: a key planted before it is worth nothing.

The password step of a patient is `accounts/tests/test_login_by_email.py`; here, the second
factor of a professional (the key of the half-signed-in session changes once the code is
accepted). Pro Santé Connect is not covered here: its login ends in the same `perform_login`,
but driving allauth's social flow without the PSC server was not done (see docs/security.md).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import Role
from maillage.accounts.tests.factories import PASSWORD, ProfessionalFactory
from maillage.accounts.tests.helpers import current_totp_code, logged_in_user_id

pytestmark = pytest.mark.django_db


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_key_changes_at_the_password_step_and_again_at_the_second_factor() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key

    first = client.post(reverse("account_login"), {"login": doctor.email, "password": PASSWORD})
    assert first["Location"] == reverse("mfa_authenticate")
    half_signed_in = _key(client)
    second = client.post(first["Location"], {"code": current_totp_code()})

    assert second.status_code == 302
    assert logged_in_user_id(client) == str(doctor.pk)
    # The password step only stages the login (nobody is signed in yet); the key that ends up
    # signed in is a new one, unknown to whoever planted or saw the half-signed-in one.
    assert _key(client) not in (planted, half_signed_in)
