from __future__ import annotations

import pytest

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, StaffFactory
from maillage.communities import services
from maillage.communities.models import Community


@pytest.fixture
def community(db: None) -> Community:
    return Community.objects.create(
        slug="diabete",
        name="Vivre avec un diabète",
        kind=Community.Kind.CONDITION,
        description="Entraide entre personnes diabétiques.",
        rules="Pas de conseil de dose.",
        pinned_articles=["diabete-suivi"],
    )


@pytest.fixture
def member(community: Community) -> User:
    user = PatientFactory(first_name="Hélène", last_name="Marchal")
    services.join(actor=user, community=community, pseudonym="Colibri")
    return user


@pytest.fixture
def other_member(community: Community) -> User:
    user = PatientFactory(first_name="Paul", last_name="Girard")
    services.join(actor=user, community=community, pseudonym="Marmotte")
    return user


@pytest.fixture
def moderator(db: None) -> User:
    return StaffFactory.create(role=Role.MODERATOR)
