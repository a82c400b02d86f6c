"""role_required: other roles get 404, so that the page's existence stays private."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import (
    OperatorFactory,
    ProfessionalFactory,
    UserFactory,
    with_totp,
)

pytestmark = pytest.mark.django_db


@role_required(Role.COORDINATOR, Role.OPERATOR)
def territory_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("territoire")


def _call_as(user: User | AnonymousUser) -> HttpResponse:
    request = RequestFactory().get("/territoire/")
    request.user = user
    return territory_page(request)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OPERATOR])
def test_listed_roles_reach_the_view(role: str) -> None:
    response = _call_as(UserFactory.create(role=role))

    assert response.status_code == 200
    assert response.content == b"territoire"


@pytest.mark.parametrize(
    "role", [Role.PATIENT, Role.GP, Role.SPECIALIST, Role.STAFF, Role.MODERATOR, Role.EDITOR]
)
def test_other_roles_get_404(role: str) -> None:
    with pytest.raises(Http404):
        _call_as(UserFactory.create(role=role))


def test_a_visitor_gets_404() -> None:
    with pytest.raises(Http404):
        _call_as(AnonymousUser())


def test_an_additional_role_opens_the_view() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    RoleAssignment.objects.create(user=doctor, role=Role.COORDINATOR)

    assert _call_as(doctor).status_code == 200


def test_the_decorator_keeps_the_view_name() -> None:
    assert territory_page.__name__ == "territory_page"


@pytest.mark.parametrize("role", [Role.PATIENT, Role.STAFF, Role.GP, Role.COORDINATOR])
def test_the_operator_audit_page_is_404_for_other_roles(client: Client, role: str) -> None:
    client.force_login(with_totp(UserFactory.create(role=role)))

    response = client.get(reverse("operations:audit"))

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_operator_audit_page_opens_for_an_operator(client: Client) -> None:
    client.force_login(OperatorFactory.create())

    assert client.get(reverse("operations:audit")).status_code == 200
