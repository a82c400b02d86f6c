"""The production topology across processes: two page workers (granian, WSGI), two websocket
workers (uvicorn, ASGI) and a task worker, one PostgreSQL and one Redis, as in deploy/.

Everyone signs in through a page worker with the real forms (a professional with TOTP) and takes
that session cookie to a websocket worker other than the one a peer is on. The data is
committed (transactional tests) so that the servers, which use `config.settings.base` and the
test database, see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD
from maillage.accounts.tests.helpers import current_totp_code
from maillage.consultations.models import PracticeAvailability
from maillage.directory.models import Practice
from maillage.notifications.models import Presence
from maillage.teleconsultation.tests.call_helpers import make_video_appointment
from maillage.testing.topology import (
    HOST,
    PageClient,
    Topology,
    collect_static,
    database_url,
    production_environ,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("settled"),
]

ICE = {"candidate": {"candidate": "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host"}}
OFFER = {"description": {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}}
ANSWER = {"description": {"type": "answer", "sdp": "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n"}}


class Ports:
    def __init__(self, pages: list[int], sockets: list[int]) -> None:
        self.pages, self.sockets = pages, sockets


@pytest.fixture(scope="module")
def topology(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Topology, Ports]]:
    """Two page workers, two websocket workers and a task worker on the test database."""
    work = tmp_path_factory.mktemp("topology")
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    environ = production_environ(
        database_url=url,
        redis_url=os.environ["REDIS_URL"],
        var_dir=work / "var",
        static_root=work / "static",
        secret_key=settings.SECRET_KEY,
    )
    collect_static(environ)
    with Topology(environ=environ, log_dir=work / "logs") as running:
        try:
            pages = [running.start_pages(), running.start_pages()]
            sockets = [running.start_sockets(), running.start_sockets()]
            running.start_tasks()
            yield running, Ports(pages, sockets)
        finally:
            print(running.logs())  # noqa: T201  # shown by pytest when a test failed


@pytest.fixture
def settled(transactional_db: None) -> Iterator[None]:
    """Let the servers finish what a closed socket makes them write before the tables are
    emptied: a TRUNCATE racing a disconnect's write is a deadlock."""
    yield
    quiet, deadline = 0, time.monotonic() + 60
    while quiet < 5:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            (busy,) = cursor.fetchone() or (0,)
        quiet = quiet + 1 if busy == 0 else 0
        if time.monotonic() > deadline:
            raise AssertionError("the servers were still writing 60 s after the test")
        time.sleep(0.1)


async def _leave(socket: ClientConnection) -> None:
    """Leave a call as the page does; the server logs the departure, then closes."""
    with contextlib.suppress(ConnectionClosed):  # already closed: a failure said why
        await socket.send(json.dumps({"type": "leave"}))
    await asyncio.wait_for(socket.wait_closed(), 30)


def _argon2(user: User) -> User:
    """The production hasher: the suite's settings hash with MD5, the servers do not read it."""
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def _totp_code() -> str:
    """The code of the authenticator app, not in the last seconds of its period: the server
    accepts only the current period's code, once."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.1)
    return current_totp_code()


def _signed_in(port: int, user: User) -> PageClient:
    browser = PageClient(port)
    _argon2(user)
    browser.sign_in(user.email, PASSWORD, _totp_code if user.requires_mfa else None)
    return browser


def _connections_of(user: User) -> int:
    presence = Presence.objects.filter(user=user).first()
    return presence.connections if presence is not None else 0


async def _open(port: int, path: str, browser: PageClient) -> ClientConnection:
    return await connect(
        f"ws://{HOST}:{port}{path}",
        origin=f"https://{HOST}",  # type: ignore[arg-type]  # websockets types it as Origin, a str NewType
        additional_headers={"Cookie": browser.cookie_header()},
        open_timeout=30,
    )


async def _receive(socket: ClientConnection, kind: str, timeout: float = 30) -> dict[str, Any]:
    """The next message of this type; others (pongs, presence) may come in between."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        raw = await asyncio.wait_for(socket.recv(), max(deadline - loop.time(), 0.01))
        message: dict[str, Any] = json.loads(raw)
        if message["type"] == kind:
            return message


