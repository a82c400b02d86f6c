"""Every page of every role, on the demo territory, in Chromium 360 px wide: axe-core finds no
WCAG 2.1 AA violation (issue 11 asks for none serious or critical; there is none of any impact,
and the sweep keeps it so), nothing overflows the screen, no console error, no broken link, no
request to another host.

The pages are generated, not listed: each role starts from the routes the authorisation matrix
says it may open, then follows every link of every page it sees (one URL per route and role), so
a page with parameters is visited with real objects, the ones its users would click. A route
that no role reaches that way fails the sweep until a page links to it or `NOT_PAGES` says why
it is no page (a file, an API), or `_demo_seeds` opens it.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.operations.demo import build_demo_territory
from maillage.portal.tests.test_authorization_matrix import LOGIN, MATRIX, ROLES
from maillage.testing.browser import BrowserSession, _open_session
from maillage.testing.routes import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo's login of each role of the matrix (operations.demo prints the same list).
DEMO_ROLES = {
    "patient": "Patient",
    "gp": "Médecin généraliste",
    "specialist": "Cardiologue",
    "staff": "Secrétariat (Lamarche)",
    "moderator": "Modératrice",
    "editor": "Éditeur",
    "coordinator": "Coordinatrice CPTS",
    "operator": "Opérateur",
}
# Routes that answer with something else than a page: files, images, JSON, redirections that
# only exist as a form's target. Nothing to check with axe there.
NOT_PAGES = {
    "api:openapi": "JSON",
    "cases:image": "image",
    "communities:image": "image",
    "consultations:attachment": "file",
    "dashboards:doctor_csv": "CSV",
    "dashboards:export": "CSV",
    "dashboards:territory_csv": "CSV",
    "expertise:attachment": "file",
    "fhir_api:everything": "FHIR JSON (bearer token)",
    "fhir_api:metadata": "FHIR JSON",
    "fhir_api:read": "FHIR JSON (bearer token)",
    "fhir_api:search": "FHIR JSON (bearer token)",
    "fhir_api:smart_configuration": "JSON",
    "portal:healthz": "JSON",
    "profiles:photo": "image",
    "records:document": "file",
    "records:export_download": "file",
    "teleconsultation:bandwidth_probe": "bytes",
    "teleconsultation:call_file_download": "file",
    "teleconsultation:document": "PDF",
}
# Links the sweep does not follow: they leave the site's pages or end the session.
SKIPPED_PREFIXES = ("/admin/", "/oauth/", "/accounts/logout/", "/i18n/")
MAX_PAGES_PER_ROLE = 80


@dataclass
class Sweep:
    visited: dict[str, str] = field(default_factory=dict)  # route name -> URL, as every role
    pages: dict[str, int] = field(default_factory=dict)  # role -> pages checked
    problems: list[str] = field(default_factory=list)


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _seeds(role: str) -> list[str]:
    """The pages without parameters the matrix says `role` opens (anonymous: `role` == "")."""
    seeds = []
    for route in all_routes():
        expected = MATRIX[route.name]
        if "<" in route.path or "(?P" in route.path:
            continue
        outcome = expected.anonymous if role == "" else expected.for_role(role)
        if outcome in (200, 302) and outcome != LOGIN and route.name not in NOT_PAGES:
            seeds.append(route.sample_url)
    if role == "":
        seeds += ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    return seeds


def _check_page(
    session: BrowserSession, path: str, name: str, sweep: Sweep, who: str, source: str
) -> None:
    page = session.page
    errors_before = len(session.console_errors)
    try:
        response = page.goto(f"{session.base_url}{path}", wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return  # a file, not a page
        sweep.problems.append(f"{who} {path}: {error}")
        return
    if response is None or response.status != 200:
        status = response.status if response else "no response"
        sweep.problems.append(f"{who} {path}: {status} (a broken link on {source})")
        return
    if not response.headers.get("content-type", "").startswith("text/html"):
        return
    sweep.visited.setdefault(name, path)
    sweep.pages[who] = sweep.pages.get(who, 0) + 1
    if page.locator("main").count() != 1:
        sweep.problems.append(f"{who} {path}: not exactly one <main> landmark")
    violations = session.accessibility_violations()
    if violations:
        sweep.problems.append(f"{who} {path}: {violations}")
    overflow = session.horizontal_overflow()
    if overflow > 0:
        sweep.problems.append(f"{who} {path}: {overflow} px wider than a 360-px screen")
    for message in session.console_errors[errors_before:]:
        sweep.problems.append(f"{who} {path}: console error {message}")


def _links(session: BrowserSession) -> list[str]:
    hrefs: list[str] = session.page.eval_on_selector_all(
        "a[href]", "links => links.map(link => link.href)"
    )
    origin = urlsplit(session.base_url).netloc
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == origin:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _walk(session: BrowserSession, seeds: list[str], sweep: Sweep, who: str) -> None:
    """Visit the seeds, then every page they link to, breadth first, once per route."""
    queue = deque((seed, "the role's own pages") for seed in seeds)
    seen_routes: set[str] = set()
    visits = 0
    while queue and visits < MAX_PAGES_PER_ROLE:
        path, source = queue.popleft()
        name = _route_name(urlsplit(path).path)
        if name is None or name in seen_routes or path.startswith(SKIPPED_PREFIXES):
            continue
        if name in NOT_PAGES or MATRIX.get(name, None) in _POST_ONLY:
            continue
        seen_routes.add(name)
        visits += 1
        _check_page(session, path, name, sweep, who, source)
        queue.extend((link, path) for link in _links(session))


_POST_ONLY = [expect for expect in MATRIX.values() if expect.everyone == 405]


def _demo_seeds(logins: dict[str, str]) -> dict[str, list[str]]:
    """Pages the crawl cannot reach from the demo's links, opened with the demo's objects.

    A guest's link arrives by text message; a carer's invitation and a draft case exist only
    once someone starts them; a report and a self-assessment start are one link among many,
    which a crawl that opens one URL per route may not pick.
    """
    from maillage.accounts.services import invite_carer
    from maillage.cases.services import start_case
    from maillage.teleconsultation.call_services import invite_guest
    from maillage.teleconsultation.models import Appointment, ConsultationReport

    patient = User.objects.get(email=logins[DEMO_ROLES["patient"]])
    gp = User.objects.get(email=logins[DEMO_ROLES["gp"]])
    call = next(
        item
        for item in Appointment.objects.select_related("doctor").order_by("starts_at")
        if item.is_open and item.is_video
    )
    _, token = invite_guest(
        actor=call.doctor, appointment=call, kind="interpreter", name="Interprète"
    )
    inviter = User.objects.filter(role="patient").exclude(pk=patient.pk).order_by("pk")[0]
    invitation = invite_carer(
        actor=inviter, email=patient.email, consent_statement="J'autorise mon fils."
    )
    draft = start_case(
        actor=gp,
        title="Toux chronique",
        question="Quel bilan ?",
        body="Toux depuis deux mois chez un homme de 60 ans, non fumeur.",
        specialties=[Specialty.PNEUMOLOGY],
        poll_question="",
        poll_options=[],
        images=[],
        idempotency_key=uuid.uuid4(),
    )
    report = ConsultationReport.objects.filter(appointment__doctor=gp).first()
    assert report is not None, "the demo has no closed teleconsultation any more"
    return {
        "": [reverse("teleconsultation:guest", args=[token])],
        "patient": [
            reverse("accounts:invitation", args=[invitation.public_id]),
            reverse("triage:start", args=["mal-de-gorge"]),
        ],
        "gp": [
            reverse("cases:review", args=[draft.public_id]),
            reverse("teleconsultation:guests", args=[call.public_id]),
            reverse("teleconsultation:report", args=[report.appointment.public_id]),
        ],
    }


def test_every_page_of_every_role_is_accessible_and_fits_a_phone(
    chromium: Browser, live_url: str, settled_server: None
) -> None:
    # given the demo territory, and one browser per role
    logins = {login.role: login.email for login in build_demo_territory()}
    sweep = Sweep()
    extra_seeds = _demo_seeds(logins)
    for role in ("", *ROLES):
        session = _open_session(chromium, live_url, width=360)
        who = role or "anonymous"
        if role:
            session.login_as(User.objects.get(email=logins[DEMO_ROLES[role]]))
        # when it opens its pages and every page they link to
        _walk(session, _seeds(role) + extra_seeds.get(role, []), sweep, who)
        session.page.context.close()
        sweep.problems += [
            f"{who}: request to another host {url}" for url in session.foreign_requests
        ]
    print(f"\npages checked per role: {sweep.pages}")  # noqa: T201  # the sweep's size, in the log
    # then no page has a problem, and every page route was seen by some role
    pages = {route.name for route in all_routes()} - set(NOT_PAGES)
    post_only = {name for name, expect in MATRIX.items() if expect.everyone == 405}
    sweep.problems += [
        f"no role reached {name}: link it from a page, or say in NOT_PAGES why it is none"
        for name in sorted(pages - post_only - set(sweep.visited))
    ]
    assert not sweep.problems, "\n".join(sweep.problems)


def test_the_checker_catches_a_real_violation(browser_session: BrowserSession) -> None:
    # The sweep is only worth something if axe really runs on the page.
    browser_session.goto("/")
    browser_session.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    violations = browser_session.accessibility_violations()
    assert any(violation.startswith("label") for violation in violations), violations
    serious = browser_session.accessibility_violations(impacts=("serious", "critical"))
    assert any(violation.startswith("label") for violation in serious), serious
