"""Measure each key page's server cost one request at a time, in-process (issue 10).

    .venv/bin/python -m bench.profile_pages                      # every page, 50 requests each
    .venv/bin/python -m bench.profile_pages --generate           # load the small scale first
    .venv/bin/python -m bench.profile_pages --only "case list" --profile   # cProfile, top 30
    .venv/bin/python -m bench.profile_pages --only "case list" --sql       # its queries
    .venv/bin/python -m bench.profile_pages --only "territory dashboard" --cold  # rebuilt each time

wrk's figures move with whatever else runs on the machine; CPU time spent by this process on
one request does not (much). So each page of `bench.run.key_pages`, as its role, goes through
Django's test client on the production settings (`bench.env`), warmed up, then `--requests`
times: the median CPU (`time.process_time`) and wall milliseconds, and the queries of one
request. Wall includes PostgreSQL's and Redis's share; CPU is this process's alone.

The database and Redis index come from `--database`/`--redis` (or BENCH_DB_NAME and
BENCH_REDIS_URL), so that several people can measure on one machine without sharing data.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench import env as bench_env


@dataclass
class Figures:
    name: str
    role: str
    status: int
    cpu_ms: float
    wall_ms: float
    queries: int
    size_kb: float


def use_database(name: str, redis_url: str) -> None:
    """Point `bench.env` (hence the generator and the settings) at `name` and `redis_url`."""
    bench_env.DB_NAME = name
    bench_env.DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{name}"
    bench_env.REDIS_URL = redis_url


def request(client: Any, path: str, headers: dict[str, str]) -> Any:
    return client.get(path.replace(" ", "%20"), headers=headers)


def measure(page: Any, *, requests: int, warmup: int, cold: bool = False) -> Figures:
    """Median CPU and wall of `requests` requests; `cold` empties the cache before each."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import PROXY_HEADERS

    client = Client()
    headers = {**PROXY_HEADERS, **page.headers}
    for _ in range(warmup):
        request(client, page.path, headers)
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(requests):
        if cold:
            cache.clear()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        request(client, page.path, headers)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = request(client, page.path, headers)
    return Figures(
        name=page.name,
        role=page.role,
        status=response.status_code,
        cpu_ms=statistics.median(cpu) * 1000,
        wall_ms=statistics.median(wall) * 1000,
        queries=len(captured.captured_queries),
        size_kb=len(response.content) / 1024,
    )


def profile(page: Any, *, requests: int, top: int) -> str:
    from django.test import Client

    from bench.run import PROXY_HEADERS

    client = Client()
    headers = {**PROXY_HEADERS, **page.headers}
    request(client, page.path, headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        request(client, page.path, headers)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def queries(page: Any) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import PROXY_HEADERS

    client = Client()
    headers = {**PROXY_HEADERS, **page.headers}
    request(client, page.path, headers)
    with CaptureQueriesContext(connection) as captured:
        request(client, page.path, headers)
    return "\n".join(f"{q['time']:>6}s  {q['sql']}" for q in captured.captured_queries)


def table(rows: list[Figures], ceiling_cpu_ms: float | None = None) -> str:
    # CPU per request swells with the machine's other load (shared caches and cores): the
    # ratio to the ceiling's, measured in the same run, moves much less between runs.
    lines = [
        "| page | role | CPU ms | CPU / ceiling | wall ms | queries | kB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        status = "" if r.status == 200 else f" ({r.status})"
        ratio = f"{r.cpu_ms / ceiling_cpu_ms:.0f}" if ceiling_cpu_ms else "—"
        lines.append(
            f"| {r.name}{status} | {r.role} | {r.cpu_ms:.1f} | {ratio} | {r.wall_ms:.1f} "
            f"| {r.queries} | {r.size_kb:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DB_NAME", bench_env.DB_NAME))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", bench_env.REDIS_URL))
    parser.add_argument("--generate", action="store_true", help="load the small scale first")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", action="append", help="a page name (repeatable)")
    parser.add_argument("--profile", action="store_true", help="cProfile the pages instead")
    parser.add_argument("--sql", action="store_true", help="print one request's queries")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the cache before each request (the territory's snapshot is rebuilt each time)",
    )
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)

    use_database(args.database, args.redis)
    if args.generate:
        from bench import generate

        generate.main(["--scale", "small"])
    env = bench_env.bench_environ()
    # The production settings serve hashed static names: the manifest must exist, as in run.py.
    subprocess.run(  # noqa: S603
        [bench_env.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=bench_env.ROOT,
        env=env,
        check=True,
    )
    bench_env.apply(env)
    import django

    django.setup()
    from bench.run import Page, key_pages

    # The ceiling, as in run.py: a trivial view through the same middleware.
    everything = [Page("ceiling /healthz", "/healthz", "anonymous"), *key_pages()]
    pages = [p for p in everything if not args.only or p.name in args.only]
    if args.profile or args.sql:
        for page in pages:
            sys.stdout.write(f"== {page.name} ({page.path})\n")
            if args.sql:
                sys.stdout.write(queries(page) + "\n")
            if args.profile:
                sys.stdout.write(profile(page, requests=args.requests, top=args.top))
        return 0
    rows = []
    ceiling: float | None = None
    for page in pages:
        rows.append(measure(page, requests=args.requests, warmup=args.warmup, cold=args.cold))
        if page.path == "/healthz":
            ceiling = rows[-1].cpu_ms
        sys.stdout.write(table(rows[-1:], ceiling).splitlines()[-1] + "\n")
        sys.stdout.flush()
    sys.stdout.write("\n" + table(rows, ceiling) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
