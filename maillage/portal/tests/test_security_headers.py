"""Every page sends a strict Content-Security-Policy and refuses to be framed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from maillage.accounts.models import Role
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/urgences/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/page-inconnue/",
]
SIGNED_IN_PAGES = [(Role.PATIENT, "/"), (Role.PATIENT, "/compte/"), (Role.GP, "/")]
SIGNED_IN_PAGES += [(Role.GP, "/notifications/"), (Role.OPERATOR, "/exploitation/audit/")]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _assert_strict(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    header = response.headers["Content-Security-Policy"]
    policy = _directives(header)
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response.content.decode()


def _inline_scripts(body: str) -> list[str]:
    """Executable <script> elements without src: they would need 'unsafe-inline' or a nonce.

    JSON data blocks (allauth's passkey form) are not executed, so the policy allows them.
    """
    tags = re.findall(r"<script\b[^>]*>", body)
    return [tag for tag in tags if " src=" not in tag and 'type="application/json"' not in tag]


def _inline_handlers(body: str) -> list[str]:
    return re.findall(r"<[^>]+\son[a-z]+=", body)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_send_a_strict_policy(client: Client, url: str) -> None:
    body = _assert_strict(client, url)

    assert _inline_scripts(body) == []
    assert _inline_handlers(body) == []


@pytest.mark.parametrize(("role", "url"), SIGNED_IN_PAGES)
def test_signed_in_pages_send_a_strict_policy(
    client: Client, sign_in_as: SignIn, role: str, url: str
) -> None:
    sign_in_as(role)

    body = _assert_strict(client, url)

    assert _inline_scripts(body) == []
    assert _inline_handlers(body) == []


def test_healthz_is_not_framed_either(client: Client) -> None:
    response = client.get("/healthz")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers


def test_the_oidc_provider_is_allowed_as_a_form_redirect_target() -> None:
    # given a deployment with Pro Santé Connect
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "OIDC_SERVER_URL": "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet",
        "OIDC_CLIENT_ID": "maillage",
    }
    # when the settings load
    out = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    # then the login POST may be redirected to the provider, and nowhere else
    assert "https://auth.esw.esante.gouv.fr" in out
    assert "'self'" in out
