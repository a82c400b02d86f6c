"""The authorisation matrix: every route, every role and an anonymous visitor, the expected answer.

Generated from the URL configuration (maillage.testing.routes): a route added without an entry
here fails the suite. Arguments in URLs name objects that do not exist, so every role but the
page's own gets the same 404 as for a missing object; the apps' own tests check that outsiders
get that 404 for objects that do exist. Each role is a fresh account of that role, without a
practice or a patient of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.testing.routes import all_routes

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page
ROLES = ("patient", "gp", "specialist", "staff", "moderator", "editor", "coordinator", "operator")
EVERYONE = frozenset(ROLES)
PATIENTS = frozenset({"patient"})
DOCTORS = frozenset({"gp", "specialist"})
PRACTICE_TEAMS = frozenset({"gp", "specialist", "staff"})
MODERATORS = frozenset({"moderator"})
COORDINATORS = frozenset({"coordinator", "operator"})
OPERATORS = frozenset({"operator"})


@dataclass(frozen=True)
class Expect:
    anonymous: int | str
    allowed: frozenset[str] = frozenset()
    code: int = 200  # what the allowed roles get
    everyone: int | None = None  # when every signed-in role gets the same answer

    def for_role(self, role: str) -> int:
        if self.everyone is not None:
            return self.everyone
        return self.code if role in self.allowed else 404


MATRIX: dict[str, Expect] = {
    "accounts:account": Expect(LOGIN, everyone=200),
    "accounts:invitation": Expect(LOGIN, everyone=404),
    "accounts:invitation_accept": Expect(LOGIN, everyone=405),
    "accounts:invitation_cancel": Expect(LOGIN, everyone=405),
    "accounts:invitation_decline": Expect(LOGIN, everyone=405),
    "accounts:proxy_add": Expect(LOGIN, everyone=405),
    "accounts:proxy_revoke": Expect(LOGIN, everyone=405),
    "api:openapi": Expect(200, everyone=200),
    "cases:detail": Expect(LOGIN, everyone=404),
    "cases:image": Expect(LOGIN, everyone=404),
    "cases:list": Expect(LOGIN, allowed=DOCTORS),
    "cases:new": Expect(LOGIN, allowed=DOCTORS),
    "cases:review": Expect(LOGIN, everyone=404),
    "communities:detail": Expect(LOGIN, everyone=404),
    "communities:image": Expect(LOGIN, everyone=404),
    "communities:join": Expect(LOGIN, everyone=405),
    "communities:list": Expect(LOGIN, everyone=200),
    "communities:moderate": Expect(LOGIN, everyone=405),
    "communities:moderation": Expect(LOGIN, allowed=MODERATORS),
    "communities:new_thread": Expect(LOGIN, everyone=404),
    "communities:post_action": Expect(LOGIN, everyone=405),
    "communities:report": Expect(LOGIN, everyone=404),
    "communities:rules": Expect(LOGIN, everyone=200),
    "communities:sanction": Expect(LOGIN, everyone=405),
    "communities:thread": Expect(LOGIN, everyone=404),
    "consultations:attachment": Expect(LOGIN, everyone=404),
    "consultations:draft": Expect(LOGIN, everyone=405),
    "consultations:new": Expect(LOGIN, allowed=PATIENTS),
    "consultations:queue": Expect(LOGIN, allowed=PRACTICE_TEAMS),
    "consultations:request": Expect(LOGIN, everyone=404),
    "consultations:requests": Expect(LOGIN, everyone=200),
    "consultations:settings": Expect(LOGIN, everyone=404),
    "consultations:team_request": Expect(LOGIN, everyone=404),
    "dashboards:declaration": Expect(LOGIN, everyone=405),
    "dashboards:doctor": Expect(LOGIN, allowed=DOCTORS),
    "dashboards:doctor_csv": Expect(LOGIN, everyone=404),
    "dashboards:export": Expect(LOGIN, allowed=DOCTORS, code=422),
    "dashboards:territory": Expect(LOGIN, allowed=COORDINATORS),
    "dashboards:territory_csv": Expect(LOGIN, everyone=404),
    "directory:treating_doctor": Expect(LOGIN, allowed=PATIENTS),
    "expertise:attachment": Expect(LOGIN, everyone=404),
    "expertise:detail": Expect(LOGIN, everyone=404),
    "expertise:new": Expect(LOGIN, allowed=DOCTORS),
    "expertise:queue": Expect(LOGIN, allowed=DOCTORS),
    "fhir_api:everything": Expect(401, everyone=401),
    "fhir_api:metadata": Expect(200, everyone=200),
    "fhir_api:read": Expect(401, everyone=401),
    "fhir_api:search": Expect(401, everyone=401),
    "fhir_api:smart_configuration": Expect(200, everyone=200),
    "health_info:article": Expect(404, everyone=404),
    "health_info:library": Expect(200, everyone=200),
    "notifications:list": Expect(LOGIN, everyone=200),
    "notifications:open": Expect(LOGIN, everyone=405),
    "notifications:read_all": Expect(LOGIN, everyone=405),
    "operations:audit": Expect(LOGIN, allowed=OPERATORS),
    "operations:privacy_queue": Expect(LOGIN, allowed=OPERATORS),
    "operations:status": Expect(LOGIN, allowed=OPERATORS),
    "portal:emergencies": Expect(200, everyone=200),
    "portal:healthz": Expect(200, everyone=200),
    "portal:home": Expect(200, everyone=200),
    "profiles:directory": Expect(200, everyone=200),
    "profiles:edit": Expect(LOGIN, allowed=DOCTORS),
    "profiles:photo": Expect(404, everyone=404),
    "profiles:profile": Expect(404, everyone=404),
    "profiles:publish": Expect(LOGIN, everyone=405),
    "profiles:withdraw": Expect(LOGIN, everyone=405),
    "records:document": Expect(LOGIN, everyone=404),
    "records:export_download": Expect(LOGIN, everyone=404),
    "records:exports": Expect(LOGIN, everyone=404),
    "records:mask": Expect(LOGIN, everyone=405),
    "records:mine": Expect(LOGIN, allowed=PATIENTS, code=302),
    "records:privacy": Expect(LOGIN, everyone=404),
    "records:rights": Expect(LOGIN, everyone=404),
    "records:timeline": Expect(LOGIN, everyone=404),
    "set_language": Expect(405, everyone=405),
    "teleconsultation:appointment": Expect(LOGIN, everyone=404),
    "teleconsultation:bandwidth_probe": Expect(403, everyone=200),
    "teleconsultation:book": Expect(LOGIN, everyone=404),
    "teleconsultation:call": Expect(404, everyone=404),
    "teleconsultation:call_file": Expect(405, everyone=405),
    "teleconsultation:call_file_download": Expect(404, everyone=404),
    "teleconsultation:close": Expect(LOGIN, everyone=404),
    "teleconsultation:day": Expect(LOGIN, allowed=DOCTORS),
    "teleconsultation:device_check": Expect(LOGIN, everyone=200),
    "teleconsultation:document": Expect(LOGIN, everyone=404),
    "teleconsultation:from_request": Expect(LOGIN, everyone=404),
    "teleconsultation:guest": Expect(410, everyone=410),
    "teleconsultation:guests": Expect(LOGIN, everyone=404),
    "teleconsultation:home": Expect(LOGIN, allowed=PATIENTS),
    "teleconsultation:offer": Expect(LOGIN, allowed=DOCTORS),
    "teleconsultation:report": Expect(LOGIN, everyone=404),
    "triage:assessment": Expect(LOGIN, everyone=404),
    "triage:index": Expect(LOGIN, everyone=200),
    "triage:start": Expect(LOGIN, everyone=404),
}


def _people() -> dict[str, User]:
    return {
        "patient": PatientFactory(),
        "gp": ProfessionalFactory(),
        "specialist": ProfessionalFactory(role=Role.SPECIALIST),
        "staff": StaffFactory.create(),
        "moderator": StaffFactory.create(role=Role.MODERATOR),
        "editor": StaffFactory.create(role=Role.EDITOR),
        "coordinator": StaffFactory.create(role=Role.COORDINATOR),
        "operator": StaffFactory.create(role=Role.OPERATOR, is_staff=True),
    }


def _outcome(client: Client, url: str) -> int | str:
    response = client.get(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def test_every_route_has_an_entry() -> None:
    names = {route.name for route in all_routes()}
    assert sorted(names - set(MATRIX)) == [], "add these routes to the authorisation matrix"
    assert sorted(set(MATRIX) - names) == [], "these routes no longer exist"


def test_every_role_gets_the_expected_answer_on_every_route() -> None:
    people = _people()
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        client.force_login(people[role])
    anonymous = Client()
    wrong = []
    for route in all_routes():
        expected = MATRIX[route.name]
        got = _outcome(anonymous, route.sample_url)
        if got != expected.anonymous:
            wrong.append(f"{route.name} anonymous: {got}, expected {expected.anonymous}")
        for role, client in clients.items():
            got = _outcome(client, route.sample_url)
            if got != expected.for_role(role):
                wrong.append(f"{route.name} {role}: {got}, expected {expected.for_role(role)}")
    assert wrong == []


# The FHIR API authenticates by bearer token, never by cookie, so it needs no CSRF token; it is
# read-only and refuses every POST.
TOKEN_APIS = ("fhir_api:",)


def test_no_route_accepts_a_post_without_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(PatientFactory())
    accepted = []
    for route in all_routes():
        status = client.post(route.sample_url, {"x": "1"}).status_code
        expected = 405 if route.name.startswith(TOKEN_APIS) else 403
        if status != expected:
            accepted.append(f"{route.name}: {status}")
    assert accepted == []
