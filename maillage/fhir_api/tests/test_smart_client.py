"""The SMART `fhirclient` library, a client we did not write, against our server.

fhirclient talks HTTP through a `requests.Session`. Rather than a live server (a thread, a
second connection, a flushed database between tests), the session gets a transport adapter
that hands each request to Django's test `Client`: the same middlewares, views and database
transaction as the other tests, and every byte fhirclient sends or parses is real.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from fhirclient import client as smart
from fhirclient.models.encounter import Encounter
from fhirclient.models.patient import Patient
from fhirclient.server import FHIRNotFoundException, FHIRPermissionDeniedException
from oauth2_provider.models import AccessToken, Application
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from maillage.accounts.models import User
from maillage.fhir_api.tests.conftest import REDIRECT_URI, Record, make_appointments, validate

pytestmark = pytest.mark.django_db

BASE = "http://testserver/fhir/"


class DjangoTestClientAdapter(BaseAdapter):
    """A requests transport that answers from Django's test client (no socket)."""

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.sent: list[str] = []

    def send(  # type: ignore[override]  # the transport options mean nothing without a socket
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        parts = urlsplit(request.url or "")
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        self.sent.append(path)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in ("content-length", "content-type", "host")
        }
        body = request.body or b""
        answer = self.client.generic(
            request.method or "GET",
            path,
            data=body.encode() if isinstance(body, str) else body,
            content_type=str(request.headers.get("Content-Type", "application/octet-stream")),
            headers=headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response._content = answer.getvalue()
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def smart_client(scope: str) -> tuple[smart.FHIRClient, DjangoTestClientAdapter]:
    app = smart.FHIRClient(
        settings={
            "app_id": "appli-de-suivi",
            "api_base": BASE,
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
        }
    )
    adapter = DjangoTestClientAdapter()
    app.server.session.mount("http://testserver/", adapter)
    return app, adapter


def authorize_in_browser(user: User, authorize_url: str) -> str:
    """What the user does in their browser: sign in, read the scopes, click « Autoriser »."""
    browser = Client()
    browser.force_login(user)
    parts = urlsplit(authorize_url)
    page = browser.get(parts.path, parse_qs(parts.query))
    assert page.status_code == 200
    assert "Appli de suivi" in page.content.decode()
    form = {key: values[0] for key, values in parse_qs(parts.query).items()}
    form["allow"] = "1"
    redirect = browser.post(parts.path, form)
    assert redirect.status_code == 302
    location: str = redirect["Location"]
    assert location.startswith(REDIRECT_URI)
    return location


def test_fhirclient_signs_in_with_pkce_reads_the_patient_and_searches_their_encounters(
    full_record: Record, patient: User, smart_app: Application
) -> None:
    # given: a SMART app asking for the patient's own record
    app, adapter = smart_client("patient/*.read")
    app.prepare()  # reads /fhir/metadata and finds our OAuth endpoints there
    authorize_url = app.authorize_url
    assert authorize_url is not None
    assert "code_challenge=" in authorize_url
    # when: the user authorises it and fhirclient exchanges the code (with its PKCE verifier)
    app.handle_callback(authorize_in_browser(patient, authorize_url))
    person = app.patient
    search = Encounter.where(struct={"patient": person.id})
    encounters = list(search.perform_resources_iter(app.server))
    # then
    assert app.ready
    token = AccessToken.objects.get(user=patient)
    # fhirclient adds `launch/patient` itself for a standalone launch.
    assert token.scope.split() == ["launch/patient", "patient/*.read"]
    assert isinstance(person, Patient)
    assert person.id == str(patient.public_id)
    assert person.name[0].family == patient.last_name
    assert [encounter.id for encounter in encounters] == [str(full_record.appointment.public_id)]
    assert encounters[0].status == "finished"
    assert adapter.sent[-1].startswith("/fhir/Encounter?patient=")


def test_fhirclient_follows_next_links_through_every_page(
    patient: User, treating_clinician: User, practice: Any, smart_app: Application
) -> None:
    # given
    made = make_appointments(treating_clinician, patient, practice, 23)
    app, adapter = smart_client("patient/*.read")
    app.prepare()
    app.handle_callback(authorize_in_browser(patient, app.authorize_url))
    # when
    search = Encounter.where(struct={"patient": str(patient.public_id), "_count": "10"})
    found = search.perform_resources_iter(app.server)
    ids = [encounter.id for encounter in found]
    # then: three pages, newest first, each once
    assert ids == [str(appointment.public_id) for appointment in made]
    assert sum(path.startswith("/fhir/Encounter?") for path in adapter.sent) == 3


def test_fhirclient_sees_403_for_an_unauthorised_type_and_404_for_an_outsider(
    full_record: Record, patient: User, other_clinician: User, smart_app: Application
) -> None:
    app, _adapter = smart_client("patient/Patient.read")
    app.prepare()
    app.handle_callback(authorize_in_browser(patient, app.authorize_url))
    with pytest.raises(FHIRPermissionDeniedException) as denied:
        list(
            Encounter.where(struct={"patient": str(patient.public_id)}).perform_resources_iter(
                app.server
            )
        )
    validate(denied.value.response.json())

    outsider, _adapter = smart_client("user/*.read")
    outsider.prepare()
    outsider.handle_callback(authorize_in_browser(other_clinician, outsider.authorize_url))
    with pytest.raises(FHIRNotFoundException):
        Patient.read(str(patient.public_id), outsider.server)
