"""The environment shared by the generator, the servers and the runner: production settings.

Production is `config.settings.base` plus the environment (STYLE §3), so the benchmark sets
only what a deployment would, pointed at its own database and Redis index.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# BENCH_DB_NAME and BENCH_REDIS_URL let several people measure on one machine at once, each
# with a database and a Redis index of their own; unset, the CI's names below.
DB_NAME = os.environ.get("BENCH_DB_NAME", "maillage_bench")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
# Index 7: the test suite uses 5, so a benchmark never flushes the lead's CI cache.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
HOST = "127.0.0.1"


def bench_environ(*, secret_key: str | None = None) -> dict[str, str]:
    """The environment of every benchmark process (one secret per run: sessions are signed)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secret_key or secrets.token_urlsafe(48),
        # "testserver" for the instrumented requests of Django's test client.
        ALLOWED_HOSTS=f"{HOST},testserver",
        SITE_URL=f"https://{HOST}",
        # As behind the reverse proxy of "Running at scale": TLS ends there, which says so.
        BEHIND_TLS_PROXY="1",
        HDS_HOSTING_DECLARATION="benchmark",
        MAILLAGE_VAR_DIR=str(ROOT / "var" / "bench"),
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        # wrk sends thousands of reads a second with one token: the benchmark measures the
        # FHIR search, not the per-token limit (300/m in production, tested on its own).
        RATE_LIMIT_FHIR_READS="1000000/m",
    )
    env.pop("MAILLAGE_EMBEDDED", None)
    return env


def apply(env: dict[str, str]) -> None:
    """Make this process use `env` before Django is set up."""
    os.environ.update(env)
