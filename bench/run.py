"""Drive the production topology over the key pages of every journey, each as its role.

    .venv/bin/python -m bench.run --seconds 3        # after `python -m bench.generate`

Starts granian WSGI page workers and a task worker against `maillage_bench` and Redis, signs
the roles in up front (session cookies and a FHIR bearer token written as the real sign-in
would write them), then loads each page with wrk (32 connections) and, in the same run, the
ceiling: `/healthz` on the same servers. Queries per request come from one instrumented
request per page through Django's test client on the same database. Prints a table, writes
JSON under bench/results/, and exits non-zero if any page failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import env as bench_env

LUA = Path(__file__).with_name("report.lua")
RESULTS = Path(__file__).with_name("results")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # the reverse proxy terminated TLS


@dataclass
class Page:
    name: str
    path: str
    role: str
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 0
    client_status: int = 0  # of the instrumented request through the test client
    queries: int = 0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    ratio: float = 0.0


def sign_in(user: Any) -> str:
    """A session cookie for `user`, as a complete sign-in leaves it (second factor included)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    if user.requires_mfa:
        # The session must have used a second factor (docs/architecture.md), as after TOTP.
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "mfa", "type": "totp", "at": time.time()}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def bearer_token(user: Any) -> str:
    """A FHIR token as django-oauth-toolkit stores it after the authorization code flow."""
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    app, _ = Application.objects.get_or_create(
        client_id="bench",
        defaults={
            "name": "Banc d'essai",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "https://bench.invalid/callback",
            "algorithm": "",
        },
    )
    raw = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        user=user,
        application=app,
        token=raw,
        scope="user/*.read",
        expires=timezone.now() + timedelta(hours=2),
    )
    return raw


def key_pages() -> list[Page]:
    """The pages of every journey, each with the cookie or token of the role that uses it."""
    from maillage.accounts.models import Role, User
    from maillage.cases.models import Case
    from maillage.communities.models import Member, Thread
    from maillage.consultations.models import OnlineRequest
    from maillage.directory.models import TreatingDoctorDeclaration
    from maillage.health_info.models import Article
    from maillage.profiles.models import DoctorProfile

    gp = User.objects.filter(role=Role.GP).order_by("id").first()
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    declaration = TreatingDoctorDeclaration.objects.filter(doctor=gp).order_by("id").first()
    if gp is None or coordinator is None or declaration is None:
        raise SystemExit(f"{bench_env.DB_NAME} is empty: run `python -m bench.generate` first")
    patient = declaration.patient
    request = OnlineRequest.objects.filter(patient=patient).order_by("id").first()
    case = Case.objects.filter(status=Case.Status.PUBLISHED).order_by("id").first()
    member = Member.objects.get(user=patient)
    thread = Thread.objects.filter(community__in=member.communities.all()).order_by("id").first()
    article = Article.objects.filter(current_version__isnull=False).order_by("slug").first()
    profile = (
        DoctorProfile.objects.filter(status=DoctorProfile.Status.PUBLISHED)
        .exclude(specialty="medecine-generale")
        .select_related("published_version__practice__commune")
        .order_by("id")
        .first()
    )
    # Generated data: each of these exists (bench.generate).
    assert request is not None  # noqa: S101
    assert case is not None  # noqa: S101
    assert thread is not None  # noqa: S101
    assert article is not None  # noqa: S101
    assert profile is not None  # noqa: S101
    version = profile.published_version
    assert version is not None  # noqa: S101
    assert version.practice is not None  # noqa: S101
    commune = version.practice.commune.name

    as_gp = {"Cookie": sign_in(gp)}
    as_patient = {"Cookie": sign_in(patient)}
    as_coordinator = {"Cookie": sign_in(coordinator)}
    bearer = {"Authorization": f"Bearer {bearer_token(gp)}"}
    return [
        # The floor of every personal page: a signed-in page with no content of its own (the
        # benchmark writes no notification), beside the ceiling's /healthz.
        Page("signed-in floor", "/notifications/", "patient", as_patient),
        Page("health search", "/sante/?q=fi%C3%A8vre", "anonymous"),
        Page("article", f"/sante/{article.slug}/", "anonymous"),
        Page(
            "directory search",
            # Encoded: a commune's name may carry accents (Château-Salins at the large scale).
            "/medecins/?" + urlencode({"specialite": profile.specialty, "commune": commune}),
            "anonymous",
        ),
        Page("profile", f"/medecins/{profile.slug}/", "anonymous"),
        Page("request queue", "/cabinet/demandes/", "gp", as_gp),
        Page("patient request", f"/demandes/{request.public_id}/", "patient", as_patient),
        Page("case list", "/cas/", "gp", as_gp),
        Page("case page", f"/cas/{case.public_id}/", "gp", as_gp),
        Page("community thread", f"/communautes/fil/{thread.public_id}/", "patient", as_patient),
        Page("record timeline", f"/dossier/{patient.public_id}/", "patient", as_patient),
        Page("FHIR Encounter search", f"/fhir/Encounter?patient={patient.public_id}", "gp", bearer),
        Page("doctor dashboard", "/tableaux/activite/", "gp", as_gp),
        Page("territory dashboard", "/tableaux/territoire/", "coordinator", as_coordinator),
    ]


