"""Time-limited TURN credentials (coturn's "TURN REST API"): minted per participant of a call,
checked the way coturn checks them, and, when coturn is installed, by coturn itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.teleconsultation.models import Appointment
from maillage.teleconsultation.tests.call_helpers import make_video_appointment
from maillage.teleconsultation.turn import mint_credential

SECRET = "a-shared-secret-for-the-tests-0123456789"
TURN_URLS = ["turn:turn.example.fr:3478?transport=udp", "turns:turn.example.fr:5349?transport=tcp"]
STATIC = [{"urls": "stun:stun.example.fr:3478"}]


@pytest.fixture
def turn_settings(settings: Any) -> Any:
    settings.WEBRTC_ICE_SERVERS = STATIC
    settings.TURN_URLS = TURN_URLS
    settings.TURN_SHARED_SECRET = SECRET
    settings.TURN_CREDENTIAL_TTL_SECONDS = 6 * 3600
    return settings


@pytest.fixture
def appointment(treating_clinician: User, patient: User) -> Appointment:
    return make_video_appointment(doctor=treating_clinician, patient=patient)


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ice_servers(client: Client, appointment: Appointment) -> list[dict[str, Any]]:
    response = client.get(reverse("teleconsultation:call", args=[appointment.public_id]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    found = re.search(
        r'<script id="call-ice-servers" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert found is not None
    servers: list[dict[str, Any]] = json.loads(found.group(1))
    return servers


def _turn_entry(servers: list[dict[str, Any]]) -> dict[str, Any]:
    [entry] = [server for server in servers if "credential" in server]
    return entry


def _coturn_accepts(username: str, credential: str, *, secret: str, now: float) -> bool:
    """coturn's check, written independently: the HMAC matches and the expiry is not past."""
    expected = base64.b64encode(
        hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()
    expiry = int(username.split(":", 1)[0])
    return hmac.compare_digest(expected, credential) and expiry >= now


# --- the credential ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_gets_a_credential_coturn_would_accept(
    turn_settings: Any, appointment: Appointment, patient: User
) -> None:
    before = time.time()
    servers = _ice_servers(_as(patient), appointment)

    assert servers[0] == STATIC[0]  # the static servers stay, first and unchanged
    entry = _turn_entry(servers)
    assert entry["urls"] == TURN_URLS
    assert _coturn_accepts(entry["username"], entry["credential"], secret=SECRET, now=time.time())
    assert not _coturn_accepts(
        entry["username"], entry["credential"], secret="another-secret", now=time.time()
    )
    expiry = int(entry["username"].split(":", 1)[0])
    assert int(before) + 6 * 3600 <= expiry <= time.time() + 6 * 3600  # whole seconds


