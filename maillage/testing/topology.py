"""The production topology as subprocesses on this machine, for tests and benchmarks.

Page workers are granian (WSGI), websocket workers uvicorn (ASGI, `/ws/`), the task worker
django-tasks' `db_worker`; all run `config.settings.base` with the environment a deployment
would give them (deploy/maillage.env.example), against one PostgreSQL database and one Redis.
Each process leads its own session, so stopping it stops its workers and nothing else.

    with Topology(environ=production_environ(...), log_dir=tmp) as topology:
        page_port = topology.start_pages()
        socket_port = topology.start_sockets()
        topology.start_tasks()

`PageClient` signs in through a page worker as a browser would (password, then TOTP) and keeps
the cookies, to be sent to a websocket worker as well.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
# TLS ends at the reverse proxy, which says so (BEHIND_TLS_PROXY=1 trusts this header).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def database_url(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL of a PostgreSQL connection's settings (the test database's, say)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def production_environ(
    *,
    database_url: str,
    redis_url: str,
    var_dir: Path,
    static_root: Path,
    secret_key: str | None = None,
) -> dict[str, str]:
    """What every process of a deployment gets: config.settings.base plus the environment."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "MAILLAGE_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # One secret for all the processes: each checks the sessions the others signed.
        SECRET_KEY=secret_key or secrets.token_urlsafe(48),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        BEHIND_TLS_PROXY="1",
        HDS_HOSTING_DECLARATION="topology test",
        MAILLAGE_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(static_root),
        DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def collect_static(environ: dict[str, str]) -> None:
    """Build STATIC_ROOT with its manifest, which the production storage needs to render."""
    subprocess.run(  # our own interpreter and arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environ,
        check=True,
        timeout=600,
    )


@dataclass
class Topology:
    environ: dict[str, str]
    log_dir: Path
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def __enter__(self) -> Topology:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with (self.log_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603  # our own executables and arguments
                command,
                cwd=ROOT,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append((name, process))
        return process

    def start_pages(self, port: int | None = None, *, workers: int = 1) -> int:
        """A granian WSGI page worker; returns its port once /healthz answers."""
        port = port or free_port()
        process = self._start(
            f"pages-{port}",
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "config.wsgi:application",
                "--workers",
                str(workers),
                # As deploy/systemd/maillage-pages@.service: a few threads, a few connections.
                "--blocking-threads",
                "4",
                "--host",
                HOST,
                "--port",
                str(port),
                "--no-ws",
                "--log-level",
                "warning",
            ],
        )
        self._wait(process, port, "/healthz")
        return port

    def start_sockets(self, port: int | None = None) -> int:
        """A uvicorn ASGI websocket worker; returns its port once it accepts connections."""
        port = port or free_port()
        process = self._start(
            f"sockets-{port}",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                HOST,
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--log-level",
                "warning",
            ],
        )
        self._wait(process, port, None)
        return port

    def start_tasks(self) -> None:
        """A task worker on every queue (notifications, e-mail, scheduled work)."""
        self._start(
            f"tasks-{len(self.processes)}",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
            ],
        )

    def _wait(self, process: subprocess.Popen[bytes], port: int, path: str | None) -> None:
        deadline = time.monotonic() + 120  # Django's start on a loaded 2-core machine
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server on port {port} exited:\n{self.logs()}")
            try:
                if path is None:
                    socket.create_connection((HOST, port), timeout=1).close()
                else:
                    request = urllib.request.Request(  # http://127.0.0.1 only
                        f"http://{HOST}:{port}{path}", headers=PROXY_HEADERS
                    )
                    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                        response.read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server on port {port} did not start:\n{self.logs()}")

    def stop(self) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()

    def logs(self, tail: int = 3000) -> str:
        """The end of every process's log (shown when a test fails)."""
        parts = []
        for path in sorted(self.log_dir.glob("*.log")):
            text = path.read_text(encoding="utf-8", errors="replace")[-tail:]
            parts.append(f"--- {path.name}\n{text}")
        return "\n".join(parts)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class PageClient:
    """A browser's cookies against one page worker, behind the TLS-terminating proxy.

    Cookies are kept by hand: they are `Secure` (the proxy spoke https to the browser), which
    a cookie jar would refuse to send over the plain http between the proxy and the worker.
    """

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Response:
        headers = {**PROXY_HEADERS, "Cookie": self.cookie_header()}
        body = None
        if data is not None:
            form = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the origin of an https POST against its own host.
            headers["Origin"] = self.origin
        request = urllib.request.Request(  # http://127.0.0.1 only
            f"http://{HOST}:{self.port}{path}", data=body, headers=headers, method=method
        )
        try:
            with _OPENER.open(request, timeout=60) as response:
                status, raw_headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, raw_headers, content = error.code, error.headers, error.read()
        for line in raw_headers.get_all("Set-Cookie") or []:
            match = _COOKIE.match(line)
            if match and match.group(2).strip('"'):
                self.cookies[match.group(1)] = match.group(2).strip('"')
            elif match:  # emptied: the server deletes it
                self.cookies.pop(match.group(1), None)
        return Response(int(status), dict(raw_headers.items()), content.decode("utf-8", "replace"))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Response:
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, data)

    def sign_in(
        self, email: str, password: str, totp_code: Callable[[], str] | None = None
    ) -> None:
        """Sign in with the real forms: password, then the second factor if one is given.

        `totp_code` is called just before the code is posted: a code read before the password
        step may belong to a period that has ended by then.
        """
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        if response.status != 302:
            raise AssertionError(f"the sign-in answered {response.status}")
        if totp_code is not None:
            response = self.post("/accounts/2fa/authenticate/", {"code": totp_code()})
            if response.status != 302:
                raise AssertionError(f"the second factor answered {response.status}")
        # A page for signed-in people only: answered, not redirected to a sign-in step.
        check = self.get("/notifications/")
        if check.status != 200:
            raise AssertionError(
                f"not signed in: {check.status} to {check.headers.get('Location', '')}"
            )
