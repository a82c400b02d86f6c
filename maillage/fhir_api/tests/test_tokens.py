from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import Application

from maillage.accounts.models import User
from maillage.fhir_api.tests.conftest import REDIRECT_URI, Api, token_for, validate

pytestmark = pytest.mark.django_db

VERIFIER = "a-long-enough-pkce-code-verifier-of-forty-three-chars-or-more-0123"


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _authorize(user: User, **extra: str) -> Any:
    browser = Client()
    browser.force_login(user)
    form = {
        "client_id": "appli-de-suivi",
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": "launch/patient patient/*.read",
        "state": "xyz",
        "allow": "1",
        **extra,
    }
    return browser.post("/oauth/authorize/", form)


def _assert_401(response: Any) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    validate(response.json())


def test_no_token_or_an_unknown_one_is_401(patient: User, smart_app: Application) -> None:
    _assert_401(Api(None).get("Patient"))
    _assert_401(Api("not-a-token").get("Patient"))
    # A session is not a token: a signed-in browser gets nothing from the API.
    browser = Client()
    browser.force_login(patient)
    _assert_401(browser.get("/fhir/Patient"))


def test_an_expired_token_or_a_deactivated_user_is_401(
    patient: User, smart_app: Application
) -> None:
    expired = Api(token_for(patient, "patient/*.read", smart_app, expires_in=-1))
    live = Api(token_for(patient, "patient/*.read", smart_app))
    assert live.get("Patient").status_code == 200

    patient.is_active = False
    patient.save(update_fields=["is_active"])

    _assert_401(expired.get("Patient"))
    _assert_401(live.get("Patient"))


def test_the_authorization_code_flow_requires_pkce(patient: User, smart_app: Application) -> None:
    without = _authorize(patient)
    assert "code=" not in without.get("Location", "")

    with_pkce = _authorize(
        patient, code_challenge=_challenge(VERIFIER), code_challenge_method="S256"
    )
    location = with_pkce["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    token_request = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": "appli-de-suivi",
    }
    wrong = Client().post("/oauth/token/", {**token_request, "code_verifier": "x" * 50})
    assert wrong.status_code == 400
    # An intercepted code is useless without the verifier that only the app holds.
    right = Client().post("/oauth/token/", {**token_request, "code_verifier": VERIFIER})
    assert right.status_code == 200, right.content
    body = right.json()
    assert body["patient"] == str(patient.public_id)
    assert set(body["scope"].split()) == {"launch/patient", "patient/*.read"}
    assert Api(body["access_token"]).get(f"Patient/{patient.public_id}").status_code == 200


def test_a_revoked_token_is_401(patient: User, smart_app: Application) -> None:
    raw = token_for(patient, "patient/*.read", smart_app)
    api = Api(raw)
    assert api.get("Patient").status_code == 200

    revoked = Client().post("/oauth/revoke/", {"token": raw, "client_id": "appli-de-suivi"})

    assert revoked.status_code == 200
    _assert_401(api.get("Patient"))


def test_unknown_scopes_are_not_granted(patient: User, smart_app: Application) -> None:
    response = _authorize(
        patient,
        scope="user/*.write",
        code_challenge=_challenge(VERIFIER),
        code_challenge_method="S256",
    )

    assert "code=" not in response.get("Location", "")
