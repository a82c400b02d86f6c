"""The coordinator's home page: the communes that need it most, at the same cost for any number."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import PatientProfile, Role, User
from maillage.core.fulltext import fold
from maillage.core.models import Commune
from maillage.dashboards.selectors import TERRITORY_TOP_COMMUNES
from maillage.directory.models import Practice
from maillage.directory.selectors import territory_overview_for
from maillage.directory.tests.factories import PracticeFactory
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


class Communes:
    """Communes with a practice and patients, none with a médecin traitant, written in bulk."""

    def __init__(self) -> None:
        self.created = 0

    def add(self, count: int, *, patients: int = 1, department: str = "88") -> None:
        first, self.created = self.created, self.created + count
        names = [f"Commune {first + i:03d}" for i in range(count)]
        communes = Commune.objects.bulk_create(
            Commune(
                insee_code=f"9{first + i:04d}",
                name=name,
                folded_name=fold(name),
                postcode="88000",
                department=department,
                latitude=48,
                longitude=6,
            )
            for i, name in enumerate(names)
        )
        Practice.objects.bulk_create(PracticeFactory.build(commune=c) for c in communes)
        people = User.objects.bulk_create(
            User(email=f"habitant{first}-{i}@example.test", role=Role.PATIENT)
            for i in range(count * patients)
        )
        PatientProfile.objects.bulk_create(
            PatientProfile(
                user=user, birth_date=date(1970, 1, 1), sex="F", commune=communes[i // patients]
            )
            for i, user in enumerate(people)
        )


def _home(client: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _communes(html: str) -> list[str]:
    body = re.search(r'<caption id="territory-caption">.*?<tbody>(.*?)</tbody>', html, re.DOTALL)
    assert body is not None
    return re.findall(r'<th scope="row">([^<]*)</th>', body.group(1))


def test_the_home_shows_the_first_communes_at_the_same_cost_for_30_or_300(
    client: Client, sign_in_as: SignIn
) -> None:
    # given 30 communes, the last one with more patients (none has a médecin traitant)
    coordinator = sign_in_as(Role.COORDINATOR)
    communes = Communes()
    communes.add(29)
    communes.add(1, patients=3)
    _home(client)  # the session learns the second factor
    small, small_queries = _home(client)

    # when there are ten times as many
    communes.add(270)
    big, big_queries = _home(client)

    # then the page runs the same queries, shows as many rows and weighs about the same
    assert big_queries == small_queries
    assert len(_communes(small)) == len(_communes(big)) == TERRITORY_TOP_COMMUNES
    assert len(big) < len(small) * 1.02, (len(small), len(big))
    # the territory dashboard's order: most patients without a médecin traitant first
    assert _communes(big)[:3] == ["Commune 029", "Commune 000", "Commune 001"]
    total = len(territory_overview_for(actor=coordinator))  # with the signed-in one's own
    assert total > 300
    assert (
        f"Les 20 premières communes par nombre de patients sans médecin traitant, sur {total}."
        in big
    )
    # and the others are a search away, on the dashboard
    territory = reverse("dashboards:territory")
    assert f'<form method="get" action="{territory}"' in big
    assert 'name="commune"' in big


def test_a_small_territory_is_shown_whole(client: Client, sign_in_as: SignIn) -> None:
    coordinator = sign_in_as(Role.COORDINATOR)
    Communes().add(3)

    html, _queries = _home(client)

    rows = _communes(html)
    assert len(rows) == len(territory_overview_for(actor=coordinator))
    assert rows[:3] == ["Commune 000", "Commune 001", "Commune 002"]
    assert "premières communes" not in html
