"""At scale, the doctor and the patient may land on two different ASGI processes: Redis (the
channel layer) must join them. Two real uvicorn processes, two real websocket clients.

The processes share the test database: on SQLite it is a file (config/settings/test.py), on
PostgreSQL the test database; the test data is committed (transactional test) so that they see
it. Runs on both engines; needs Redis (REDIS_URL).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import ClientConnection, connect

from maillage.accounts.models import User
from maillage.teleconsultation.tests.call_helpers import make_video_appointment

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
OFFER = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
ANSWER = {"description": {"type": "answer", "sdp": "v=0\r\n"}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _database_url() -> str:
    """Where this test's database lives, for the server processes."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = quote(database.get("USER") or "")
    password = quote(database.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if user else ""
    host = database.get("HOST") or "localhost"
    port = database.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{database['NAME']}"


def _wait_for_port(process: subprocess.Popen[bytes], port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


@pytest.fixture
def start_server(transactional_db: None, tmp_path: Path) -> Iterator[Callable[[], int]]:
    """Start uvicorn processes serving config.asgi; every one is stopped, even on failure."""
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }

    def start() -> int:
        port = _free_port()
        log = tmp_path / f"server-{port}.log"
        logs.append(log)
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
        options = ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
        process = subprocess.Popen(  # noqa: S603  # our own interpreter and arguments
            [*command, *options, "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        processes.append(process)
        _wait_for_port(process, port)
        return port

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for log in logs:  # shown by pytest when the test failed
        print(log.name, log.read_text(encoding="utf-8", errors="replace")[-4000:])  # noqa: T201


def _cookie(user: User) -> str:
    client = Client()
    client.force_login(user)  # a professional's session records the second factor (personas)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def _receive(socket: ClientConnection, kind: str, timeout: float = 5) -> dict[str, Any]:
    """The next message of this type (pings and room updates may come in between)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), remaining))
        if message["type"] == kind:
            return message


async def _open(port: int, path: str, cookie: str) -> ClientConnection:
    return await connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]  # websockets types it as Origin, a str NewType
        additional_headers={"Cookie": cookie},
        open_timeout=10,
    )


def test_a_doctor_and_a_patient_on_two_processes_reach_each_other(
    start_server: Callable[[], int], treating_clinician: User, patient: User
) -> None:
    # given a video appointment, and two server processes joined only by Redis
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    appointment = make_video_appointment(doctor=treating_clinician, patient=patient)
    path = f"/ws/teleconsultation/{appointment.public_id}/"
    doctor_cookie, patient_cookie = _cookie(treating_clinician), _cookie(patient)
    first, second = start_server(), start_server()

    async def scenario() -> None:
        # when the doctor joins through the first process, the patient through the second
        doctor = await _open(first, path, doctor_cookie)
        doctor_welcome = await _receive(doctor, "welcome")
        patient_socket = await _open(second, path, patient_cookie)
        try:
            patient_welcome = await _receive(patient_socket, "welcome")

            # then each knows the other: the doctor sees the patient join
            joined = await _receive(doctor, "peer-joined")
            assert (joined["peer"], joined["role"]) == (patient_welcome["peer"], "patient")
            assert [(peer["peer"], peer["role"]) for peer in patient_welcome["peers"]] == [
                (doctor_welcome["peer"], "doctor")
            ]
            assert patient_welcome["room"]["doctor_present"] is True

            # and signals cross the processes both ways
            await patient_socket.send(
                json.dumps({"type": "signal", "to": doctor_welcome["peer"], "data": OFFER})
            )
            offer = await _receive(doctor, "signal")
            assert offer == {"type": "signal", "from": patient_welcome["peer"], "data": OFFER}
            await doctor.send(
                json.dumps({"type": "signal", "to": patient_welcome["peer"], "data": ANSWER})
            )
            answer = await _receive(patient_socket, "signal")
            assert answer == {"type": "signal", "from": doctor_welcome["peer"], "data": ANSWER}

            # and a clean departure on one process is seen on the other
            await patient_socket.send(json.dumps({"type": "leave"}))
            left = await _receive(doctor, "peer-left")
            assert left == {"type": "peer-left", "peer": patient_welcome["peer"], "reason": "left"}
        finally:
            await doctor.close()
            await patient_socket.close()

    asyncio.run(scenario())
