"""Websockets under load: sockets held by one ASGI process, signalling relay, case fan-out.

    .venv/bin/python -m bench.ws --scale small      # after `python -m bench.generate`

`bench.run` calls it after the pages (make bench, make bench-smoke); it also runs alone.
It starts uvicorn as deploy/systemd/maillage-sockets@.service does (`config.asgi:application`,
one process, the Redis channel layer, no permessage-deflate) and a task worker against the
benchmark database, writes the sessions up front (`bench.run.sign_in`, second factor
included), then drives the server with the `websockets` client from one asyncio process:

1. held: N `/ws/notifications/` sockets (the doctors of step 3, then patients), opened a few
   at a time and kept, each pinging at the pages' rhythm (once a minute); how many are open
   and the server's RSS at each quarter of the ramp;
2. relay: while they are held, a doctor and a patient in one video appointment exchange
   signalling messages (ICE candidates) one after the other through
   `/ws/teleconsultation/<id>/`; the one-way latency of each;
3. fan-out: still held, a doctor publishes a case for general practice through
   `cases.services.publish_case`, with `CASE_ROUTING_FANOUT` raised to D so that it goes to the
   D connected GPs (production asks 12); the time from the publish call until each of them
   receives its unread count.

A socket refused or dropped and a message lost are failures: the smoke run asserts none.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socket import create_connection
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from bench import env as bench_env
from bench.run import PROXY_HEADERS, RESULTS, sign_in, stop_servers


@dataclass(frozen=True)
class WsScale:
    connections: int  # sockets held by the one ASGI process
    doctors: int  # of which connected doctors told of the new case
    messages: int  # relayed between the two participants of a call


WS_SCALES = {
    "small": WsScale(connections=200, doctors=100, messages=1000),
    "large": WsScale(connections=2000, doctors=1000, messages=5000),
}
HANDSHAKES_AT_ONCE = 32
PING_EVERY_S = 60  # static/js/maillage.js: a page pings its notification socket every minute
# A count later than this is lost; slow is a figure (the counts leave at commit, in one message).
ARRIVAL_TIMEOUT_S = 60.0
ARRIVAL_TIMEOUT_PER_DOCTOR_S = 0.2
RELAY_TIMEOUT_S = 5.0


@dataclass
class Held:
    connections: int = 0
    held: int = 0
    refused: int = 0
    dropped: int = 0
    ramp_s: float = 0.0
    sessions_s: float = 0.0
    rss_idle_mb: float = 0.0
    rss_held_mb: float = 0.0
    rss_per_connection_kb: float = 0.0
    steps: list[dict[str, float]] = field(default_factory=list)  # held, RSS along the ramp
    errors: list[str] = field(default_factory=list)


@dataclass
class Relay:
    messages: int = 0
    received: int = 0
    lost: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0


@dataclass
class Fanout:
    doctors: int = 0
    routed_live: int = 0
    received: int = 0
    publish_ms: float = 0.0  # the publish_case call itself (scrub, routing, commit)
    p50_ms: float = 0.0  # arrivals, from the publish call
    p99_ms: float = 0.0
    max_ms: float = 0.0


@dataclass
class WsReport:
    server: str
    held: Held
    relay: Relay
    fanout: Fanout

    @property
    def failures(self) -> list[str]:
        failed = []
        if self.held.held != self.held.connections or self.held.refused or self.held.dropped:
            failed.append("websocket connections")
        if self.relay.lost or self.relay.received != self.relay.messages:
            failed.append("signalling relay")
        if self.fanout.received != self.fanout.doctors or not self.fanout.doctors:
            failed.append("case notification fan-out")
        return failed

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "failures": self.failures}

    def table(self) -> str:
        h, r, f = self.held, self.relay, self.fanout
        return "\n".join(
            [
                f"websockets ({self.server})",
                f"  held      {h.held:,}/{h.connections:,} sockets in {h.ramp_s:.1f} s "
                f"(refused {h.refused}, dropped {h.dropped}); server RSS {h.rss_idle_mb:.0f} MB "
                f"idle, {h.rss_held_mb:.0f} MB held ({h.rss_per_connection_kb:.0f} kB a socket)",
                f"  relay     {r.received:,}/{r.messages:,} signalling messages: p50 "
                f"{r.p50_ms:.1f} ms, p95 {r.p95_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
                f"max {r.max_ms:.1f} ms",
                f"  fan-out   {f.received:,}/{f.doctors:,} doctors told of a new case "
                f"({f.routed_live:,} routed live): publish_case {f.publish_ms:.0f} ms; arrival "
                f"p50 {f.p50_ms:.0f} ms, p99 {f.p99_ms:.0f} ms, last {f.max_ms:.0f} ms",
            ]
        )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_rss_mb(pid: int) -> list[float]:
    """Resident memory of each child of `pid` (the workers of granian or of uvicorn)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [round(rss_mb(int(child)), 1) for child in children]


