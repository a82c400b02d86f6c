"""schemathesis fuzzes the JSON endpoints of /api/openapi.json in-process (WSGI): never a 5xx.

The document is loaded from the running application, so what is served is what is fuzzed.
Upload cases run twice: anonymous (random calls: 403 or 404), and as the patient of a real
call with a session and a CSRF token, so that generated files reach the upload checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from maillage.accounts.models import User
from maillage.fhir_api.openapi import openapi_document
from maillage.teleconsultation.tests.call_helpers import make_video_appointment

pytestmark = pytest.mark.django_db


class InProcessApp:
    """Django's WSGI application, minus the end-of-request closing of the connection.

    Every test runs inside one transaction on one connection (as Django's test Client does,
    for the same reason): the handler would otherwise close it after the first response.
    """

    def __init__(self) -> None:
        self.handler = get_wsgi_application()
        # Set by a test to sign its requests in (cookie and CSRF header), like a browser.
        self.signed_in: dict[str, str] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ.update(self.signed_in)
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


APP = InProcessApp()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_served_document_is_the_one_we_describe(client: Client) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json() == openapi_document()
    assert set(schema.raw_schema["paths"]) == {
        "/healthz",
        "/teleconsultation/{appointment_id}/appel/fichiers/",
    }


@schema.parametrize()
@FUZZ
def test_no_generated_request_gets_a_server_error(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def in_a_call(patient: User, treating_clinician: User) -> Iterator[str]:
    """The patient of a call about to start, signed in with a CSRF token; the call's id."""
    appointment = make_video_appointment(doctor=treating_clinician, patient=patient)
    browser = Client()
    browser.force_login(patient)
    secret = _get_new_csrf_string()
    session = browser.cookies["sessionid"].value
    APP.signed_in = {
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={secret}",
        "HTTP_X_CSRFTOKEN": secret,
    }
    yield str(appointment.public_id)
    APP.signed_in = {}


@schema.include(operation_id="shareCallFile").parametrize()
@FUZZ
def test_uploads_from_a_participant_never_get_a_server_error(case: Any, in_a_call: str) -> None:
    case.path_parameters["appointment_id"] = in_a_call

    response = case.call_and_validate(checks=CHECKS)

    # The session and the token are accepted: whatever is refused (a file, a method, a request
    # that does not accept JSON and is redirected), it is never the caller.
    assert response.status_code not in (403, 404), response.text
