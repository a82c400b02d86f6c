"""A database that cannot be reached gives a plain French 503 page, not the 500 page."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from maillage.core.exceptions import DomainError

handler400 = "maillage.portal.views.bad_request"
handler500 = "maillage.portal.views.server_error"


@login_not_required
def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@login_not_required
def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


@login_not_required
def wrapped(request: HttpRequest) -> HttpResponse:
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        raise DomainError("a service wrapped it") from error


@login_not_required
def bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("base-indisponible/", database_gone),
    path("connexion-fermee/", connection_closed),
    path("enveloppee/", wrapped),
    path("bogue/", bug),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/base-indisponible/", "/connexion-fermee/", "/enveloppee/"])
def test_a_database_failure_answers_503_in_plain_french_without_a_trace(url: str) -> None:
    client = Client(raise_request_exception=False)

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Service momentanément indisponible" in body
    assert "la page reviendra d'elle-même" in body
    assert 'href="tel:15"' in body
    assert "Traceback" not in body
    assert "127.0.0.1" not in body
    assert "connection" not in body.lower()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_still_gets_the_500_page() -> None:
    response = Client(raise_request_exception=False).get("/bogue/")

    assert response.status_code == 500
    assert "Un problème technique est survenu" in response.content.decode()


@login_not_required
def session_lost(request: HttpRequest) -> HttpResponse:
    # What SessionMiddleware raises when the session's UPDATE fails on a dead connection.
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError from None
    except UpdateError:
        raise SessionInterrupted("The request's session was deleted") from None


@login_not_required
def forged(request: HttpRequest) -> HttpResponse:
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("a forged header")


urlpatterns += [path("session-perdue/", session_lost), path("forge/", forged)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_session_lost_with_the_database_is_a_503_not_a_400() -> None:
    response = Client(raise_request_exception=False).get("/session-perdue/")

    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_suspicious_request_is_still_a_400() -> None:
    assert Client(raise_request_exception=False).get("/forge/").status_code == 400
