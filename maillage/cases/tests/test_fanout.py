"""A new case reaches its colleagues in one insert and one delivery task, whatever their number."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, channel_layers
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.cases import services
from maillage.cases.models import Case, CaseRouting
from maillage.notifications.models import Notification
from maillage.notifications.services import note_connected, user_group

pytestmark = pytest.mark.django_db


def gastroenterologists(count: int) -> list[User]:
    return [
        ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.GASTROENTEROLOGY)
        for _ in range(count)
    ]


def drafted(author: User) -> Case:
    return services.start_case(
        actor=author,
        title="Crohn et fièvre",
        question="Faut-il arrêter l'azathioprine ?",
        body="Maladie de Crohn sous azathioprine, CRP 45 mg/L depuis 3 jours.",
        specialties=[Specialty.GASTROENTEROLOGY],
        poll_question="",
        poll_options=[],
        images=[],
        idempotency_key=uuid.uuid4(),
    )


def publish(case: Case) -> None:
    services.publish_case(
        actor=case.author, case=case, title=case.title, question=case.question, body=case.body
    )


def test_publishing_costs_the_same_queries_for_3_or_30_colleagues(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    author = ProfessionalFactory()
    team = gastroenterologists(33)
    for doctor in team[::2]:
        note_connected(user_id=doctor.pk)
    queries: dict[int, int] = {}
    for fanout in (3, 30):
        case = drafted(author)
        with (
            override_settings(CASE_ROUTING_FANOUT=fanout),
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),  # the delivery task included
        ):
            publish(case)
        assert CaseRouting.objects.filter(case=case).count() == fanout
        queries[fanout] = len(captured)

    assert queries[3] == queries[30]


@pytest.fixture
def server_layer() -> Iterator[BaseChannelLayer]:
    """A layer instance of its own, as the websocket server's process holds."""
    layer: BaseChannelLayer = channel_layers.make_backend("default")
    yield layer
    async_to_sync(layer.flush)()


async def _subscribe(layer: Any, groups: list[str]) -> list[str]:
    channels = []
    for group in groups:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        channels.append(channel)
    return channels


async def _next_of_each(layer: Any, channels: list[str]) -> list[Any]:
    return [await asyncio.wait_for(layer.receive(channel), timeout=10) for channel in channels]


@pytest.mark.redis
# More than realtime.SENDS_AT_ONCE, and than channels_redis' default capacity (100) of the
# server's one inbox for all its sockets.
@override_settings(CASE_ROUTING_FANOUT=120)
def test_each_colleague_gets_one_notification_and_one_count_over_redis(
    server_layer: Any, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given 120 colleagues with Maillage open, their sockets held by the server's layer
    team = gastroenterologists(120)
    for doctor in team:
        note_connected(user_id=doctor.pk)
    channels = async_to_sync(_subscribe)(server_layer, [user_group(d.pk) for d in team])
    author = ProfessionalFactory()
    case = drafted(author)

    # when a case is published
    with django_capture_on_commit_callbacks(execute=True):
        publish(case)

    # then each has one notification in the app and its socket is told the count, once
    told = list(Notification.objects.filter(kind="cases.new").values_list("recipient_id"))
    assert sorted(told) == sorted((d.pk,) for d in team)
    first = async_to_sync(_next_of_each)(server_layer, channels)
    assert first == [{"type": "unread.count", "count": 1}] * len(team)
    # A second push would be the next message: the next case's count (2) comes instead.
    with django_capture_on_commit_callbacks(execute=True):
        publish(drafted(author))
    second = async_to_sync(_next_of_each)(server_layer, channels)
    assert second == [{"type": "unread.count", "count": 2}] * len(team)
