"""The read replica (DATABASE_REPLICA_URL): public pages read from it, everything else does not.

Two real PostgreSQL databases: the suite's test database is the primary, and a second one with
the same schema (config/settings/test.py) is the replica. `_replicate` plays streaming
replication catching up; a write on the primary afterwards is the lag every replica has, which
is how each test tells which database a page was read from.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.core import db_router
from maillage.core.db_router import PIN_COOKIE, REPLICA_PAGES, ReplicaRouter
from maillage.health_info.models import ArticleVersion
from maillage.health_info.tests.factories import published_article
from maillage.profiles.models import DoctorProfile
from maillage.profiles.tests.conftest import make_doctor, towns  # noqa: F401  # fixtures

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases={"default", "replica"}),
]

FIRST_TITLE = "Fièvre chez le nourrisson"
# The tables the public pages show: articles, profiles, practices, communes.
PAGE_CONTENT = re.compile(r'"(health_info|profiles|directory|core)_')
REVISED_TITLE = "Température du bébé : les signes à surveiller"


@pytest.fixture(autouse=True)
def _router_on(settings: Any) -> None:
    """What config/settings/base.py does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["maillage.core.db_router.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("maillage.core.middleware.RequestIdMiddleware") + 1,
        "maillage.core.db_router.ReplicaMiddleware",
    )
    settings.MIDDLEWARE = middleware
    # Where each page reads is what these tests watch: a visit served whole from the public
    # page cache (maillage.core.public_cache) reads no database at all.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def _replicate() -> None:
    """The replica catches up: every table of the primary copied over, in one transaction."""
    primary, replica = connections["default"], connections["replica"]
    tables = [
        primary.ops.quote_name(table)
        for table in sorted(primary.introspection.django_table_names(only_existing=True))
    ]
    with primary.cursor() as source:
        source.execute(
            # Table names from Django's introspection, quoted: no outside input.
            " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables)  # noqa: S608
        )
        filled = [row[0] for row in source.fetchall()]
    with transaction.atomic(using="replica"), replica.cursor() as target:
        target.execute(f"TRUNCATE {', '.join(tables)}")
        with primary.cursor() as source:
            for table in filled:
                # Foreign keys are deferred to the commit: the tables may come in any order.
                with (
                    source.cursor.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as rows_out,
                    target.cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as rows_in,
                ):
                    for block in rows_out:
                        rows_in.write(block)


@pytest.fixture
def lagging_article() -> str:
    """An article the replica has in its first version, revised on the primary since."""
    version = published_article(slug="fievre-enfant", title=FIRST_TITLE)
    _replicate()
    ArticleVersion.objects.filter(pk=version.pk).update(title=REVISED_TITLE)
    return reverse("health_info:article", args=["fievre-enfant"])


