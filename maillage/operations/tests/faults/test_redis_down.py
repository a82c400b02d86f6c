"""Redis down: pages still serve and say live features are degraded; notifications queued
meanwhile are delivered afterwards (e-mails from the outbox, the live count on reconnection),
none lost, none doubled."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from maillage.testing import faults
from maillage.testing.faults import PrivatePostgres, PrivateRedis

EMAIL = "faults-redis@example.test"
BANNER = re.compile(r'<p id="live-degraded"[^>]*>')

pytestmark = pytest.mark.faults


def _socket(base: str, cookie: str) -> ClientConnection:
    return connect(
        base.replace("http://", "ws://") + "/ws/notifications/",
        additional_headers={"Cookie": cookie, **faults.PROXY_HEADERS},
        origin=Origin("https://127.0.0.1"),
        open_timeout=10,
        proxy=None,
    )


def _next_count(socket: ClientConnection) -> int:
    while True:
        message: dict[str, Any] = json.loads(socket.recv(timeout=30))
        if message.get("type") == "unread":
            return int(message["count"])


def _hears_or_closes(socket: ClientConnection, count: int) -> bool:
    try:
        while _next_count(socket) != count:
            pass
    except ConnectionClosed:
        return True
    except TimeoutError:
        return False
    return True


def _banner_shown(page: str) -> bool:
    banner = BANNER.search(page)
    assert banner is not None, "signed-in pages carry the degraded-mode banner"
    return " hidden" not in banner.group(0)


def _emails(directory: Path) -> list[str]:
    return [
        subject
        for message in faults.sent_mail(directory)
        for subject in re.findall(r"^Subject: (.*)$", message, flags=re.MULTILINE)
    ]


def test_pages_serve_and_notifications_arrive_once_when_redis_comes_back(
    private_postgres: PrivatePostgres, private_redis: PrivateRedis, topology_dir: Path
) -> None:
    # given: the whole topology on Redis, a signed-in patient with a live notification socket
    topology = faults.start_topology(
        private_postgres, private_redis, topology_dir, SCHEDULER_TICK_SECONDS="1"
    )
    seed = faults.run_seed(topology.env, "notify_patient", email=EMAIL, count=0, prefix="-")
    cookie = str(seed["cookie"])
    sockets_open = ExitStack()
    try:
        pages = topology.start_pages(workers=2)
        sockets = topology.start_sockets()
        topology.start_worker()
        topology.start_scheduler()
        client = httpx.Client(headers={**faults.PROXY_HEADERS, "Cookie": cookie}, timeout=30)
        home = client.get(f"{pages}/")
        assert home.status_code == 200
        assert not _banner_shown(home.text)
        before = sockets_open.enter_context(_socket(sockets, cookie))
        assert _next_count(before) == 0

        # when: Redis dies (no persistence: everything in it is lost)
        private_redis.stop()

        # then: the pages still serve, signed in or not, and say live features are degraded
        for path in ["/", "/notifications/", "/dossier/", "/medecins/", "/healthz"]:
            response = client.get(f"{pages}{path}", follow_redirects=True)
            assert response.status_code == 200, (path, response.text[:500])
        assert _banner_shown(client.get(f"{pages}/notifications/").text)
        anonymous = httpx.get(f"{pages}/", headers=faults.PROXY_HEADERS, timeout=30)
        assert anonymous.status_code == 200
        assert BANNER.search(anonymous.text) is None
        # and the live socket cannot be opened: the page's script shows the same banner
        with pytest.raises((InvalidHandshake, InvalidStatus, ConnectionClosed, OSError)):
            _next_count(sockets_open.enter_context(_socket(sockets, cookie)))

        # when: three notifications are queued while Redis is down
        faults.run_seed(topology.env, "notify_patient", email=EMAIL, count=3, prefix="Pendant")
        # then: their e-mails leave from the outbox all the same
        faults.wait_for(lambda: len(_emails(topology_dir)) == 3, seconds=60, what="3 e-mails")

        # when: Redis comes back, empty
        private_redis.start()

        # then: pages drop the banner, a new socket is told the three notifications at once
        faults.wait_for(
            lambda: not _banner_shown(client.get(f"{pages}/notifications/").text),
            seconds=30,
            what="the banner to go",
        )
        after = sockets_open.enter_context(_socket(sockets, cookie))
        assert _next_count(after) == 3
        # and live pushes work again, on the new socket and on the one opened before the outage
        faults.run_seed(topology.env, "notify_patient", email=EMAIL, count=1, prefix="Apres")
        assert _next_count(after) == 4
        # the socket opened before the outage is not left deaf: it hears, or it was closed
        # (and its page's script reconnects)
        assert _hears_or_closes(before, 4)
        faults.wait_for(lambda: len(_emails(topology_dir)) == 4, seconds=60, what="4 e-mails")
    finally:
        sockets_open.close()
        logs = topology.logs()
        topology.stop_all()

    # none lost, none doubled: one e-mail per notification, one outbox row each, all sent
    subjects = sorted(_emails(topology_dir))
    assert subjects == sorted(
        [f"[Maillage] Pendant {n}" for n in range(3)] + ["[Maillage] Apres 0"]
    ), logs
    assert private_postgres.query("SELECT count(*), count(sent_at) FROM core_outgoingemail") == [
        (4, 4)
    ]
    assert (
        private_postgres.scalar(
            "SELECT count(*) FROM notifications_notification WHERE emailed_at IS NOT NULL"
        )
        == 4
    )
