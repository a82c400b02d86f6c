"""The files of deploy/ work: the environment passes Django's deployment checks, every variable
in it is one the settings read, and systemd accepts the units."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "maillage.env.example"
# Read by something else than our settings: Django itself, and libpq.
EXTERNAL = {"DJANGO_SETTINGS_MODULE", "PGPASSFILE"}


def _example() -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return {name.strip(): value.strip() for name, value in pairs}


def test_every_variable_of_the_example_is_read_by_the_settings() -> None:
    source = (ROOT / "config" / "settings" / "base.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int|list|json|secret)\(\s*"([A-Z0-9_]+)"', source))
    secrets_read = set(re.findall(r'env_secret\(\s*"([A-Z0-9_]+)"', source))

    for name in _example():
        if name in EXTERNAL:
            continue
        if name.endswith("_FILE"):
            assert name.removesuffix("_FILE") in secrets_read, name
        else:
            assert name in read, name


def test_coturn_takes_time_limited_credentials_and_ships_no_secret() -> None:
    # coturn checks the credentials Maillage mints (maillage/teleconsultation/turn.py); the shared
    # secret is appended at install time from Maillage's secret file, never committed here.
    directives = {
        line.split("=", 1)[0].strip()
        for line in (DEPLOY / "coturn" / "turnserver.conf").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert "use-auth-secret" in directives
    assert not directives & {"static-auth-secret", "lt-cred-mech", "user"}
    example = _example()
    assert "TURN_URLS" in example
    assert "TURN_SHARED_SECRET_FILE" in example
    assert "credential" not in example.get("WEBRTC_ICE_SERVERS", "")


def test_the_example_environment_passes_the_deployment_checks(tmp_path: Path) -> None:
    # given the example, with its files on this machine
    env = {**_example(), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for name in ("SECRET_KEY_FILE", "EMAIL_HOST_PASSWORD_FILE", "TURN_SHARED_SECRET_FILE"):
        secret = tmp_path / name.lower()
        secret.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        env[name] = str(secret)
    for name in ("MAILLAGE_VAR_DIR", "MEDIA_ROOT", "PRIVATE_ROOT", "STATIC_ROOT"):
        env[name] = str(tmp_path / name.lower())

    # when Django checks the deployment with them
    result = subprocess.run(  # our own interpreter, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # then nothing is reported
    assert result.returncode == 0, result.stderr[-3000:]


def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("MAILLAGE_REQUIRE_ALL") == "1":
            pytest.fail("MAILLAGE_REQUIRE_ALL=1 forbids skipping: needs systemd-analyze")
        pytest.skip("needs systemd-analyze (systemd)")
    # given the units, pointed at this checkout instead of /srv/maillage
    env_file = tmp_path / "maillage.env"
    env_file.write_text("", encoding="utf-8")
    venv = Path(sys.executable).parent.parent
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/srv/maillage/venv", str(venv)).replace("/srv/maillage/app", str(ROOT))
        text = text.replace("/etc/maillage/maillage.env", str(env_file))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    names = [
        "maillage-migrate.service",
        "maillage-pages@8001.service",
        "maillage-sockets@8101.service",
        "maillage-tasks@1.service",
        "maillage-scheduler.service",
        "maillage.target",
    ]

    # when systemd verifies them
    result = subprocess.run(  # noqa: S603  # a system tool, fixed arguments
        [analyze, "verify", *(f"./{name}" for name in names)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # then it finds every command and understands every setting (no "ignoring")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


NGINX_MAIN = """
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/maillage.conf;
}}
"""


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        # Not installed by .ci/run: checked by hand with Debian's nginx-light (nginx -t).
        pytest.skip("needs nginx (apt-get install nginx-light)")
    # given the site, with a throw-away certificate and logs in a temporary directory
    subprocess.run(  # noqa: S603  # a system tool, fixed arguments
        [
            "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=maillage.example.fr",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "maillage.conf").read_text(encoding="utf-8")
    live = "/etc/letsencrypt/live/maillage.example.fr"
    site = site.replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace(f"{live}/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    site = site.replace("/var/cache/nginx/", f"{tmp_path}/")
    (tmp_path / "maillage.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(dir=tmp_path), encoding="utf-8")

    # when nginx tests its configuration
    result = subprocess.run(  # noqa: S603  # a system tool, fixed arguments
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then it accepts it
    assert result.returncode == 0, result.stderr
