"""The admin has no login form of its own: it would open a session without the second factor."""

from __future__ import annotations

import pytest
from django.test import Client

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD, OperatorFactory, PatientFactory
from maillage.accounts.tests.helpers import logged_in_user_id, post_password

pytestmark = pytest.mark.django_db


def test_posting_an_operators_password_to_the_admin_does_not_sign_in(client: Client) -> None:
    # given a signed-in patient who knows an operator's password
    operator = OperatorFactory.create()
    patient = PatientFactory()
    client.force_login(patient)
    # when they post it to the admin's login URL
    response = client.post(
        "/admin/login/", {"username": operator.email, "password": PASSWORD, "next": "/admin/"}
    )
    # then nothing changes: the page does not exist for them
    assert response.status_code == 404
    assert logged_in_user_id(client) == str(patient.pk)


def test_a_visitor_is_sent_to_the_real_sign_in(client: Client) -> None:
    operator = OperatorFactory.create()

    response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert logged_in_user_id(client) is None


def test_an_operator_signed_in_with_both_factors_reaches_the_admin(
    client: Client, operator: User
) -> None:
    client.force_login(operator)

    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/").status_code == 200


def test_an_operator_with_a_password_only_session_is_signed_out(
    client: Client, operator: User
) -> None:
    # given an operator whose session skipped the second factor (the password step alone)
    post_password(client, operator.email)
    client.force_login(operator)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password"}]
    session.save()
    # when they open the admin
    response = client.get("/admin/")
    # then they are signed out and asked to sign in again
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