@pytest.mark.django_db
def test_the_username_names_nobody(
    turn_settings: Any, appointment: Appointment, patient: User
) -> None:
    entry = _turn_entry(_ice_servers(_as(patient), appointment))

    opaque = entry["username"].split(":", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", opaque)
    assert opaque != str(patient.pk)
    for identifying in (str(patient.email), str(appointment.public_id), appointment.public_id.hex):
        assert identifying not in entry["username"]


def test_a_credential_expires() -> None:
    minted = mint_credential(secret=SECRET, ttl_seconds=600, now=1_800_000_000)

    assert minted.username.startswith("1800000600:")
    assert _coturn_accepts(minted.username, minted.credential, secret=SECRET, now=1_800_000_600)
    assert not _coturn_accepts(minted.username, minted.credential, secret=SECRET, now=1_800_000_601)
    assert minted.credential not in repr(minted)


@pytest.mark.django_db
def test_each_participant_and_each_page_gets_its_own(
    turn_settings: Any, appointment: Appointment, patient: User, treating_clinician: User
) -> None:
    patient_client = _as(patient)
    entries = [
        _turn_entry(_ice_servers(patient_client, appointment)),
        _turn_entry(_ice_servers(patient_client, appointment)),
        _turn_entry(_ice_servers(_as(treating_clinician), appointment)),
    ]

    assert len({entry["username"] for entry in entries}) == 3
    assert len({entry["credential"] for entry in entries}) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_patient", "other_clinician", "anonymous"])
def test_an_outsider_gets_404_and_no_credential(
    turn_settings: Any, appointment: Appointment, other_clinician: User, who: str
) -> None:
    client = Client()
    if who == "other_patient":
        client.force_login(PatientFactory())
    elif who == "other_clinician":
        client.force_login(other_clinician)

    response = client.get(reverse("teleconsultation:call", args=[appointment.public_id]))

    assert response.status_code == 404
    assert b"credential" not in response.content
    assert b"turn.example.fr" not in response.content


@pytest.mark.django_db
def test_without_turn_settings_only_the_static_servers_are_given(
    settings: Any, appointment: Appointment, patient: User
) -> None:
    settings.WEBRTC_ICE_SERVERS = STATIC
    settings.TURN_URLS = []
    settings.TURN_SHARED_SECRET = ""

    assert _ice_servers(_as(patient), appointment) == STATIC


@pytest.mark.django_db
def test_the_credential_never_reaches_the_logs(
    turn_settings: Any,
    appointment: Appointment,
    patient: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    entry = _turn_entry(_ice_servers(_as(patient), appointment))

    assert caplog.records  # the page was logged about (queries, audit…), just not this
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    assert entry["credential"] not in logged
    assert entry["username"].split(":", 1)[1] not in logged
    assert SECRET not in logged


# --- the settings -----------------------------------------------------------------------------


def _start(env_overrides: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MAILLAGE_VAR_DIR": str(var_dir),
        "SECRET_KEY": "a-production-secret-key-of-reasonable-length-0123456789",
        "ALLOWED_HOSTS": "maillage.example.fr",
        "SITE_URL": "https://maillage.example.fr",
        **env_overrides,
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TURN_URLS, len(s.TURN_SHARED_SECRET), s.TURN_CREDENTIAL_TTL_SECONDS)"
    )
    return subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_secret_is_read_from_its_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "turn_shared_secret"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")

    result = _start(
        {
            "TURN_URLS": "turn:turn.example.fr:3478, turns:turn.example.fr:5349",
            "TURN_SHARED_SECRET_FILE": str(secret_file),
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['turn:turn.example.fr:3478',",
        "'turns:turn.example.fr:5349']",
        str(len(SECRET)),
        str(6 * 3600),
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"TURN_URLS": "turn:turn.example.fr:3478"}, id="urls-without-secret"),
        pytest.param(
            {"TURN_URLS": "https://turn.example.fr", "TURN_SHARED_SECRET": SECRET}, id="not-turn"
        ),
        pytest.param({"TURN_CREDENTIAL_TTL_SECONDS": "10"}, id="ttl-too-short"),
    ],
)
def test_a_malformed_turn_setting_stops_the_start(
    overrides: dict[str, str], tmp_path: Path
) -> None:
    result = _start(overrides, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last = [line for line in result.stderr.splitlines() if line.strip()][-1]
    assert "TURN_" in last


# --- coturn itself ----------------------------------------------------------------------------

MAGIC_COOKIE = 0x2112A442
ALLOCATE_REQUEST = 0x0003
ALLOCATE_SUCCESS = 0x0103
ALLOCATE_ERROR = 0x0113
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, REALM, NONCE = 0x0006, 0x0008, 0x0009, 0x0014, 0x0015
XOR_RELAYED_ADDRESS, REQUESTED_TRANSPORT = 0x0016, 0x0019
UDP = 17


def _attribute(kind: int, value: bytes) -> bytes:
    padding = b"\0" * (-len(value) % 4)
    return struct.pack("!HH", kind, len(value)) + value + padding


def _allocate(attributes: list[bytes], key: bytes | None) -> bytes:
    """An Allocate request (RFC 5766), signed with MESSAGE-INTEGRITY when `key` is given."""
    transaction = os.urandom(12)
    body = b"".join(attributes)
    if key is not None:
        # The integrity covers the header with a length that already counts its own attribute.
        header = struct.pack("!HHI12s", ALLOCATE_REQUEST, len(body) + 24, MAGIC_COOKIE, transaction)
        mac = hmac.new(key, header + body, hashlib.sha1).digest()
        body += _attribute(MESSAGE_INTEGRITY, mac)
    return struct.pack("!HHI12s", ALLOCATE_REQUEST, len(body), MAGIC_COOKIE, transaction) + body


def _parse(packet: bytes) -> tuple[int, dict[int, bytes]]:
    kind, length, _cookie = struct.unpack("!HHI", packet[:8])
    attributes: dict[int, bytes] = {}
    offset = 20
    while offset < 20 + length:
        attr_kind, attr_length = struct.unpack("!HH", packet[offset : offset + 4])
        attributes[attr_kind] = packet[offset + 4 : offset + 4 + attr_length]
        offset += 4 + attr_length + (-attr_length % 4)
    return kind, attributes


def _exchange(sock: socket.socket, request: bytes) -> tuple[int, dict[int, bytes]]:
    sock.send(request)
    return _parse(sock.recv(2048))


def _error_code(attributes: dict[int, bytes]) -> int:
    value = attributes[ERROR_CODE]
    return (value[2] & 0x07) * 100 + value[3]


def _try_allocate(port: int, username: str, password: str) -> tuple[int, dict[int, bytes]]:
    """Allocate a UDP relay with long-term credentials: a first request for the realm and the
    nonce (401), then the signed one, as a browser does."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        transport = _attribute(REQUESTED_TRANSPORT, bytes([UDP, 0, 0, 0]))
        kind, challenge = _exchange(sock, _allocate([transport], None))
        assert kind == ALLOCATE_ERROR
        assert _error_code(challenge) == 401
        realm, nonce = challenge[REALM], challenge[NONCE]
        key = hashlib.md5(  # noqa: S324  # RFC 5389's long-term key is MD5 by definition
            username.encode() + b":" + realm + b":" + password.encode()
        ).digest()
        signed = [
            transport,
            _attribute(USERNAME, username.encode()),
            _attribute(REALM, realm),
            _attribute(NONCE, nonce),
        ]
        return _exchange(sock, _allocate(signed, key))


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def coturn(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """deploy/'s coturn configuration on a loopback port, with a fresh secret appended as the
    install does; TLS, certificates and the log file are left out."""
    turnserver = shutil.which("turnserver")
    if turnserver is None:
        if os.environ.get("MAILLAGE_REQUIRE_ALL") == "1":
            pytest.fail("MAILLAGE_REQUIRE_ALL=1 forbids skipping: needs turnserver (coturn)")
        pytest.skip("needs turnserver (apt-get install coturn)")
    secret = secrets.token_urlsafe(32)
    port = _free_udp_port()
    kept = [
        line
        for line in (Path(django_settings.BASE_DIR) / "deploy/coturn/turnserver.conf")
        .read_text(encoding="utf-8")
        .splitlines()
        if not re.match(
            r"(listening-port|tls-listening-port|cert|pkey|log-file|no-stdout-log)=?", line
        )
    ]
    config = tmp_path / "turnserver.conf"
    config.write_text(
        "\n".join(
            [
                *kept,
                "listening-ip=127.0.0.1",
                "relay-ip=127.0.0.1",
                f"listening-port={port}",
                "no-tls",
                "no-dtls",
                f"userdb={tmp_path / 'turndb'}",
                f"pidfile={tmp_path / 'turnserver.pid'}",
                f"static-auth-secret={secret}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(  # noqa: S603  # a system tool, fixed arguments
        [turnserver, "-c", str(config), "--log-file=stdout"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_listening(port, process)
        yield port, secret
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_until_listening(port: int, process: subprocess.Popen[str]) -> None:
    """coturn answers a bare Allocate with 401 once it serves; poll for that, not for a time."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"turnserver stopped: {output[-2000:]}")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.2)
            sock.connect(("127.0.0.1", port))
            transport = _attribute(REQUESTED_TRANSPORT, bytes([UDP, 0, 0, 0]))
            try:
                sock.send(_allocate([transport], None))
                sock.recv(2048)
            except OSError:  # refused (ICMP) before it listens, or no answer yet
                time.sleep(0.1)
                continue
            return
    pytest.fail("turnserver did not answer")


def test_coturn_relays_for_a_minted_credential(coturn: tuple[int, str]) -> None:
    port, secret = coturn
    minted = mint_credential(secret=secret, ttl_seconds=600)

    kind, attributes = _try_allocate(port, minted.username, minted.credential)

    assert kind == ALLOCATE_SUCCESS, attributes.get(ERROR_CODE)
    assert XOR_RELAYED_ADDRESS in attributes


@pytest.mark.parametrize("case", ["expired", "wrong-secret", "tampered-username"])
def test_coturn_refuses_a_bad_credential(coturn: tuple[int, str], case: str) -> None:
    port, secret = coturn
    if case == "expired":
        minted = mint_credential(secret=secret, ttl_seconds=600, now=time.time() - 3600)
        username, password = minted.username, minted.credential
    elif case == "wrong-secret":
        minted = mint_credential(secret="not-" + secret, ttl_seconds=600)
        username, password = minted.username, minted.credential
    else:
        minted = mint_credential(secret=secret, ttl_seconds=600)
        expiry, opaque = minted.username.split(":", 1)
        username, password = f"{int(expiry) + 86400}:{opaque}", minted.credential

    kind, attributes = _try_allocate(port, username, password)

    assert kind == ALLOCATE_ERROR
    assert _error_code(attributes) == 401