def count_queries(page: Page) -> tuple[int, int]:
    """Status and number of queries of one request through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {**PROXY_HEADERS, **page.headers}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path.replace(" ", "%20"), headers=headers)
    return response.status_code, len(captured.captured_queries)


def start_servers(env: dict[str, str], *, port: int, workers: int) -> list[subprocess.Popen[bytes]]:
    logs = RESULTS / "servers.log"
    out = logs.open("ab")
    pages = subprocess.Popen(  # noqa: S603
        [
            str(bench_env.ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--host",
            bench_env.HOST,
            "--port",
            str(port),
            "--no-ws",
            # As deploy/systemd/maillage-pages@.service: four threads a worker, each keeping
            # one database connection (CONN_MAX_AGE). granian's default spawns threads on
            # demand, and under wrk they outgrew PostgreSQL's 100 connections.
            "--blocking-threads",
            "4",
            "--backpressure",
            "16",
            "--log-level",
            "warning",
        ],
        cwd=bench_env.ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    tasks = subprocess.Popen(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        cwd=bench_env.ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(f"http://{bench_env.HOST}:{port}/healthz", {})
            return [pages, tasks]
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    stop_servers([pages, tasks])
    raise SystemExit(f"granian did not answer on port {port}: see {logs}")


def stop_servers(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        # Each server leads its own session: its workers go with it, nothing else does.
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect (to the sign-in or the second-factor page) is a failure here, not a detour.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict[str, str], *, timeout: float = 10) -> int:
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, **headers})  # noqa: S310
    try:
        with OPENER.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError:
        # A page slower than that is an error of its row (status 0), not the end of the run.
        return 0


def wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int) -> dict[str, Any]:
    # A slow page is a figure, not a failure: wrk's 2 s timeout would hide its latency.
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(LUA)]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    figures: dict[str, Any] = json.loads(match.group(1))
    return figures


def measure(page: Page, base: str, *, seconds: int, connections: int) -> None:
    url = base + page.path.replace(" ", "%20")
    page.status = fetch(url, page.headers)
    figures = wrk(url, page.headers, seconds=seconds, connections=connections)
    page.requests_per_s = figures["requests"] / (figures["duration_us"] / 1_000_000)
    page.p50_ms, page.p95_ms, page.p99_ms = (figures[k] / 1000 for k in ("p50", "p95", "p99"))
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    wrong = (page.status != 200) + (page.client_status not in (0, 200))
    page.errors = socket_errors + figures["status"] + wrong


def table(pages: list[Page], ceiling: float) -> str:
    lines = [
        f"{'page':24} {'role':11} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'queries':>7} {'ceiling':>7}"
    ]
    for p in pages:
        lines.append(
            f"{p.name:24} {p.role:11} {p.requests_per_s:8.0f} {p.p50_ms:7.1f} {p.p95_ms:7.1f} "
            f"{p.p99_ms:7.1f} {p.errors:6d} {p.queries:7d} {p.ratio:7.1%}"
        )
    lines.append(f"ceiling (/healthz): {ceiling:.0f} req/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="granian WSGI workers")
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--scale", default="small", help="recorded in the JSON file name")
    args = parser.parse_args(argv)
    started = time.monotonic()

    env = bench_env.bench_environ()
    bench_env.apply(env)
    subprocess.run(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=bench_env.ROOT,
        env=env,
        check=True,
    )
    import django

    django.setup()
    from bench import ws

    pages = key_pages()
    for page in pages:
        page.client_status, page.queries = count_queries(page)
    from django.db import connections

    connections.close_all()

    servers = start_servers(env, port=args.port, workers=args.workers)
    base = f"http://{bench_env.HOST}:{args.port}"
    try:
        ceiling_page = Page("ceiling /healthz", "/healthz", "anonymous")
        wrk(base + "/healthz", {}, seconds=1, connections=args.connections)  # warm-up
        measure(ceiling_page, base, seconds=args.seconds, connections=args.connections)
        for page in pages:
            # Each worker's caches; at the large scale a cold page may take many seconds.
            fetch(base + page.path.replace(" ", "%20"), page.headers, timeout=120)
            measure(page, base, seconds=args.seconds, connections=args.connections)
            # As it goes: a large run takes minutes, and its first rows tell whether to wait.
            print(table([page], 0.0).splitlines()[1], flush=True)  # noqa: T201
        ceiling_after = Page("ceiling /healthz (after)", "/healthz", "anonymous")
        measure(ceiling_after, base, seconds=args.seconds, connections=args.connections)
        workers_rss_mb = ws.children_rss_mb(servers[0].pid)  # granian's WSGI workers, warm
    finally:
        stop_servers(servers)
    # Websockets on their own ASGI server, once the page servers are gone (bench/ws.py).
    websockets = ws.run(env, scale=args.scale, port=args.port + 1)

    # The ceiling drifts with the machine's other load: the mean of before and after.
    ceiling = (ceiling_page.requests_per_s + ceiling_after.requests_per_s) / 2
    for page in pages:
        page.ratio = page.requests_per_s / ceiling if ceiling else 0.0
    sys.stdout.write(table(pages, ceiling) + "\n")
    sys.stdout.write(f"WSGI workers' RSS: {workers_rss_mb} MB\n" + websockets.table() + "\n")
    elapsed = time.monotonic() - started
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"{args.scale}-{stamp}.json"
    report = {
        "scale": args.scale,
        "at": stamp,
        "server": f"granian --interface wsgi --workers {args.workers}",
        "load": f"wrk -t2 -c{args.connections} -d{args.seconds}s",
        "cores": os.cpu_count(),
        "ceiling": [asdict(ceiling_page), asdict(ceiling_after)],
        "pages": [{k: v for k, v in asdict(p).items() if k != "headers"} for p in pages],
        "wsgi_workers_rss_mb": workers_rss_mb,
        "websockets": websockets.as_json(),
        "elapsed_s": round(elapsed, 1),
    }
    output.write_text(json.dumps(report, indent=2))
    failed = [p.name for p in [ceiling_page, ceiling_after, *pages] if p.errors]
    failed += websockets.failures
    sys.stdout.write(f"{output.relative_to(bench_env.ROOT)} written in {elapsed:.0f} s\n")
    if failed:
        sys.stdout.write(f"FAILED: {', '.join(failed)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
