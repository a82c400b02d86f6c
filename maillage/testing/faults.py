"""Private PostgreSQL and Redis servers, and the production topology on them, for fault tests.

The fault tests stop, restart and kill servers: never the shared ones. Each test gets its own
PostgreSQL cluster (a copy of one migrated once per session) and its own Redis, on free ports,
and runs the processes of "Running at scale" (README) against them: granian WSGI for pages,
uvicorn for websockets, `db_worker` for tasks and `run_scheduler`. The test process never
touches these databases through Django's ORM (pytest-django owns that): it reads them with
plain SQL and seeds them with `seed`, run in a subprocess with the servers' environment.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.mail.backends import filebased

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
DB_NAME = "maillage"
# The reverse proxy of "Running at scale" terminated TLS and said so.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class FileEmailBackend(filebased.EmailBackend):
    """Django's file backend, its directory from the environment (settings do not read one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("file_path", os.environ["FAULTS_MAIL_DIR"])
        super().__init__(*args, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll until `condition` holds; fail the test with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception as error:  # the server under test may be restarting: poll on
            last_error = error
        time.sleep(0.2)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what} (last error: {last_error!r})")


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        pytest.fail("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return versions[-1].parent


def _as_postgres_user() -> list[str]:
    # initdb and postgres refuse to run as root: drop to the postgres account when we are root.
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _private_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


@dataclass
class PrivatePostgres:
    """One PostgreSQL cluster in a temporary directory, listening on a free port."""

    data_dir: Path
    port: int = field(default_factory=free_port)

    def _ctl(self, *args: str, check: bool = True) -> None:
        command = [
            *_as_postgres_user(),
            str(_pg_bin() / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data_dir / "server.log"),
            *args,
        ]
        subprocess.run(command, check=check, capture_output=True)  # noqa: S603

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data_dir} -c listen_addresses={HOST} -c fsync=off"
        self._ctl("-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop", check=False)

    def url(self, name: str = DB_NAME) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def connect(self, name: str = DB_NAME) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.url(name).replace("postgres://", "postgresql://"))

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params: Any) -> Any:
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None


@dataclass
class PrivateRedis:
    """A redis-server without persistence: stopping it loses everything, as a crash would."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self._answers, seconds=20, what="the private Redis")

    def _answers(self) -> bool:
        with socket.create_connection((HOST, self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # as a crash: no save, connections cut
            self.process.wait(timeout=10)
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"


def environment(
    postgres: PrivatePostgres, redis: PrivateRedis | None, var_dir: Path, **extra: str
) -> dict[str, str]:
    """Production settings (`config.settings.base` plus the environment) on the private servers."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MAILLAGE_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=postgres.url(),
        SECRET_KEY="faults-" + secrets.token_urlsafe(32),
        ALLOWED_HOSTS=f"{HOST},testserver",
        SITE_URL=f"https://{HOST}",
        BEHIND_TLS_PROXY="1",
        HDS_HOSTING_DECLARATION="fault tests",
        MAILLAGE_VAR_DIR=str(var_dir),
        EMAIL_BACKEND="maillage.testing.faults.FileEmailBackend",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    if redis is not None:
        env["REDIS_URL"] = redis.url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_seed(env: dict[str, str], function: str, **kwargs: Any) -> Any:
    """Call `maillage.testing.fault_seeds.<function>(**kwargs)` in the servers' environment."""
    code = (
        "import django, json, sys; django.setup(); "
        "from maillage.testing import fault_seeds; "
        f"print(json.dumps(fault_seeds.{function}(**json.loads(sys.argv[1]))))"
    )
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", code, json.dumps(kwargs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"seed {function} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Topology:
    """The processes of "Running at scale", each in its own session so it can be killed alone."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_pages(self, *, workers: int = 2) -> str:
        port = free_port()
        self.ports["pages"] = port
        self._spawn(
            "pages",
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--host",
                HOST,
                "--port",
                str(port),
                "--no-ws",
                "--log-level",
                "warning",
            ],
        )
        base = f"http://{HOST}:{port}"
        wait_for(lambda: _status(f"{base}/healthz") == 200, seconds=90, what="granian")
        return base

    def start_sockets(self) -> str:
        port = free_port()
        self.ports["sockets"] = port
        self._spawn(
            "sockets",
            [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                HOST,
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--proxy-headers",
            ],
        )
        base = f"http://{HOST}:{port}"
        wait_for(lambda: _status(f"{base}/healthz") == 200, seconds=90, what="uvicorn")
        return base

    def start_worker(self, name: str = "worker") -> subprocess.Popen[bytes]:
        return self._spawn(
            name,
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
        )

    def start_scheduler(self) -> subprocess.Popen[bytes]:
        return self._spawn("scheduler", [PYTHON, "manage.py", "run_scheduler"])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)  # the process we started, and its own children
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name in list(self.processes):
            process = self.processes.pop(name)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )


def _status(url: str) -> int:
    import httpx

    return httpx.get(url, headers=PROXY_HEADERS, timeout=5).status_code


# --- pytest fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_cluster() -> Iterator[Path]:
    """A PostgreSQL data directory with the schema migrated, stopped; copied by each test."""
    data_dir = _private_dir("maillage-faults-template-")
    cluster = data_dir / "data"
    subprocess.run(  # noqa: S603
        [
            *_as_postgres_user(),
            str(_pg_bin() / "initdb"),
            "-D",
            str(cluster),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    server = PrivatePostgres(cluster)
    server.start()
    try:
        with psycopg.connect(
            server.url("postgres").replace("postgres://", "postgresql://"), autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")
        var_dir = Path(tempfile.mkdtemp(prefix="maillage-faults-var-"))
        env = environment(server, None, var_dir)
        manage(env, "migrate", "--noinput", "-v0", timeout=600)
        # Production settings serve fingerprinted static files: pages need the manifest.
        manage(env, "collectstatic", "--noinput", "-v0", timeout=600)
        shutil.rmtree(var_dir, ignore_errors=True)
    finally:
        server.stop()
    yield cluster
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def private_postgres(migrated_cluster: Path) -> Iterator[PrivatePostgres]:
    """A clean, migrated PostgreSQL of this test's own, started; removed afterwards."""
    home = _private_dir("maillage-faults-pg-")
    cluster = home / "data"
    subprocess.run(  # noqa: S603
        [*_as_postgres_user(), "cp", "-a", str(migrated_cluster), str(cluster)], check=True
    )
    server = PrivatePostgres(cluster)
    server.start()
    yield server
    server.stop("immediate")
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def topology_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="maillage-faults-"))
    (path / "logs").mkdir()
    (path / "mail").mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start_topology(
    postgres: PrivatePostgres, redis: PrivateRedis | None, directory: Path, **extra: str
) -> Topology:
    env = environment(
        postgres,
        redis,
        directory / "var",
        FAULTS_MAIL_DIR=str(directory / "mail"),
        **extra,
    )
    return Topology(env=env, log_dir=directory / "logs")


def sent_mail(directory: Path) -> list[str]:
    """The messages the file e-mail backend wrote, one file each."""
    return [path.read_text(errors="replace") for path in sorted((directory / "mail").glob("*"))]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("fixtures only: see maillage/operations/tests/faults/")
