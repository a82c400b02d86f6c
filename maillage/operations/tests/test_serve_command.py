"""`manage.py serve` (make run): migrate, seed an empty database, then serve.

The server itself binds a port and runs until Ctrl-C: it is replaced by a recorder here (the
browser tests run the real one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.server import EmbeddedServer
from maillage.operations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@dataclass
class RecordingServer(EmbeddedServer):
    served: bool = False

    def __post_init__(self) -> None:
        CREATED.append(self)

    async def serve(self) -> None:
        self.served = True


CREATED: list[RecordingServer] = []


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> list[RecordingServer]:
    CREATED.clear()
    monkeypatch.setattr(
        "maillage.operations.management.commands.serve.EmbeddedServer", RecordingServer
    )
    return CREATED


@pytest.fixture
def serve(capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    """Run the command; return everything it printed (seed_demo prints to the terminal)."""

    def run(*args: str) -> str:
        out = StringIO()
        call_command("serve", *args, stdout=out)
        return capsys.readouterr().out + out.getvalue()

    return run


def test_serve_loads_the_demo_into_an_empty_database_then_serves(
    servers: list[RecordingServer], serve: Callable[..., str]
) -> None:
    output = serve("--port", "8123", "--workers", "2")

    assert User.objects.filter(email="camille.martin@demo.maillage.test").exists()
    assert "Database migrated." in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8123/" in output
    (server,) = servers
    assert (server.host, server.port, server.workers) == ("127.0.0.1", 8123, 2)
    assert server.served
    assert output.rstrip().endswith("Stopped.")


def test_serve_without_demo_leaves_the_database_empty(
    servers: list[RecordingServer], serve: Callable[..., str]
) -> None:
    serve("--no-demo")
    assert not User.objects.exists()
    assert servers[0].served


def test_serve_reminds_the_demo_password_when_the_demo_is_loaded(
    servers: list[RecordingServer], serve: Callable[..., str]
) -> None:
    PatientFactory(email="claire.thiebaut@demo.maillage.test")

    output = serve()

    assert f"Demo accounts present (password {DEMO_PASSWORD})" in output
    assert User.objects.count() == 1


def test_serve_never_loads_the_demo_outside_the_embedded_mode(
    servers: list[RecordingServer], serve: Callable[..., str]
) -> None:
    with override_settings(MAILLAGE_EMBEDDED=False):
        output = serve()
    assert not User.objects.exists()
    assert DEMO_PASSWORD not in output