# --- the data: sessions, a case waiting for publication, a video appointment ------------------


@dataclass
class Cast:
    """Who takes part, with the session cookie of each."""

    doctors: list[str]  # cookies of the doctors the case will be routed to
    patients: list[str]  # cookies of the other held sockets
    author: Any  # the specialist who publishes the case (also the doctor of the call)
    case: Any
    appointment_id: uuid.UUID
    call_doctor: str
    call_patient: str
    sessions_s: float


def prepare(scale: WsScale) -> Cast:
    """Write what the sockets need, through the services where a person would act."""
    from django.urls import reverse
    from django.utils import timezone

    from maillage.accounts.models import Role, User
    from maillage.accounts.specialties import Specialty
    from maillage.cases import routing
    from maillage.cases.services import start_case
    from maillage.directory.models import PracticeMembership
    from maillage.notifications.services import count_unread, push_unread_counts
    from maillage.teleconsultation.models import Appointment, ConsentRecord

    author = (
        User.objects.filter(role=Role.SPECIALIST, professional__verified_at__isnull=False)
        .order_by("id")
        .first()
    )
    if author is None:
        raise SystemExit("the benchmark database is empty: run `python -m bench.generate` first")
    # Drafted like a doctor would (the de-identification runs, its models load here, not in the
    # timed publication).
    case = start_case(
        actor=author,
        title="Toux persistante de l'adulte",
        question="Quel bilan proposer avant un avis spécialisé ?",
        body="Toux sèche depuis six semaines, sans fièvre, radiographie thoracique normale.",
        specialties=[Specialty.GENERAL_PRACTICE],
        poll_question="",
        poll_options=[],
        images=[],
        idempotency_key=uuid.uuid4(),
    )
    # A page worker has its URLconf loaded, and its cache and channel layer in use (every page
    # reads the unread count): publish_case must not pay for importing them here (0.5 s).
    reverse("cases:detail", args=[case.public_id])
    count_unread(user_id=author.pk)
    push_unread_counts(user_ids=[author.pk])
    # The doctors the routing will weigh first (least solicited lately): those are connected.
    candidates = [pk for pk, _load in routing._candidates(case)][: scale.doctors]
    if len(candidates) < scale.doctors:
        raise SystemExit(f"only {len(candidates)} GPs to route a case to: a larger scale needed")
    patients = list(
        User.objects.filter(role=Role.PATIENT, is_active=True)
        .order_by("id")
        .values_list("pk", flat=True)[: scale.connections - scale.doctors + 1]
    )
    if len(patients) < scale.connections - scale.doctors + 1:
        raise SystemExit("not enough patients for the sockets asked: a larger scale needed")
    call_patient = User.objects.get(pk=patients.pop())

    # A video appointment starting now, with the patient's consent: a fixture, as in the
    # teleconsultation tests (booking is not what is measured).
    now = timezone.now()
    membership = PracticeMembership.objects.filter(user=author).first()
    assert membership is not None  # noqa: S101 (every generated doctor has a practice)
    consent = ConsentRecord.objects.create(
        patient=call_patient,
        given_by=call_patient,
        text_version="bench",
        text_digest="0" * 64,
        language="fr",
        given_at=now,
    )
    appointment = Appointment.objects.create(
        doctor=author,
        patient=call_patient,
        booked_by=call_patient,
        practice_id=membership.practice_id,
        mode=Appointment.Mode.VIDEO,
        motive="suivi",
        starts_at=now,
        ends_at=now + timedelta(minutes=15),
        consent=consent,
    )

    started = time.monotonic()
    logging.getLogger("axes").setLevel(logging.WARNING)  # else a line per sign-in
    users = User.objects.in_bulk([*candidates, *patients])
    doctors = [sign_in(users[pk]) for pk in candidates]
    patient_cookies = [sign_in(users[pk]) for pk in patients]
    call_doctor, call_patient_cookie = sign_in(author), sign_in(call_patient)
    return Cast(
        doctors=doctors,
        patients=patient_cookies,
        author=author,
        case=case,
        appointment_id=appointment.public_id,
        call_doctor=call_doctor,
        call_patient=call_patient_cookie,
        sessions_s=time.monotonic() - started,
    )