def _title_seen(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    assert (FIRST_TITLE in page) != (REVISED_TITLE in page), "one version of the article"
    return REVISED_TITLE if REVISED_TITLE in page else FIRST_TITLE


def test_a_public_page_reads_from_the_replica(client: Client, lagging_article: str) -> None:
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(lagging_article)

    assert response.status_code == 200
    assert FIRST_TITLE in response.content.decode()  # the replica's copy, not the primary's
    assert len(on_replica.captured_queries) > 0
    assert on_primary.captured_queries == []
    assert PIN_COOKIE not in response.cookies
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.head(lagging_article).status_code == 200
    assert len(on_replica.captured_queries) > 0


def test_every_replica_page_reads_the_replica_only_and_writes_nothing(
    client: Client,
    make_doctor: Callable[..., User],  # noqa: F811  # the fixture imported above
) -> None:
    # given a published article and a published doctor's profile, replicated
    published_article(slug="angine", title="Angine", keywords=("gorge",))
    doctor = make_doctor(town="nancy")
    slug = DoctorProfile.objects.get(doctor=doctor).slug
    _replicate()
    client.force_login(make_doctor(town="metz"))  # signed in: the header reads more
    client.cookies.pop(PIN_COOKIE, None)
    pages = [
        reverse("health_info:library"),
        reverse("health_info:library") + "?q=gorge",
        reverse("health_info:article", args=["angine"]),
        reverse("profiles:directory") + "?specialite=cardiologie&commune=Nancy&rayon=25",
        reverse("profiles:profile", args=[slug]),
    ]

    for url in pages:
        # when each is read
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(url)

        # then its content came from the replica; the primary saw only the sign-in state
        # (read by the middlewares before the view, and the session saved again)
        assert response.status_code == 200, url
        assert len(on_replica.captured_queries) > 0, url
        on_primary_sql = [query["sql"] for query in on_primary.captured_queries]
        assert [sql for sql in on_primary_sql if PAGE_CONTENT.search(sql)] == [], url
        writes = [sql for sql in on_primary_sql if sql.split()[0] in {"INSERT", "UPDATE", "DELETE"}]
        assert all('"django_session"' in sql for sql in writes), writes
        assert PIN_COOKIE not in response.cookies, url


def test_after_a_post_the_same_browser_reads_from_the_primary(
    client: Client, patient: User, lagging_article: str
) -> None:
    # given a signed-in patient reading the article from the replica
    client.force_login(patient)
    assert _title_seen(client, lagging_article) == FIRST_TITLE

    # when they post a form (here: the interface language, written on their account)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        posted = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert posted.status_code == 302
    assert on_replica.captured_queries == []
    assert posted.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS

    # then their next pages read from the primary, which has the revised article
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert _title_seen(client, lagging_article) == REVISED_TITLE
    assert on_replica.captured_queries == []

    # while another browser, which wrote nothing, still reads the replica
    assert _title_seen(Client(), lagging_article) == FIRST_TITLE
    # and so does this one once the pin has expired
    client.cookies[PIN_COOKIE] = "1.0"
    assert _title_seen(client, lagging_article) == FIRST_TITLE


def test_an_audited_page_stays_on_the_primary(client: Client, patient: User) -> None:
    # given the replica has caught up with a patient's record, and the router is on
    client.force_login(patient)
    _replicate()
    url = reverse("records:timeline", args=[patient.public_id])
    before = AuditEvent.objects.count()

    # when the patient opens their record timeline, whose reading is audited
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(url)

    # then nothing was read from the replica, and the audit event is on the primary
    assert response.status_code == 200
    assert on_replica.captured_queries == []
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.using("replica").count() == before
    # an audit event is not a change of the patient's own: their public pages stay on the replica
    assert PIN_COOKIE not in response.cookies


def test_writes_transactions_and_migrations_use_the_primary() -> None:
    router = ReplicaRouter()
    state = db_router.RequestDatabases(replica_allowed=True)
    token = db_router._current.set(state)
    try:
        assert router.db_for_read(ArticleVersion) == "replica"
        assert router.db_for_read(Session) == "default"  # sign-in state: never a lagging copy
        assert router.db_for_read(AuditEvent) == "default"
        with transaction.atomic():
            assert router.db_for_read(ArticleVersion) == "default"
            assert router.db_for_write(ArticleVersion) == "default"
        assert state.wrote
        # once the request has written, its later reads see that write
        assert router.db_for_read(ArticleVersion) == "default"
    finally:
        db_router._current.reset(token)
    assert router.db_for_read(ArticleVersion) == "default"  # outside a request: tasks, sockets
    assert router.allow_migrate("default", "health_info") is True
    assert router.allow_migrate("replica", "health_info") is False


def _views_by_name(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views_by_name(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _reverse_any(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(name, args=["x"])


@pytest.mark.django_db
def test_every_replica_page_is_public_and_safe_only(client: Client) -> None:
    views = dict(_views_by_name(get_resolver().url_patterns))

    for name in REPLICA_PAGES:
        assert getattr(views[name], "login_required", True) is False, name  # public
        # @require_safe: a form posted to it is refused before the view reads anything.
        assert client.post(_reverse_any(name), {}).status_code == 405, name


@pytest.mark.django_db
def test_production_settings_switch_the_replica_on(tmp_path: Path) -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['replica']['NAME'], s.DATABASE_ROUTERS, "
        "'maillage.core.db_router.ReplicaMiddleware' in s.MIDDLEWARE, "
        "s.DATABASES['replica']['OPTIONS']]))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MAILLAGE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "a-production-secret-key-of-reasonable-length-0123456789",
        "ALLOWED_HOSTS": "maillage.example.fr",
        "SITE_URL": "https://maillage.example.fr",
        "DATABASE_URL": "postgres://maillage@db-primary.internal:5432/maillage",
        "DATABASE_REPLICA_URL": "postgres://maillage@db-replica.internal:5432/maillage",
    }
    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout) == [
        "maillage",
        ["maillage.core.db_router.ReplicaRouter"],
        True,
        {"options": "-c default_transaction_read_only=on"},
    ]
