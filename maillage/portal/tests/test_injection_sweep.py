"""Injection and XSS payloads in the query string of every page, for every role that may open
it (from the authorisation matrix): never a server error, never the payload unescaped."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from maillage.portal.tests.test_authorization_matrix import MATRIX, ROLES, _people
from maillage.testing.routes import all_routes

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    '" OR "1"="1',
    "%00\x00",
    "../../../../etc/passwd",
    "{{7*7}}{% debug %}",
    # Long text in characters outside the Basic Multilingual Plane (mathematical letters).
    "".join(chr(0x1D518 + n % 26) for n in range(400)),
]
# Every query parameter a page of ours reads (search, filters, cursors, dates).
PARAMETERS = [
    "q", "avant", "apres", "specialite", "commune", "rayon", "langue", "type", "depuis",
    "jusqu", "bibliotheque", "page", "action", "patient", "mois", "annee", "_count", "date",
]  # fmt: skip


def test_no_query_string_payload_breaks_or_is_reflected_raw() -> None:
    people = _people()
    clients: dict[str, Client] = {"anonymous": Client()}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(people[role])
    problems = []
    for route in all_routes():
        expected = MATRIX[route.name]
        openers = [role for role in ROLES if expected.for_role(role) == 200]
        if expected.anonymous == 200:
            openers.append("anonymous")
        for role in openers[:2]:  # the page's own roles: two are enough to cover its views
            for payload in PAYLOADS:
                query = urlencode(dict.fromkeys(PARAMETERS, payload))
                response = clients[role].get(f"{route.sample_url}?{query}")
                if response.status_code >= 500:
                    problems.append(f"{route.name} as {role}: {response.status_code}")
                elif payload.startswith(("<", '"><')) and payload.encode() in response.content:
                    problems.append(f"{route.name} as {role}: payload reflected unescaped")
    assert problems == []
