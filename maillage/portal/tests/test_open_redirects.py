"""Open redirects refused on every route: no answer sends the browser to another site.

Generated from the URL configuration (`all_routes`) and the authorisation matrix: each route is
asked, by GET and by POST, as a role the matrix lets in and as a visitor, with every parameter
that names a place to go next set to a hostile target. The sign-in, sign-out, re-authentication,
language switch and admin entry are asked too, with real credentials where a redirect follows a
success. Checked: `Location`, htmx's `HX-Redirect`/`HX-Location`, a `Refresh` header, and in the
page a meta refresh, link or form target equal to the hostile value.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from maillage.accounts.tests.factories import PASSWORD, PatientFactory, with_totp
from maillage.accounts.tests.helpers import current_totp_code
from maillage.portal.tests.test_authorization_matrix import MATRIX, ROLES, _people
from maillage.testing.routes import all_routes

pytestmark = pytest.mark.django_db

HOST = "testserver"
HOSTILE = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
    "http://testserver@evil.example/",
]
# Every parameter our code, allauth and Django read as "where to go next" (grep of the code and
# templates: `next` in the language switch, the admin entry and allauth; the others are common
# names a later view might read).
PARAMETERS = ("next", "redirect_to", "return_to", "success_url", "redirect", "url", "retour")
TARGET_ATTRIBUTES = re.compile(
    r"""(?:href|action|formaction|src|hx-get|hx-post|data-url)\s*=\s*["']([^"']*)["']""", re.I
)
META_REFRESH = re.compile(r"""http-equiv=["']?refresh["']?[^>]*content=["']([^"']*)""", re.I)


def _leaves_site(url: str) -> bool:
    # How a browser reads it: backslashes are slashes, leading spaces and controls dropped.
    cleaned = url.strip().replace("\\", "/")
    if cleaned.lower().startswith(("javascript:", "data:", "vbscript:")):
        return True
    parts = urlsplit(urljoin(f"http://{HOST}/page/", cleaned))
    return parts.hostname != HOST or parts.scheme not in ("http", "https")


def _problems(response: HttpResponseBase, target: str) -> list[str]:
    found = []
    for header in ("Location", "HX-Redirect", "HX-Location", "Refresh"):
        value = response.headers.get(header)
        if value is not None:
            url = value.split("url=", 1)[1] if header == "Refresh" and "url=" in value else value
            if _leaves_site(url):
                found.append(f"{header}: {value}")
    if isinstance(response, HttpResponse) and "html" in response.headers.get("Content-Type", ""):
        page = response.content.decode(errors="replace")
        for refresh in META_REFRESH.findall(page):
            if "url=" in refresh.lower() and _leaves_site(refresh.split("=", 1)[1]):
                found.append(f"meta refresh: {refresh}")
        for value in TARGET_ATTRIBUTES.findall(page):
            if html.unescape(value) == target and _leaves_site(target):
                found.append(f"link to the hostile target: {value}")
    return found


def _query(target: str) -> str:
    return "&".join(f"{name}={quote(target, safe='')}" for name in PARAMETERS)


def test_the_hostile_targets_are_recognised() -> None:
    # The check itself can fail: each hostile target counts as leaving the site.
    assert [target for target in HOSTILE if not _leaves_site(target)] == [
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
    ]  # encoded once more: a path of ours (a redirect that decoded them is caught below)
    assert _problems(HttpResponse(status=302, headers={"Location": "//evil.example"}), "") != []


def test_no_route_redirects_to_another_site() -> None:
    people = _people()
    problems = []
    for route in all_routes():
        expected = MATRIX[route.name]
        openers = [role for role in ROLES if expected.for_role(role) in (200, 302, 422)][:1]
        clients = {"anonymous": Client()}
        for role in openers:
            clients[role] = Client()
            clients[role].force_login(people[role])
        for who, client in clients.items():
            for target in HOSTILE:
                url = f"{route.sample_url}?{_query(target)}"
                data = dict.fromkeys(PARAMETERS, target)
                for method, response in (
                    ("GET", client.get(url)),
                    ("POST", client.post(url, data)),
                ):
                    problems += [f"{method} {route.name} as {who}: {p}" for p in _problems(response, target)]  # fmt: skip
    assert problems == []


def test_signing_in_with_a_hostile_next_stays_on_the_site() -> None:
    patient = PatientFactory()
    problems = []
    for target in HOSTILE:
        client = Client()
        login = reverse("account_login")
        response = client.post(
            f"{login}?next={quote(target, safe='')}",
            {"login": patient.email, "password": PASSWORD, "next": target},
        )
        assert response.status_code == 302, target
        problems += _problems(response, target)
        for name in ("account_logout",):
            response = client.post(reverse(name), {"next": target})
            problems += _problems(response, target)
    assert problems == []


def test_the_second_factor_step_with_a_hostile_next_stays_on_the_site() -> None:
    problems = []
    for target in HOSTILE[:6]:
        patient = with_totp(PatientFactory())  # a TOTP code is accepted once per account
        client = Client()
        first = client.post(
            f"{reverse('account_login')}?next={quote(target, safe='')}",
            {"login": patient.email, "password": PASSWORD, "next": target},
        )
        problems += _problems(first, target)
        second = client.post(first["Location"], {"code": current_totp_code(), "next": target})
        assert second.status_code == 302, target
        problems += _problems(second, target)
    assert problems == []


def test_the_language_switch_and_the_admin_entry_stay_on_the_site() -> None:
    operator = _people()["operator"]
    staff = Client()
    staff.force_login(operator)
    problems = []
    for target in HOSTILE:
        for client in (Client(), staff):
            response = client.post(
                reverse("set_language"), {"language": "en", "next": target}, HTTP_REFERER=target
            )
            problems += _problems(response, target)
            response = client.get(f"{reverse('admin:login')}?next={quote(target, safe='')}")
            problems += _problems(response, target)
        response = Client().get(f"{reverse('account_reauthenticate')}?next={quote(target)}")
        problems += _problems(response, target)
    assert problems == []
