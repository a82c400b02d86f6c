"""Production settings (config.settings.base) stop the start on a malformed environment.

Each case starts a fresh interpreter: settings are read once per process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SETUP = "import django; django.setup()"


def _start(env_overrides: dict[str, str | None], var_dir: Path) -> subprocess.CompletedProcess[str]:
    env: dict[str, str | None] = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MAILLAGE_VAR_DIR": str(var_dir),
        "SECRET_KEY": "a-production-secret-key-of-reasonable-length-0123456789",
        "ALLOWED_HOSTS": "maillage.example.fr",
        "SITE_URL": "https://maillage.example.fr",
        **env_overrides,
    }
    return subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env={name: value for name, value in env.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def test_a_well_formed_production_environment_starts(tmp_path: Path) -> None:
    result = _start(
        {
            "DATABASE_URL": "postgres://maillage:secret@db.internal:5432/maillage",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "WEBRTC_ICE_SERVERS": '[{"urls": "stun:turn.example.fr:3478"}]',
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        pytest.param({"SECRET_KEY": None}, "SECRET_KEY", id="secret-key-missing"),
        pytest.param({"SECRET_KEY": ""}, "SECRET_KEY", id="secret-key-empty"),
        pytest.param(
            {"SECRET_KEY": None, "SECRET_KEY_FILE": "/nonexistent/secret"},
            "SECRET_KEY_FILE",
            id="secret-key-file-missing",
        ),
        pytest.param({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS", id="allowed-hosts-missing"),
        pytest.param({"SITE_URL": None}, "SITE_URL", id="site-url-missing"),
        pytest.param({"DATABASE_URL": "mysql://u@db/maillage"}, "DATABASE_URL", id="db-mysql"),
        pytest.param({"DATABASE_URL": "not a url"}, "DATABASE_URL", id="db-no-scheme"),
        pytest.param(
            {"DATABASE_URL": "postgres://u@db:port/maillage"}, "DATABASE_URL", id="db-bad-port"
        ),
        pytest.param(
            {"DATABASE_URL": "postgres://u@db/maillage", "DATABASE_CONN_MAX_AGE": "-5"},
            "DATABASE_CONN_MAX_AGE",
            id="db-conn-max-age",
        ),
        pytest.param({"REDIS_URL": "http://cache:6379/0"}, "REDIS_URL", id="redis-http"),
        pytest.param({"REDIS_URL": "cache:6379"}, "REDIS_URL", id="redis-no-scheme"),
        pytest.param({"WEBRTC_ICE_SERVERS": "[{urls:"}, "WEBRTC_ICE_SERVERS", id="ice-not-json"),
        pytest.param(
            {"WEBRTC_ICE_SERVERS": '{"urls": "stun:turn.example.fr"}'},
            "WEBRTC_ICE_SERVERS",
            id="ice-not-a-list",
        ),
        pytest.param(
            {"WEBRTC_ICE_SERVERS": '[{"username": "u", "credential": "p"}]'},
            "WEBRTC_ICE_SERVERS",
            id="ice-without-urls",
        ),
        pytest.param({"DEBUG": "perhaps"}, "DEBUG", id="debug-not-boolean"),
        pytest.param({"EMAIL_PORT": "smtp"}, "EMAIL_PORT", id="email-port"),
        pytest.param(
            {"OIDC_SERVER_URL": "https://auth.esante.gouv.fr/auth/realms/esante-wallet"},
            "OIDC_CLIENT_ID",
            id="oidc-without-client",
        ),
    ],
)
def test_a_malformed_environment_stops_the_start_naming_the_variable(
    tmp_path: Path, overrides: dict[str, str | None], variable: str
) -> None:
    result = _start(overrides, tmp_path)

    assert result.returncode != 0
    # The exception line itself must name the variable (the traceback's source lines would
    # name it anyway).
    last = _last_line(result.stderr)
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    assert variable in last


def test_production_never_writes_an_embedded_secret_key(tmp_path: Path) -> None:
    result = _start({"SECRET_KEY": None}, tmp_path)
    assert result.returncode != 0
    assert not (tmp_path / "secret_key").exists()