def test_a_notification_made_on_page_worker_1_reaches_a_socket_on_websocket_worker_2(
    topology: tuple[Topology, Ports], patient: User, treating_clinician: User, practice: Practice
) -> None:
    # given the GP signed in through page worker 2, their page's socket on websocket worker 2
    _, ports = topology
    PracticeAvailability.objects.create(
        practice=practice,
        opening_hours={str(day): [["00:00", "23:59"]] for day in range(7)},
        daily_capacity=5,
        answer_within_working_hours=8,
    )
    doctor = _signed_in(ports.pages[1], treating_clinician)
    patient_browser = _signed_in(ports.pages[0], patient)

    async def scenario() -> None:
        socket = await _open(ports.sockets[1], "/ws/notifications/", doctor)
        try:
            assert await _receive(socket, "unread") == {"type": "unread", "count": 0}

            # when the patient sends an online request through page worker 1
            sent = await asyncio.to_thread(
                patient_browser.post,
                "/demandes/nouvelle/",
                {
                    "patient": str(patient.pk),
                    "practice": str(practice.pk),
                    "route": "renewal",
                    "subject": "Renouvellement",
                    "message": "Mon traitement se termine la semaine prochaine.",
                    "idempotency_key": str(uuid.uuid4()),
                },
            )
            assert sent.status == 302, sent.body[-2000:]

            # then the task worker delivers it, and the count reaches the GP's socket
            assert await _receive(socket, "unread") == {"type": "unread", "count": 1}
        finally:
            await socket.close()
        # the server counts the page as gone (a write, after the close)
        while await asyncio.to_thread(_connections_of, treating_clinician):
            await asyncio.sleep(0.1)

    asyncio.run(scenario())


def test_the_waiting_room_learns_on_worker_1_what_the_doctor_does_on_worker_2(
    topology: tuple[Topology, Ports], patient: User, treating_clinician: User
) -> None:
    # given a patient waiting for their video appointment on websocket worker 1
    _, ports = topology
    appointment = make_video_appointment(doctor=treating_clinician, patient=patient)
    path = f"/ws/teleconsultation/{appointment.public_id}/"
    patient_browser = _signed_in(ports.pages[0], patient)
    doctor_browser = _signed_in(ports.pages[1], treating_clinician)

    async def scenario() -> None:
        waiting = await _open(ports.sockets[0], path, patient_browser)
        doctor = None
        try:
            welcome = await _receive(waiting, "welcome")
            assert welcome["room"]["doctor_present"] is False

            # when the doctor opens the call on websocket worker 2
            doctor = await _open(ports.sockets[1], path, doctor_browser)
            doctor_welcome = await _receive(doctor, "welcome")

            # then the waiting room shows the doctor there
            joined = await _receive(waiting, "peer-joined")
            assert (joined["peer"], joined["role"]) == (doctor_welcome["peer"], "doctor")
            room = await _receive(waiting, "room")
            assert room["doctor_present"] is True

            # and a delay the doctor announces reaches it too
            await doctor.send(json.dumps({"type": "delay", "minutes": 10}))
            room = await _receive(waiting, "room")
            assert room == {"type": "room", "doctor_present": True, "announced_delay": 10}
        finally:
            await _leave(waiting)
            if doctor is not None:
                await _leave(doctor)

    asyncio.run(scenario())


def test_webrtc_signalling_crosses_between_the_two_websocket_workers(
    topology: tuple[Topology, Ports], patient: User, treating_clinician: User
) -> None:
    # given the doctor on websocket worker 1 and the patient on websocket worker 2
    _, ports = topology
    appointment = make_video_appointment(doctor=treating_clinician, patient=patient)
    path = f"/ws/teleconsultation/{appointment.public_id}/"
    doctor_browser = _signed_in(ports.pages[0], treating_clinician)
    patient_browser = _signed_in(ports.pages[1], patient)

    async def scenario() -> None:
        doctor = await _open(ports.sockets[0], path, doctor_browser)
        patient_socket = None
        try:
            doctor_peer = (await _receive(doctor, "welcome"))["peer"]
            patient_socket = await _open(ports.sockets[1], path, patient_browser)
            patient_welcome = await _receive(patient_socket, "welcome")
            patient_peer = patient_welcome["peer"]
            assert (await _receive(doctor, "peer-joined"))["peer"] == patient_peer
            # The doctor's answer to the newcomer's hello may come after the welcome.
            if [peer["peer"] for peer in patient_welcome["peers"]] != [doctor_peer]:
                assert (await _receive(patient_socket, "peer-joined"))["peer"] == doctor_peer

            async def relay(
                sender: ClientConnection, receiver: ClientConnection, to: str, data: Any
            ) -> None:
                await sender.send(json.dumps({"type": "signal", "to": to, "data": data}))
                received = await _receive(receiver, "signal")
                sender_peer = patient_peer if to == doctor_peer else doctor_peer
                assert received == {"type": "signal", "from": sender_peer, "data": data}

            # when the doctor offers, the patient answers and both send ICE candidates
            await relay(doctor, patient_socket, patient_peer, OFFER)
            await relay(patient_socket, doctor, doctor_peer, ANSWER)
            await relay(doctor, patient_socket, patient_peer, ICE)
            await relay(patient_socket, doctor, doctor_peer, ICE)

            # then each reached the other process's client, unchanged and from its sender
        finally:
            await _leave(doctor)
            if patient_socket is not None:
                await _leave(patient_socket)

    asyncio.run(scenario())
