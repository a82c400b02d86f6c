"""The memoized chrome of base.html: each role its own links, the current page marked, and
the parts of the person and the request (token, unread count) still theirs on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import Role
from maillage.notifications.services import notify
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db


def _nav(body: str) -> str:
    match = re.search(r'<nav class="wrap main-nav".*?</nav>', body, re.DOTALL)
    assert match is not None
    return match.group(0)


def _page(client: Client, url: str, *, language: str = "fr") -> str:
    client.cookies["maillage_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_roles_signed_in_one_after_the_other_each_see_their_own_links(
    client: Client, sign_in_as: SignIn
) -> None:
    sign_in_as(Role.PATIENT)
    patient_nav = _nav(_page(client, reverse("notifications:list")))
    sign_in_as(Role.GP)
    gp_nav = _nav(_page(client, reverse("notifications:list")))
    sign_in_as(Role.PATIENT)
    patient_nav_again = _nav(_page(client, reverse("notifications:list")))

    assert reverse("records:mine") in patient_nav
    assert reverse("consultations:queue") not in patient_nav
    assert reverse("consultations:queue") in gp_nav
    assert reverse("records:mine") not in gp_nav
    # Nothing of the person in the links: the patient's come back identical.
    assert re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", patient_nav) == re.sub(
        r'name="csrfmiddlewaretoken" value="\w+"', "", patient_nav_again
    )


def test_the_current_page_is_marked_in_the_memoized_links(
    client: Client, sign_in_as: SignIn
) -> None:
    sign_in_as(Role.PATIENT)

    on_requests = _nav(_page(client, reverse("consultations:requests")))
    on_notifications = _nav(_page(client, reverse("notifications:list")))

    requests_link = f'<a href="{reverse("consultations:requests")}" aria-current="page">'
    assert requests_link in on_requests
    assert on_requests.count('aria-current="page"') == 1
    assert requests_link not in on_notifications
    assert on_notifications.count('aria-current="page"') == 1  # the notifications link


def test_the_links_follow_the_language(client: Client, sign_in_as: SignIn) -> None:
    sign_in_as(Role.PATIENT)

    french = _page(client, reverse("notifications:list"), language="fr")
    english = _page(client, reverse("notifications:list"), language="en")

    assert "Mon dossier" in _nav(french)
    assert "My health record" in _nav(english)
    assert "Mon dossier" not in _nav(english)


def test_each_page_keeps_its_own_token_and_count(
    client: Client, sign_in_as: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    patient = sign_in_as(Role.PATIENT)
    before = _page(client, reverse("notifications:list"))
    with django_capture_on_commit_callbacks(execute=True):  # the cached count is dropped
        notify(recipient=patient, kind="test.info", title="Un message", by_email=False)
    client.cookies.pop("csrftoken", None)  # a new browser session: a new CSRF secret
    after = _page(client, reverse("notifications:list"))

    def tokens(body: str) -> set[str]:
        return set(re.findall(r'"X-CSRFToken": "(\w+)"', body))

    assert tokens(before)
    assert tokens(after)
    assert tokens(before) != tokens(after)
    assert re.search(r'id="notif-count" hidden>0<', before)
    assert re.search(r'id="notif-count">1<', after)
