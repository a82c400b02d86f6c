"""A new case reaches its colleagues in one insert and one pushed message, whatever their number."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
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
from maillage.notifications import tasks
from maillage.notifications.live import COUNTS_GROUP
from maillage.notifications.models import Notification
from maillage.notifications.services import note_connected

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
            django_capture_on_commit_callbacks(execute=True),  # the push included
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


async def _next(layer: Any, channel: str) -> Any:
    return await asyncio.wait_for(layer.receive(channel), timeout=10)


@pytest.mark.redis
# More than channels_redis' default capacity (100) of the server's one inbox for all its sockets,
# which one message per colleague used to overflow.
@override_settings(CASE_ROUTING_FANOUT=120)
def test_each_colleague_gets_one_notification_and_the_server_one_message_over_redis(
    server_layer: Any, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given 120 colleagues with Maillage open, and the server's layer listening to the counts
    team = gastroenterologists(120)
    for doctor in team:
        note_connected(user_id=doctor.pk)
    channel = async_to_sync(server_layer.new_channel)()
    async_to_sync(server_layer.group_add)(COUNTS_GROUP, channel)
    author = ProfessionalFactory()
    case = drafted(author)

    # when a case is published
    with django_capture_on_commit_callbacks(execute=True):
        publish(case)

    # then each has one notification in the app, and one message tells the server every
    # colleague's count (ids and counts only)
    told = list(Notification.objects.filter(kind="cases.new").values_list("recipient_id"))
    assert sorted(told) == sorted((d.pk,) for d in team)
    first = async_to_sync(_next)(server_layer, channel)
    assert first["type"] == "unread.counts"
    assert sorted(first["counts"]) == sorted([d.pk, 1] for d in team)
    # A second push would be the next message: the next case's counts (2) come instead.
    with django_capture_on_commit_callbacks(execute=True):
        publish(drafted(author))
    second = async_to_sync(_next)(server_layer, channel)
    assert sorted(second["counts"]) == sorted([d.pk, 2] for d in team)


def test_the_counts_leave_at_commit_and_no_task_is_queued_when_nothing_is_e_mailed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given colleagues told in the app and in their digest, never by an e-mail of its own
    team = gastroenterologists(3)
    pushed: list[set[int]] = []
    queued: list[object] = []
    monkeypatch.setattr(
        "maillage.notifications.services.push_unread_counts",
        lambda *, user_ids: pushed.append(set(user_ids)),
    )
    monkeypatch.setattr(
        tasks,
        "deliver_notifications_task",
        SimpleNamespace(enqueue=lambda **kwargs: queued.append(kwargs)),
    )
    case = drafted(ProfessionalFactory())

    # when the case is published: nothing before commit, the push at commit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(case)
    assert pushed == []
    for callback in callbacks:
        callback()

    # then the counts were pushed by the publishing process, with no task to wait for
    assert pushed == [{d.pk for d in team}]
    assert queued == []
