"""/healthz for the load balancer, and the error pages."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries

from maillage.accounts.models import User
from maillage.portal.views import server_error

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_healthz_refuses_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_an_unknown_url_gives_the_404_page_to_a_visitor(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Page introuvable" in body
    assert "Cette page n'existe pas, ou vous n'y avez pas accès." in body
    assert 'class="emergency-bar"' in body


def test_an_unknown_url_gives_the_404_page_to_a_patient(client: Client, patient: User) -> None:
    client.force_login(patient)

    response = client.get("/compte/inconnu/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_stands_alone_and_points_to_the_emergency_numbers(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # given: a request that failed before it had a user (the session store may be what broke)
    request = RequestFactory().get("/")

    # when
    with django_assert_num_queries(0):
        response = server_error(request)

    # then

    assert response.status_code == 500
    body = response.content.decode()
    assert "Un problème technique est survenu" in body
    assert 'href="tel:15"' in body
    assert 'href="tel:112"' in body
