"""The live unread count over /ws/notifications/ (counts only, never content)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import Client

from config.asgi import application
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.notifications.consumers import NotificationConsumer
from maillage.notifications.live import hub
from maillage.notifications.services import mark_all_read, notify, notify_many
from maillage.notifications.tests.factories import make_notification, make_notifications
from maillage.notifications.tests.websocket import WebsocketCommunicator

PATH = "/ws/notifications/"
SAME_ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _communicator(user: User, *, second_factor_used: bool = True) -> WebsocketCommunicator:
    """A socket of `user`, whose session used (or not) a second factor at sign-in."""
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), PATH)
    communicator.scope["user"] = user
    records = (
        [{"method": "mfa", "type": "totp"}] if second_factor_used else [{"method": "password"}]
    )
    communicator.scope["session"] = {
        "account_authentication_methods": records,
        "account_authentication_methods_user": str(user.pk),
    }
    return communicator


@pytest_asyncio.fixture
async def connected(patient: User) -> AsyncIterator[WebsocketCommunicator]:
    communicator = _communicator(patient)
    accepted, _ = await communicator.connect()
    assert accepted
    assert await communicator.receive_json_from() == {"type": "unread", "count": 0}
    yield communicator
    await communicator.disconnect()


@sync_to_async
def _notify_committed(recipient: User, title: str = "Votre médecin a répondu") -> None:
    with transaction.atomic():
        notify(recipient=recipient, kind="consultation.answered", title=title)


@sync_to_async
def _session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_anonymous_visitor_is_closed_with_4401() -> None:
    communicator = WebsocketCommunicator(application, PATH, headers=SAME_ORIGIN)
    accepted, code = await communicator.connect()
    assert (accepted, code) == (False, 4401)


async def test_a_missing_user_in_the_scope_is_closed_with_4401() -> None:
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), PATH)
    accepted, code = await communicator.connect()
    assert (accepted, code) == (False, 4401)


async def test_a_professional_without_a_second_factor_is_closed_with_4403() -> None:
    doctor = await sync_to_async(ProfessionalFactory)(role=Role.GP, mfa=False)
    accepted, code = await _communicator(doctor, second_factor_used=False).connect()
    assert (accepted, code) == (False, 4403)


async def test_a_professional_whose_session_skipped_the_second_factor_is_closed_with_4403(
    treating_clinician: User,
) -> None:
    communicator = _communicator(treating_clinician, second_factor_used=False)
    accepted, code = await communicator.connect()
    assert (accepted, code) == (False, 4403)


async def test_a_professional_with_totp_gets_their_count(treating_clinician: User) -> None:
    await sync_to_async(make_notification)(recipient=treating_clinician)
    communicator = _communicator(treating_clinician)

    accepted, _ = await communicator.connect()

    assert accepted
    assert await communicator.receive_json_from() == {"type": "unread", "count": 1}
    await communicator.disconnect()


async def test_a_signed_in_patient_gets_the_unread_count_through_the_full_stack(
    patient: User,
) -> None:
    await sync_to_async(make_notifications)(2, recipient=patient)
    cookie = await _session_cookie(patient)
    communicator = WebsocketCommunicator(
        application, PATH, headers=[*SAME_ORIGIN, (b"cookie", cookie)]
    )

    accepted, _ = await communicator.connect()

    assert accepted
    assert await communicator.receive_json_from() == {"type": "unread", "count": 2}
    await communicator.disconnect()


async def test_a_page_of_another_site_cannot_open_the_socket(patient: User) -> None:
    cookie = await _session_cookie(patient)
    communicator = WebsocketCommunicator(
        application,
        PATH,
        headers=[
            (b"origin", b"https://evil.example"),
            (b"host", b"localhost"),
            (b"cookie", cookie),
        ],
    )
    accepted, _ = await communicator.connect()
    assert not accepted


async def test_a_new_count_is_pushed_when_a_notification_commits(
    connected: WebsocketCommunicator, patient: User
) -> None:
    await _notify_committed(patient)
    assert await connected.receive_json_from() == {"type": "unread", "count": 1}

    await _notify_committed(patient)
    assert await connected.receive_json_from() == {"type": "unread", "count": 2}


async def test_the_pushed_message_carries_no_content(
    connected: WebsocketCommunicator, patient: User
) -> None:
    await _notify_committed(patient, title="Résultat d'analyse disponible")
    raw = await connected.receive_from()
    assert "analyse" not in raw
    assert raw == '{"type": "unread", "count": 1}'


async def test_reading_everything_pushes_a_zero_count(
    connected: WebsocketCommunicator, patient: User
) -> None:
    await _notify_committed(patient)
    assert await connected.receive_json_from() == {"type": "unread", "count": 1}

    await sync_to_async(mark_all_read)(actor=patient)

    assert await connected.receive_json_from() == {"type": "unread", "count": 0}


async def test_someone_elses_notification_is_not_pushed_to_me(
    connected: WebsocketCommunicator, other_clinician: User
) -> None:
    await _notify_committed(other_clinician)
    assert await connected.receive_nothing(timeout=0.3)


async def test_nothing_is_pushed_for_a_rolled_back_notification(
    connected: WebsocketCommunicator, patient: User
) -> None:
    class Failed(Exception):
        pass

    def notify_then_fail() -> None:
        with transaction.atomic():
            notify(recipient=patient, kind="consultation.answered", title="Annulé")
            raise Failed

    with pytest.raises(Failed):
        await sync_to_async(notify_then_fail)()
    assert await connected.receive_nothing(timeout=0.3)


async def test_ping_gets_pong(connected: WebsocketCommunicator) -> None:
    await connected.send_json_to({"type": "ping"})
    assert await connected.receive_json_from() == {"type": "pong"}


@pytest.mark.parametrize("frame", ["{not json", "[1, 2", "\x00"])
async def test_junk_gets_an_error_and_the_socket_stays_open(
    connected: WebsocketCommunicator, frame: str
) -> None:
    await connected.send_to(text_data=frame)
    assert await connected.receive_json_from() == {"type": "error", "error": "invalid JSON"}

    await connected.send_json_to({"type": "ping"})
    assert await connected.receive_json_from() == {"type": "pong"}


@pytest.mark.parametrize(
    "message", [{"type": "subscribe", "user": 1}, {"type": "ping", "extra": 1}, ["ping"], "ping", 3]
)
async def test_an_unsupported_message_gets_an_error(
    connected: WebsocketCommunicator, message: Any
) -> None:
    await connected.send_json_to(message)
    assert await connected.receive_json_from() == {"type": "error", "error": "unsupported message"}


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda c: c.send_to(text_data='"' + "x" * 1100 + '"'), id="oversized-text"),
        pytest.param(lambda c: c.send_to(bytes_data=b'{"type": "ping"}'), id="binary"),
    ],
)
async def test_an_oversized_or_binary_frame_closes_with_4400(
    connected: WebsocketCommunicator, send: Callable[[WebsocketCommunicator], Any]
) -> None:
    await send(connected)
    assert await connected.receive_output() == {"type": "websocket.close", "code": 4400}


@sync_to_async
def _online(user: User) -> bool:
    from maillage.notifications.selectors import online_user_ids

    return user.pk in online_user_ids(user_ids=[user.pk])


async def test_an_open_socket_makes_its_user_online_until_it_closes(patient: User) -> None:
    assert not await _online(patient)
    first, second = _communicator(patient), _communicator(patient)
    for socket in (first, second):
        accepted, _ = await socket.connect()
        assert accepted
        await socket.receive_json_from()
    assert await _online(patient)
    await first.disconnect()
    assert await _online(patient), "a second page is still open"
    await second.disconnect()
    assert not await _online(patient)


async def test_a_refused_socket_does_not_count_as_presence() -> None:
    professional = await sync_to_async(ProfessionalFactory)(role=Role.GP)
    socket = _communicator(professional, second_factor_used=False)
    accepted, _ = await socket.connect()
    assert not accepted
    assert not await _online(professional)


@sync_to_async
def _notify_many_committed(recipients: list[User]) -> None:
    with transaction.atomic():
        notify_many(recipients=recipients, kind="cases.new", title="Un nouveau cas", by_email=False)


async def test_one_push_reaches_every_page_of_each_person_told_and_no_one_else(
    patient: User, treating_clinician: User, other_clinician: User
) -> None:
    # given the patient with two pages open, a doctor with one, another doctor with one
    sockets = [
        _communicator(user) for user in (patient, patient, treating_clinician, other_clinician)
    ]
    for socket in sockets:
        accepted, _ = await socket.connect()
        assert accepted
        assert await socket.receive_json_from() == {"type": "unread", "count": 0}
    patient_first, patient_second, doctor, bystander = sockets

    # when one fan-out tells the patient and the first doctor
    await _notify_many_committed([patient, treating_clinician])

    # then each of their pages gets its own person's count, the other doctor's nothing
    for socket in (patient_first, patient_second, doctor):
        assert await socket.receive_json_from() == {"type": "unread", "count": 1}
    assert await bystander.receive_nothing(timeout=0.3)
    for socket in sockets:
        await socket.disconnect()


async def test_the_process_stops_listening_when_its_last_page_closes(patient: User) -> None:
    socket = _communicator(patient)
    accepted, _ = await socket.connect()
    assert accepted
    await socket.receive_json_from()
    assert hub.sockets
    assert hub.listening

    await socket.disconnect()

    assert hub.sockets == {}
    assert not hub.listening


async def test_a_socket_is_closed_when_the_channel_layer_is_down(
    patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given Redis unreachable
    async def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Redis unreachable")

    monkeypatch.setattr(get_channel_layer(), "group_add", down)

    # when a page opens its socket
    socket = _communicator(patient)
    accepted, _ = await socket.connect()

    # then it is closed before any count (the page says live updates are off), and the
    # process keeps nothing of it
    assert accepted
    assert await socket.receive_output() == {"type": "websocket.close", "code": 1011}
    assert hub.sockets == {}
    assert not hub.listening
