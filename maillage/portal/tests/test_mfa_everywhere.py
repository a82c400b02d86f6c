"""No route lets a professional in without a second factor: every page, every method, every socket.

Generated from the URL configuration (`all_routes`) and the channels routing
(`config.routing.websocket_urlpatterns`): a page or a socket added tomorrow is covered. Two
kinds of session, for each professional role: an account without any second factor (sent to
the TOTP activation page), and an account with a TOTP whose session was opened with the
password alone (signed out, sent back to the sign-in page). Only the prefixes the middleware
documents (setting up the factor, leaving, the language switch, static files, the health
probe) answer otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.test.client import ClientMixin
from django.urls import URLPattern, reverse

from config.asgi import application
from config.routing import websocket_urlpatterns
from maillage.accounts.middleware import _ALLOWED_PREFIXES
from maillage.accounts.models import DOCTOR_ROLES, PROFESSIONAL_ROLES, Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, UserFactory
from maillage.accounts.tests.factories import with_totp as add_totp
from maillage.accounts.tests.helpers import logged_in_user_id
from maillage.notifications.tests.websocket import WebsocketCommunicator
from maillage.teleconsultation.tests.call_helpers import make_video_appointment
from maillage.testing.routes import all_routes

ACTIVATE_TOTP = "/accounts/2fa/totp/activate/"
ROLES = sorted(PROFESSIONAL_ROLES)
SAME_ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


def _professional(role: str, *, with_totp: bool) -> User:
    if role in DOCTOR_ROLES:
        return ProfessionalFactory(role=role, mfa=with_totp)
    member: User = UserFactory.create(role=role)
    return add_totp(member) if with_totp else member


def _password_only_client(user: User) -> Client:
    """A client signed in without the second factor (the real `force_login`, unpatched)."""
    client = Client()
    ClientMixin.force_login(client, user)
    return client


def _allowed(path: str) -> bool:
    return path.startswith(_ALLOWED_PREFIXES)


@pytest.mark.django_db
def test_the_allowed_prefixes_are_only_the_documented_ones() -> None:
    exempt = sorted(route.name for route in all_routes() if _allowed(route.sample_url))
    assert exempt == ["portal:healthz", "set_language"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_without_a_second_factor_every_route_leads_to_its_activation(role: str) -> None:
    client = _password_only_client(_professional(role, with_totp=False))
    leaks = []
    for route in all_routes():
        if _allowed(route.sample_url):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.sample_url)
            if response.status_code != 302 or response["Location"] != ACTIVATE_TOTP:
                leaks.append(f"{method.upper()} {route.name}: {response.status_code}")
    assert leaks == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_session_that_skipped_the_owned_totp_is_ended_on_every_route(role: str) -> None:
    user = _professional(role, with_totp=True)
    login = reverse("account_login")
    leaks = []
    for route in all_routes():
        if _allowed(route.sample_url):
            continue
        for method in ("get", "post"):
            client = _password_only_client(user)
            response = getattr(client, method)(route.sample_url)
            sent_to_login = response.status_code == 302 and response["Location"].startswith(login)
            if not sent_to_login or logged_in_user_id(client) is not None:
                leaks.append(f"{method.upper()} {route.name}: {response.status_code}")
    assert leaks == []


# Real objects for the sockets' URL arguments, by argument name; a socket whose argument is not
# here fails the sweep (add how to build one).
def _appointment_id(user: User) -> str:
    doctor = user if user.role in DOCTOR_ROLES else ProfessionalFactory()
    return str(make_video_appointment(doctor=doctor, patient=PatientFactory()).public_id)


SOCKET_ARGUMENTS = {"appointment_id": _appointment_id}


def _socket_paths(user: User) -> list[str]:
    paths = []
    for pattern in websocket_urlpatterns:
        assert isinstance(pattern, URLPattern)
        text = str(pattern.pattern)
        for name in getattr(pattern.pattern, "converters", {}):
            assert name in SOCKET_ARGUMENTS, f"add {name!r} to SOCKET_ARGUMENTS"
            text = text.split("<")[0] + SOCKET_ARGUMENTS[name](user) + text.split(">", 1)[1]
        paths.append("/" + text)
    return paths


@sync_to_async
def _setup(role: str, *, with_totp: bool, second_factor_used: bool) -> tuple[User, Any, list[str]]:
    user = _professional(role, with_totp=with_totp)
    client = Client()
    if second_factor_used:
        client.force_login(user)  # the suite's force_login records a TOTP step
    else:
        ClientMixin.force_login(client, user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return user, cookie, _socket_paths(user)


async def _accepted(path: str, cookie: bytes) -> bool:
    """Whether the socket let this session in (some sockets accept, then close with a code)."""
    communicator = WebsocketCommunicator(
        application, path, headers=[*SAME_ORIGIN, (b"cookie", cookie)]
    )
    accepted, _ = await communicator.connect()
    if not accepted:
        return False
    try:
        first = await communicator.receive_output(timeout=1)
    except TimeoutError:
        first = {"type": "websocket.send"}  # still open, saying nothing yet: let in
    if first["type"] == "websocket.close":
        return False
    await communicator.disconnect()
    return True


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("with_totp", [False, True], ids=["no-totp", "totp-unused"])
async def test_no_socket_opens_for_a_session_without_its_second_factor(
    role: str, with_totp: bool
) -> None:
    _, cookie, paths = await _setup(role, with_totp=with_totp, second_factor_used=False)
    assert len(paths) == len(websocket_urlpatterns) >= 2
    opened = [path for path in paths if await _accepted(path, cookie)]
    assert opened == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.GP, Role.STAFF])
async def test_the_same_sockets_open_once_the_session_used_its_second_factor(role: str) -> None:
    # The control: the refusals above come from the missing factor, not from the paths.
    _, cookie, paths = await _setup(role, with_totp=True, second_factor_used=True)
    opened = [path for path in paths if await _accepted(path, cookie)]
    expected = paths if role in DOCTOR_ROLES else [p for p in paths if "notifications" in p]
    assert opened == expected