def publish(cast: Cast, fanout: int) -> float:
    """Publish the case as its author does; return how long the call took (ms)."""
    from django.db import connection
    from django.test import override_settings

    from maillage.cases.services import publish_case

    case = cast.case
    started = time.perf_counter()
    try:
        with override_settings(CASE_ROUTING_FANOUT=fanout):
            publish_case(
                actor=cast.author,
                case=case,
                title=case.title,
                question=case.question,
                body=case.body,
            )
        return (time.perf_counter() - started) * 1000
    finally:
        connection.close()  # this thread's connection


def routed_live(cast: Cast) -> int:
    from maillage.cases.models import CaseRouting

    return CaseRouting.objects.filter(case=cast.case, channel=CaseRouting.Channel.LIVE).count()


# --- the servers ----------------------------------------------------------------------------


def start_asgi(env: dict[str, str], *, port: int) -> list[subprocess.Popen[bytes]]:
    """The ASGI server (uvicorn, one process) and a task worker, each leading its own session."""
    RESULTS.mkdir(exist_ok=True)
    out = (RESULTS / "servers.log").open("ab")
    common: dict[str, Any] = {
        "cwd": bench_env.ROOT,
        "env": env,
        "stdout": out,
        "stderr": subprocess.STDOUT,
        "start_new_session": True,
    }
    # The options of deploy/systemd/maillage-sockets@.service (proxy headers aside: no proxy).
    asgi = subprocess.Popen(  # noqa: S603
        [
            str(bench_env.ROOT / ".venv" / "bin" / "uvicorn"),
            "config.asgi:application",
            "--host",
            bench_env.HOST,
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--ws-per-message-deflate",
            "false",
            "--limit-concurrency",
            "4000",
            "--log-level",
            "warning",
        ],
        **common,
    )
    tasks = subprocess.Popen(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        **common,
    )
    # Listening means the application is loaded. No HTTP request: the reverse proxy sends only
    # /ws/ here, and a page would load the URLconf (and its imports) into this process.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            create_connection((bench_env.HOST, port), timeout=1).close()
            return [asgi, tasks]
        except OSError:
            time.sleep(0.3)
    stop_servers([asgi, tasks])
    raise SystemExit(f"uvicorn did not answer on port {port}: see {RESULTS / 'servers.log'}")


def wait_for_task_worker(*, timeout: float = 300) -> float:
    """Wait until the task worker runs tasks (its start imports every URLconf); return seconds.

    The probe is the delivery of a notification that does not exist: the task drops it.
    """
    from django.db import connection

    from maillage.notifications.tasks import deliver_notification_task

    started = time.monotonic()
    probe = deliver_notification_task.enqueue(notification_id=str(uuid.uuid4()))
    while not probe.is_finished:
        if time.monotonic() - started > timeout:
            raise SystemExit(f"the task worker ran nothing in {timeout:.0f} s: see servers.log")
        time.sleep(0.1)
        probe.refresh()
    connection.close()
    return time.monotonic() - started


# --- the client -----------------------------------------------------------------------------


