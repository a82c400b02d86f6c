"""Helpers shared by the authentication tests."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from maillage.accounts import services
from maillage.accounts.models import Proxy, User
from maillage.accounts.tests.factories import PASSWORD, TOTP_SECRET


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    """Return the code an authenticator app shows now for `secret`."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    code: str = format_hotp_value(hotp_value(secret, counter))
    return code


def post_password(client: Client, email: str, password: str = PASSWORD) -> int:
    """Post the login form; return the status code."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code


def logged_in_user_id(client: Client) -> str | None:
    value = client.session.get("_auth_user_id")
    return str(value) if value is not None else None


def make_carer_proxy(patient: User, carer: User, consent: str = "J'autorise.") -> Proxy:
    """Set up a carer through the real path: the patient invites, the carer accepts."""
    invitation = services.invite_carer(actor=patient, email=carer.email, consent_statement=consent)
    return services.accept_carer_invitation(actor=carer, invitation=invitation)
