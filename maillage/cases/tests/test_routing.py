"""Routing a new case: online colleagues live, the others in a digest, the load spread fairly,
further colleagues when nobody answers."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.cases import routing
from maillage.cases.models import Case, CaseRouting
from maillage.notifications.models import Notification
from maillage.notifications.services import note_connected

pytestmark = pytest.mark.django_db


def doctors(count: int, specialty: str = Specialty.GASTROENTEROLOGY) -> list[User]:
    return [ProfessionalFactory(role=Role.SPECIALIST, specialty=specialty) for _ in range(count)]


def published_case(author: User, specialty: str = Specialty.GASTROENTEROLOGY) -> Case:
    return Case.objects.create(
        author=author,
        status=Case.Status.PUBLISHED,
        specialties=[specialty],
        title="Crohn et fièvre",
        question="Faut-il arrêter l'azathioprine ?",
        published_at=timezone.now(),
    )


def route(case: Case) -> list[routing.Routed]:
    with transaction.atomic():
        return routing.route_case(case)


@pytest.fixture
def author() -> User:
    return ProfessionalFactory()


@override_settings(CASE_ROUTING_FANOUT=10)
def test_online_colleagues_are_told_live_the_others_wait_for_their_digest(author: User) -> None:
    online, offline = doctors(2), doctors(2)
    cardiologist = doctors(1, Specialty.CARDIOLOGY)[0]
    for doctor in online:
        note_connected(user_id=doctor.pk)

    routings = route(published_case(author))

    channels = {r.doctor_id: r.channel for r in routings}
    assert channels == {
        **{d.pk: CaseRouting.Channel.LIVE for d in online},
        **{d.pk: CaseRouting.Channel.DIGEST for d in offline},
    }
    told = set(Notification.objects.filter(kind="cases.new").values_list("recipient", flat=True))
    assert told == {d.pk for d in online + offline}
    assert cardiologist.pk not in told
    assert author.pk not in told
    assert not Notification.objects.filter(kind="cases.new", by_email=True).exists()


@override_settings(CASE_ROUTING_FANOUT=3)
def test_online_colleagues_come_first_when_only_a_few_are_asked(author: User) -> None:
    offline, online = doctors(6), doctors(2)
    for doctor in online:
        note_connected(user_id=doctor.pk)

    chosen = {r.doctor_id for r in route(published_case(author))}

    assert len(chosen) == 3
    assert {d.pk for d in online} <= chosen
    assert len(chosen & {d.pk for d in offline}) == 1


@override_settings(CASE_ROUTING_FANOUT=4)
def test_new_cases_go_to_the_least_solicited_colleagues(author: User) -> None:
    team = doctors(12)

    for _ in range(6):  # 24 requests over 12 doctors
        route(published_case(author))

    load = Counter(CaseRouting.objects.values_list("doctor_id", flat=True))
    assert set(load) == {d.pk for d in team}
    assert set(load.values()) == {2}


@override_settings(CASE_ROUTING_FANOUT=2)
def test_a_case_nobody_answers_goes_to_further_colleagues_up_to_three_rounds(
    author: User,
) -> None:
    doctors(8)
    case = published_case(author)
    route(case)
    assert routing.widen_waiting_cases() == 0, "too early"

    for hours in (3, 6, 9, 12):
        with time_machine.travel(timezone.now() + timedelta(hours=hours)):
            routing.widen_waiting_cases()

    rounds = Counter(CaseRouting.objects.filter(case=case).values_list("round", flat=True))
    assert rounds == {1: 2, 2: 2, 3: 2}


@override_settings(CASE_ROUTING_FANOUT=2)
def test_an_answered_case_is_not_sent_further(author: User) -> None:
    doctors(6)
    case = published_case(author)
    route(case)
    Case.objects.filter(pk=case.pk).update(first_answer_at=timezone.now())

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert routing.widen_waiting_cases() == 0
    assert CaseRouting.objects.filter(case=case).count() == 2


@override_settings(CASE_ROUTING_FANOUT=5)
def test_each_routed_case_waits_for_the_digest_instead_of_an_email(author: User) -> None:
    doctors(2)
    route(published_case(author))
    told = Notification.objects.filter(kind="cases.new")
    assert told.count() == 2
    assert all(n.in_digest and not n.by_email for n in told)


@override_settings(CASE_ROUTING_FANOUT=12)
def test_routing_a_case_costs_a_fixed_number_of_queries(author: User) -> None:
    doctors(15)
    case = published_case(author)
    with CaptureQueriesContext(connection) as queries:
        route(case)
    # candidates, presence, the routings, the recipients, the notifications (one insert each)
    assert len(queries) <= 5 + 2


@override_settings(CASE_ROUTING_FANOUT=5)
def test_the_author_sees_how_many_colleagues_were_asked(client: Client, author: User) -> None:
    live, away = doctors(2)
    note_connected(user_id=live.pk)
    case = published_case(author)
    route(case)
    url = reverse("cases:detail", args=[case.public_id])

    client.force_login(author)
    page = client.get(url).content.decode()
    assert "Proposé à 2 confrères de la spécialité (1 en ligne, prévenus en direct)." in page

    client.force_login(away)
    assert "Proposé à" not in client.get(url).content.decode()