class Socket:
    """One held notification socket: reads everything, notes when the next count arrives."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.watch_from: float | None = None
        self.arrived: float | None = None
        self.dropped = False
        self.closing = False
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.connection:
                message = json.loads(raw)
                if (
                    message.get("type") == "unread"
                    and self.watch_from is not None
                    and self.arrived is None
                ):
                    self.arrived = time.perf_counter()
        except ConnectionClosed:
            pass
        self.dropped = not self.closing


class Client:
    def __init__(self, port: int) -> None:
        self.base = f"ws://{bench_env.HOST}:{port}"
        self.origin = Origin(f"https://{bench_env.HOST}")

    async def open(self, path: str, cookie: str) -> ClientConnection:
        return await connect(
            self.base + path,
            origin=self.origin,
            additional_headers={**PROXY_HEADERS, "Cookie": cookie},
            open_timeout=30,
        )

    async def open_notifications(self, cookie: str) -> Socket:
        """A notification socket, held once the server sent its first count (it let us in)."""
        connection = await self.open("/ws/notifications/", cookie)
        first = json.loads(await asyncio.wait_for(connection.recv(), timeout=30))
        if first.get("type") != "unread":
            await connection.close()
            raise RuntimeError(f"unexpected first message {first.get('type')!r}")
        return Socket(connection)


async def hold(
    client: Client, cookies: list[str], held: Held, server_pid: int
) -> list[Socket | None]:
    """Open a socket per cookie, a few handshakes at a time; note RSS at each quarter."""
    gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    sockets: list[Socket | None] = [None] * len(cookies)
    quarters = {len(cookies) * q // 4 for q in (1, 2, 3, 4)}
    opened = 0
    started = time.monotonic()

    async def one(index: int, cookie: str) -> None:
        nonlocal opened
        async with gate:
            try:
                sockets[index] = await client.open_notifications(cookie)
            except (OSError, InvalidStatus, ConnectionClosed, RuntimeError, TimeoutError) as error:
                held.refused += 1
                if len(held.errors) < 5:
                    held.errors.append(f"{type(error).__name__}: {error}")
                return
        opened += 1
        if opened in quarters:
            held.steps.append(
                {
                    "held": opened,
                    "seconds": round(time.monotonic() - started, 2),
                    "rss_mb": round(rss_mb(server_pid), 1),
                }
            )

    await asyncio.gather(*(one(i, cookie) for i, cookie in enumerate(cookies)))
    held.ramp_s = round(time.monotonic() - started, 1)
    return sockets


async def keep_pinging(sockets: list[Socket], stop: asyncio.Event) -> None:
    """Each page pings once a minute: spread over the minute, in a random order."""
    order = list(sockets)
    random.shuffle(order)
    pause = PING_EVERY_S / max(1, len(order))
    while not stop.is_set():
        for socket in order:
            if stop.is_set():
                return
            if not socket.dropped:
                with contextlib.suppress(ConnectionClosed):
                    await socket.connection.send('{"type": "ping"}')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=pause)


async def signalling(client: Client, cast: Cast, messages: int, relay: Relay) -> None:
    """Doctor and patient exchange ICE candidates in turn; one-way latency of each."""
    path = f"/ws/teleconsultation/{cast.appointment_id}/"
    doctor = await client.open(path, cast.call_doctor)
    doctor_peer = (await next_of(doctor, "welcome"))["peer"]
    patient = await client.open(path, cast.call_patient)
    welcome = await next_of(patient, "welcome")
    patient_peer = welcome["peer"]
    if doctor_peer not in {peer["peer"] for peer in welcome["peers"]}:
        raise RuntimeError("the patient's welcome does not list the doctor")
    await next_of(doctor, "peer-joined")
    ends = [(doctor, patient, patient_peer), (patient, doctor, doctor_peer)]
    latencies: list[float] = []
    relay.messages = messages
    for index in range(messages):
        sender, receiver, to = ends[index % 2]
        candidate = f"candidate:{index} 1 udp 2122260223 192.0.2.{index % 250 + 1} 54400 typ host"
        frame = {
            "type": "signal",
            "to": to,
            "data": {"candidate": {"candidate": candidate, "sdpMid": "0", "sdpMLineIndex": 0}},
        }
        sent = time.perf_counter()
        await sender.send(json.dumps(frame))
        try:
            got = await next_of(receiver, "signal", timeout=RELAY_TIMEOUT_S)
        except TimeoutError:
            relay.lost += 1
            continue
        if got["data"]["candidate"]["candidate"] != candidate:
            relay.lost += 1
            continue
        latencies.append((time.perf_counter() - sent) * 1000)
    relay.received = len(latencies)
    relay.p50_ms = round(statistics.median(latencies), 2) if latencies else 0.0
    relay.p95_ms = round(percentile(latencies, 0.95), 2)
    relay.p99_ms = round(percentile(latencies, 0.99), 2)
    relay.max_ms = round(max(latencies, default=0.0), 2)
    for connection in (patient, doctor):
        await connection.send('{"type": "leave"}')
        await connection.close()


async def next_of(
    connection: ClientConnection, kind: str, *, timeout: float = 10.0
) -> dict[str, Any]:
    """The next frame of this type (others are skipped)."""
    async with asyncio.timeout(timeout):
        while True:
            message: dict[str, Any] = json.loads(await connection.recv())
            if message.get("type") == kind:
                return message


async def fan_out(doctors: list[Socket], fanout: Fanout, publisher: Callable[[], float]) -> None:
    """Publish the case in a thread (as a page worker would); wait for every doctor's count."""
    fanout.doctors = len(doctors)
    started = time.perf_counter()
    for socket in doctors:
        socket.watch_from = started
    publishing: Awaitable[float] = asyncio.to_thread(publisher)
    fanout.publish_ms = round(await publishing, 1)
    deadline = started + ARRIVAL_TIMEOUT_S + ARRIVAL_TIMEOUT_PER_DOCTOR_S * len(doctors)
    while time.perf_counter() < deadline:
        if all(socket.arrived is not None or socket.dropped for socket in doctors):
            break
        await asyncio.sleep(0.005)
    arrivals = [
        (socket.arrived - started) * 1000 for socket in doctors if socket.arrived is not None
    ]
    fanout.received = len(arrivals)
    fanout.p50_ms = round(statistics.median(arrivals), 1) if arrivals else 0.0
    fanout.p99_ms = round(percentile(arrivals, 0.99), 1)
    fanout.max_ms = round(max(arrivals, default=0.0), 1)


