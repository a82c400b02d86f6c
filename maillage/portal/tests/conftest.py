"""Fixtures of the portal tests: one signed-in person per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import ProfessionalFactory, UserFactory, with_totp
from maillage.directory import services as directory
from maillage.directory.models import Practice

SignIn = Callable[[str], User]


@pytest.fixture
def sign_in_as(
    client: Client, patient: User, treating_clinician: User, staff: User, practice: Practice
) -> SignIn:
    """Log `client` in as the persona for a role (professionals have their TOTP)."""

    def sign_in(role: str) -> User:
        people: dict[str, User] = {
            Role.PATIENT: patient,
            Role.GP: treating_clinician,
            Role.STAFF: staff,
        }
        if role in people:
            user = people[role]
        elif role == Role.SPECIALIST:
            user = ProfessionalFactory(role=Role.SPECIALIST, last_name="Didier")
            directory.add_practice_member(actor=None, practice=practice, user=user)
        else:
            user = with_totp(UserFactory.create(role=role, is_staff=role == Role.OPERATOR))
        client.force_login(user)
        return user

    return sign_in