async def drive(cast: Cast, scale: WsScale, *, port: int, server_pid: int) -> WsReport:
    client = Client(port)
    held = Held(connections=scale.connections, sessions_s=round(cast.sessions_s, 1))
    relay, fanout = Relay(), Fanout()
    held.rss_idle_mb = round(rss_mb(server_pid), 1)
    opened = await hold(client, [*cast.doctors, *cast.patients], held, server_pid)
    sockets = [socket for socket in opened if socket is not None]
    held.held = len(sockets)
    held.rss_held_mb = round(rss_mb(server_pid), 1)
    if held.held:
        held.rss_per_connection_kb = round(
            (held.rss_held_mb - held.rss_idle_mb) * 1024 / held.held, 1
        )
    stop = asyncio.Event()
    pinging = asyncio.create_task(keep_pinging(sockets, stop))
    try:
        await signalling(client, cast, scale.messages, relay)
        doctors = [socket for socket in opened[: len(cast.doctors)] if socket is not None]
        await fan_out(doctors, fanout, lambda: publish(cast, len(cast.doctors)))
    finally:
        stop.set()
        await pinging
        held.dropped = sum(socket.dropped for socket in sockets)
        for socket in sockets:
            socket.closing = True
        await asyncio.gather(*(socket.connection.close() for socket in sockets))
        await asyncio.gather(*(socket.reader for socket in sockets))
    return WsReport(
        server="uvicorn config.asgi:application, 1 process, no permessage-deflate",
        held=held,
        relay=relay,
        fanout=fanout,
    )


def run(env: dict[str, str], *, scale: str, port: int, sizes: WsScale | None = None) -> WsReport:
    """The whole websocket benchmark; Django is set up in this process with `env`.

    `scale` names the sizes (WS_SCALES; an unknown name gets the small ones) unless `sizes`.
    """
    sizes = sizes or WS_SCALES.get(scale, WS_SCALES["small"])
    cast = prepare(sizes)
    from django.db import connections

    connections.close_all()
    servers = start_asgi(env, port=port)
    try:
        wait_for_task_worker()
        report = asyncio.run(drive(cast, sizes, port=port, server_pid=servers[0].pid))
    finally:
        stop_servers(servers)
    report.fanout.routed_live = routed_live(cast)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(WS_SCALES), default="small")
    parser.add_argument("--port", type=int, default=8032, help="uvicorn's port")
    parser.add_argument("--connections", type=int, help="sockets held (default: the scale's)")
    parser.add_argument("--doctors", type=int, help="doctors told of the case (ditto)")
    parser.add_argument("--messages", type=int, help="signalling messages relayed (ditto)")
    args = parser.parse_args(argv)
    default = WS_SCALES[args.scale]
    sizes = WsScale(
        connections=args.connections or default.connections,
        doctors=args.doctors or default.doctors,
        messages=args.messages or default.messages,
    )
    started = time.monotonic()
    env = bench_env.bench_environ()
    bench_env.apply(env)
    import django

    django.setup()
    report = run(env, scale=args.scale, port=args.port, sizes=sizes)
    sys.stdout.write(report.table() + "\n")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = RESULTS / f"ws-{args.scale}-{stamp}.json"
    result = {
        "scale": args.scale,
        "sizes": asdict(sizes),
        "at": stamp,
        "cores": os.cpu_count(),
        "websockets": report.as_json(),
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    output.write_text(json.dumps(result, indent=2))
    sys.stdout.write(f"{output.relative_to(bench_env.ROOT)} written\n")
    if report.failures:
        sys.stdout.write(f"FAILED: {', '.join(report.failures)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
