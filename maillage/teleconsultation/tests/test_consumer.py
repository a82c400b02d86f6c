"""The call's signalling socket: who may join, what is relayed to whom, what is logged."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.test import Client

from config.asgi import application
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.notifications.tests.websocket import WebsocketCommunicator
from maillage.teleconsultation import call_services
from maillage.teleconsultation.models import Appointment, CallEvent, CallMessage, GuestPass
from maillage.teleconsultation.tests.call_helpers import (
    call_socket,
    make_video_appointment,
    session_of,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SAME_ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
OFFER = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
CANDIDATE = {
    "candidate": {
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
}


@pytest.fixture
def appointment(treating_clinician: User, patient: User) -> Appointment:
    return make_video_appointment(doctor=treating_clinician, patient=patient)


async def _join(communicator: WebsocketCommunicator) -> dict[str, Any]:
    accepted, _ = await communicator.connect()
    assert accepted
    welcome: dict[str, Any] = await communicator.receive_json_from()
    assert welcome["type"] == "welcome", welcome
    return welcome


async def _refused_with(communicator: WebsocketCommunicator) -> int | None:
    accepted, _ = await communicator.connect()
    assert accepted  # accepted, then closed: the page sees the code and stops retrying
    output = await communicator.receive_output()
    assert output["type"] == "websocket.close", output
    code: int | None = output.get("code")
    return code


@sync_to_async
def _events(appointment: Appointment) -> list[tuple[str, str, str]]:
    return list(
        CallEvent.objects.filter(appointment=appointment).values_list("kind", "role", "detail")
    )


@sync_to_async
def _refusals() -> int:
    return AuditEvent.objects.filter(action="teleconsultation.call_refused").count()


@pytest_asyncio.fixture
async def doctor_in_call(
    appointment: Appointment, treating_clinician: User
) -> AsyncIterator[tuple[WebsocketCommunicator, dict[str, Any]]]:
    communicator = call_socket(appointment, user=treating_clinician)
    welcome = await _join(communicator)
    yield communicator, welcome
    await communicator.disconnect()


@pytest_asyncio.fixture
async def both_in_call(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]],
    appointment: Appointment,
    patient: User,
) -> AsyncIterator[dict[str, Any]]:
    doctor, doctor_welcome = doctor_in_call
    patient_socket = call_socket(appointment, user=patient)
    patient_welcome = await _join(patient_socket)
    joined = await doctor.receive_json_from()
    yield {
        "doctor": doctor,
        "doctor_peer": doctor_welcome["peer"],
        "patient": patient_socket,
        "patient_peer": patient_welcome["peer"],
        "patient_welcome": patient_welcome,
        "joined": joined,
    }
    await patient_socket.disconnect()


async def test_the_doctor_alone_is_welcomed_with_the_room(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]], appointment: Appointment
) -> None:
    _, welcome = doctor_in_call
    assert welcome["role"] == "doctor"
    assert welcome["peers"] == []
    assert welcome["room"] == {
        "doctor_present": True,
        "announced_delay": 0,
        "starts_at": appointment.starts_at.isoformat(),
    }
    assert await _events(appointment) == [("joined", "doctor", "")]


async def test_the_patient_sees_the_doctor_and_the_doctor_sees_the_patient_join(
    both_in_call: dict[str, Any], patient: User
) -> None:
    welcome = both_in_call["patient_welcome"]
    assert welcome["role"] == "patient"
    assert [(peer["peer"], peer["role"]) for peer in welcome["peers"]] == [
        (both_in_call["doctor_peer"], "doctor")
    ]
    assert welcome["room"]["doctor_present"] is True
    joined = both_in_call["joined"]
    assert joined["type"] == "peer-joined"
    assert (joined["peer"], joined["role"], joined["name"]) == (
        both_in_call["patient_peer"],
        "patient",
        patient.get_full_name(),
    )


async def test_a_signal_reaches_the_addressed_peer_only(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    # given a guest in the call as well
    guest_socket = await _guest_socket(appointment)
    await _join(guest_socket)
    doctor, patient = both_in_call["doctor"], both_in_call["patient"]
    assert (await doctor.receive_json_from())["type"] == "peer-joined"
    assert (await patient.receive_json_from())["type"] == "peer-joined"

    # when the patient sends an offer and a candidate to the doctor
    await patient.send_json_to({"type": "signal", "to": both_in_call["doctor_peer"], "data": OFFER})
    await patient.send_json_to(
        {"type": "signal", "to": both_in_call["doctor_peer"], "data": CANDIDATE}
    )

    # then the doctor gets both, untouched, and nobody else gets anything
    assert await doctor.receive_json_from() == {
        "type": "signal",
        "from": both_in_call["patient_peer"],
        "data": OFFER,
    }
    assert (await doctor.receive_json_from())["data"] == CANDIDATE
    assert await guest_socket.receive_nothing(timeout=0.2)
    assert await patient.receive_nothing(timeout=0.1)
    # and relaying wrote nothing to the call log
    kinds = [kind for kind, _, _ in await _events(appointment)]
    assert sorted(kinds) == ["guest_invited", "guest_joined", "joined", "joined", "joined"]
    await guest_socket.disconnect()


async def test_a_signal_to_an_unknown_peer_gets_an_error(both_in_call: dict[str, Any]) -> None:
    patient = both_in_call["patient"]
    await patient.send_json_to({"type": "signal", "to": "0" * 16, "data": OFFER})
    assert await patient.receive_json_from() == {
        "type": "error",
        "error": "unknown peer",
        "peer": "0" * 16,
    }


@pytest.mark.parametrize("who", ["other_patient", "other_clinician", "anonymous"])
async def test_an_outsider_is_closed_with_4403_and_audited(
    appointment: Appointment, other_clinician: User, who: str
) -> None:
    from django.contrib.auth.models import AnonymousUser

    outsider: Any = {
        "other_patient": lambda: PatientFactory(),
        "other_clinician": lambda: other_clinician,
        "anonymous": lambda: AnonymousUser(),
    }[who]
    user = await sync_to_async(outsider)()

    code = await _refused_with(call_socket(appointment, user=user))

    assert code == 4403
    assert await _refusals() == 1
    assert await _events(appointment) == []


async def test_a_patient_without_consent_is_refused(
    treating_clinician: User, patient: User
) -> None:
    appointment = await sync_to_async(make_video_appointment)(
        doctor=treating_clinician, patient=patient, consent=False
    )
    assert await _refused_with(call_socket(appointment, user=patient)) == 4403
    assert await _refusals() == 1


async def test_a_doctor_whose_session_skipped_the_second_factor_is_refused(
    appointment: Appointment, treating_clinician: User
) -> None:
    session = session_of(treating_clinician, second_factor_used=False)
    communicator = call_socket(appointment, user=treating_clinician, session=session)
    assert await _refused_with(communicator) == 4403


async def test_a_doctor_without_any_second_factor_is_refused(patient: User) -> None:
    doctor = await sync_to_async(ProfessionalFactory)(role=Role.GP, mfa=False)
    appointment = await sync_to_async(make_video_appointment)(doctor=doctor, patient=patient)
    communicator = call_socket(appointment, user=doctor, session={})
    assert await _refused_with(communicator) == 4403


async def test_a_cancelled_appointment_refuses_everyone(
    appointment: Appointment, patient: User
) -> None:
    await sync_to_async(Appointment.objects.filter(pk=appointment.pk).update)(
        status=Appointment.Status.CANCELLED
    )
    assert await _refused_with(call_socket(appointment, user=patient)) == 4403


async def test_chat_is_stored_and_broadcast_to_everyone(
    both_in_call: dict[str, Any], appointment: Appointment, patient: User
) -> None:
    doctor, patient_socket = both_in_call["doctor"], both_in_call["patient"]

    await patient_socket.send_json_to({"type": "chat", "body": "  Je vous entends mal.  "})

    for socket in (doctor, patient_socket):
        line = await socket.receive_json_from()
        assert line["type"] == "chat"
        assert (line["body"], line["role"], line["name"]) == (
            "Je vous entends mal.",
            "patient",
            patient.get_full_name(),
        )
    stored = await sync_to_async(CallMessage.objects.get)(appointment=appointment)
    assert stored.body == "Je vous entends mal."
    assert str(stored.public_id) == line["id"]


async def test_an_empty_chat_line_is_refused_in_french(both_in_call: dict[str, Any]) -> None:
    patient = both_in_call["patient"]
    await patient.send_json_to({"type": "chat", "body": "   "})
    assert await patient.receive_json_from() == {
        "type": "error",
        "error": "refused",
        "message": "Le message est vide.",
    }


async def test_a_drop_is_recorded_as_an_incident_and_announced(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    doctor, patient_socket = both_in_call["doctor"], both_in_call["patient"]

    await patient_socket.disconnect(code=1006)

    assert await doctor.receive_json_from() == {
        "type": "peer-left",
        "peer": both_in_call["patient_peer"],
        "reason": "dropped",
    }
    assert ("dropped", "patient", "code 1006") in await _events(appointment)


async def test_coming_back_after_a_drop_records_rejoined(
    both_in_call: dict[str, Any], appointment: Appointment, patient: User
) -> None:
    await both_in_call["patient"].disconnect(code=1006)
    await both_in_call["doctor"].receive_json_from()  # peer-left

    again = call_socket(appointment, user=patient)
    welcome = await _join(again)

    assert [peer["role"] for peer in welcome["peers"]] == ["doctor"]
    kinds = [(kind, role) for kind, role, _ in await _events(appointment)]
    assert kinds[-2:] == [("dropped", "patient"), ("rejoined", "patient")]
    await again.disconnect()


async def test_a_drop_the_server_missed_is_closed_when_the_page_comes_back(
    both_in_call: dict[str, Any], appointment: Appointment, patient: User
) -> None:
    # given the patient's old socket still looks open to the server
    old = both_in_call["patient"]

    # when the page reconnects and says it is coming back
    again = call_socket(appointment, user=patient, query="?reprise=1")
    await _join(again)

    # then the old socket gives way, the drop and the return are both logged
    assert await old.receive_output() == {"type": "websocket.close", "code": 4409}
    kinds = [(kind, role, detail) for kind, role, detail in await _events(appointment)]
    assert ("rejoined", "patient", "") in kinds
    assert ("dropped", "patient", "reprise") in kinds
    doctor = both_in_call["doctor"]
    messages = [await doctor.receive_json_from(), await doctor.receive_json_from()]
    assert {message["type"] for message in messages} == {"peer-joined", "peer-left"}
    await again.disconnect()


async def test_leave_records_left_and_closes_cleanly(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    doctor, patient_socket = both_in_call["doctor"], both_in_call["patient"]

    await patient_socket.send_json_to({"type": "leave"})

    assert await patient_socket.receive_output() == {"type": "websocket.close", "code": 1000}
    assert await doctor.receive_json_from() == {
        "type": "peer-left",
        "peer": both_in_call["patient_peer"],
        "reason": "left",
    }
    kinds = [kind for kind, role, _ in await _events(appointment) if role == "patient"]
    assert kinds == ["joined", "left"]


async def test_connected_is_recorded_once_and_starts_the_act(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    patient = both_in_call["patient"]
    for _ in range(3):
        await patient.send_json_to({"type": "state", "connection": "connected"})
    await patient.send_json_to({"type": "ping"})
    assert await patient.receive_json_from() == {"type": "pong"}

    kinds = [kind for kind, _, _ in await _events(appointment)]
    assert kinds.count("connected") == 1
    await sync_to_async(appointment.refresh_from_db)()
    assert appointment.status == Appointment.Status.IN_PROGRESS
    assert appointment.connected_at is not None


async def test_a_patient_alone_cannot_claim_a_connection(
    appointment: Appointment, patient: User
) -> None:
    communicator = call_socket(appointment, user=patient)
    await _join(communicator)
    await communicator.send_json_to({"type": "state", "connection": "connected"})
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error"
    assert "connected" not in [kind for kind, _, _ in await _events(appointment)]
    await sync_to_async(appointment.refresh_from_db)()
    assert appointment.status == Appointment.Status.BOOKED
    await communicator.disconnect()


async def test_chat_is_refused_once_the_appointment_is_cancelled(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    await sync_to_async(Appointment.objects.filter(pk=appointment.pk).update)(
        status=Appointment.Status.CANCELLED
    )
    patient = both_in_call["patient"]
    await patient.send_json_to({"type": "chat", "body": "Vous êtes là ?"})
    reply = await patient.receive_json_from()
    assert reply["type"] == "error"
    assert reply["error"] == "refused"


async def test_audio_only_is_logged_with_its_reason_and_told_to_the_others(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    doctor, patient = both_in_call["doctor"], both_in_call["patient"]

    await patient.send_json_to({"type": "media", "mode": "audio-only", "reason": "poor-link"})
    await patient.send_json_to(
        {"type": "incident", "kind": "ice-restart", "detail": "network change"}
    )
    await patient.send_json_to({"type": "media", "mode": "video", "reason": "manual"})

    assert await doctor.receive_json_from() == {
        "type": "media",
        "from": both_in_call["patient_peer"],
        "mode": "audio-only",
    }
    assert (await doctor.receive_json_from())["mode"] == "video"
    assert await patient.receive_nothing(timeout=0.1)
    events = await _events(appointment)
    assert ("audio_only", "patient", "poor-link") in events
    assert ("ice_restart", "patient", "network change") in events
    assert ("video_resumed", "patient", "manual") in events


async def test_the_doctor_announces_a_delay_to_the_waiting_room(
    both_in_call: dict[str, Any], appointment: Appointment
) -> None:
    doctor, patient = both_in_call["doctor"], both_in_call["patient"]

    await doctor.send_json_to({"type": "delay", "minutes": 15})

    assert await patient.receive_json_from() == {
        "type": "room",
        "doctor_present": True,
        "announced_delay": 15,
    }
    await sync_to_async(appointment.refresh_from_db)()
    assert appointment.announced_delay_minutes == 15


async def test_the_patient_cannot_announce_a_delay(both_in_call: dict[str, Any]) -> None:
    patient = both_in_call["patient"]
    await patient.send_json_to({"type": "delay", "minutes": 15})
    assert await patient.receive_json_from() == {"type": "error", "error": "forbidden"}


async def test_the_waiting_room_learns_when_the_doctor_arrives_and_leaves(
    appointment: Appointment, patient: User, treating_clinician: User
) -> None:
    patient_socket = call_socket(appointment, user=patient)
    welcome = await _join(patient_socket)
    assert welcome["room"]["doctor_present"] is False

    doctor = call_socket(appointment, user=treating_clinician)
    await _join(doctor)
    assert (await patient_socket.receive_json_from())["type"] == "peer-joined"
    assert await patient_socket.receive_json_from() == {
        "type": "room",
        "doctor_present": True,
        "announced_delay": 0,
    }

    await doctor.send_json_to({"type": "leave"})
    assert (await patient_socket.receive_json_from())["type"] == "peer-left"
    assert (await patient_socket.receive_json_from())["doctor_present"] is False
    await patient_socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("{not json", "invalid JSON"),
        ('["signal"]', "unsupported message"),
        ('{"type": "subscribe"}', "unsupported message"),
        ('{"type": 3}', "unsupported message"),
        ('{"type": "ping", "extra": 1}', "invalid message"),
        ('{"type": "chat", "body": 12}', "invalid message"),
        ('{"type": "signal", "to": "doctor", "data": {}}', "invalid message"),
        ('{"type": "signal", "to": "0123456789abcdef", "data": {"sdp": "x"}}', "invalid message"),
        (
            '{"type": "signal", "to": "0123456789abcdef", "data": '
            '{"description": {"type": "hack", "sdp": ""}}}',
            "invalid message",
        ),
        ('{"type": "media", "mode": "audio-only", "reason": "because"}', "invalid message"),
        ('{"type": "incident", "kind": "fire"}', "invalid message"),
        ('{"type": "incident", "kind": "poor-link", "detail": 5}', "invalid message"),
        ('{"type": "state", "connection": "failed"}', "invalid message"),
        ('{"type": "delay", "minutes": "10"}', "invalid message"),
    ],
)
async def test_a_malformed_frame_gets_an_error_and_the_socket_stays_open(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]], frame: str, error: str
) -> None:
    doctor, _ = doctor_in_call
    await doctor.send_to(text_data=frame)
    assert (await doctor.receive_json_from())["error"] == error

    await doctor.send_json_to({"type": "ping"})
    assert await doctor.receive_json_from() == {"type": "pong"}


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(
            lambda c: c.send_json_to({"type": "chat", "body": "x" * 70_000}), id="oversized"
        ),
        pytest.param(lambda c: c.send_to(bytes_data=b'{"type": "ping"}'), id="binary"),
    ],
)
async def test_an_oversized_or_binary_frame_closes_with_4400(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]],
    send: Callable[[WebsocketCommunicator], Any],
) -> None:
    doctor, _ = doctor_in_call
    await send(doctor)
    assert await doctor.receive_output() == {"type": "websocket.close", "code": 4400}


@sync_to_async
def _invite_and_redeem(appointment: Appointment) -> tuple[GuestPass, dict[str, Any]]:
    guest, token = call_services.invite_guest(
        actor=appointment.doctor, appointment=appointment, kind="carer", name="Marie, sa fille"
    )
    session: dict[str, Any] = {}
    call_services.redeem_guest_pass(token=token, session=session)
    return guest, session


async def _guest_socket(appointment: Appointment) -> WebsocketCommunicator:
    from django.contrib.auth.models import AnonymousUser

    _, session = await _invite_and_redeem(appointment)
    return call_socket(appointment, user=AnonymousUser(), session=session)


async def test_a_guest_with_a_redeemed_pass_joins(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]], appointment: Appointment
) -> None:
    doctor, _ = doctor_in_call
    guest_socket = await _guest_socket(appointment)

    welcome = await _join(guest_socket)

    assert (welcome["role"], welcome["name"]) == ("guest", "Marie, sa fille")
    joined = await doctor.receive_json_from()
    assert (joined["type"], joined["role"]) == ("peer-joined", "guest")
    await guest_socket.disconnect()


async def test_a_revoked_pass_is_refused(appointment: Appointment) -> None:
    from django.contrib.auth.models import AnonymousUser

    guest, session = await _invite_and_redeem(appointment)
    await sync_to_async(call_services.revoke_guest)(actor=appointment.doctor, guest=guest)

    communicator = call_socket(appointment, user=AnonymousUser(), session=session)
    assert await _refused_with(communicator) == 4403


async def test_revoking_a_pass_closes_the_guest_socket_at_once(
    doctor_in_call: tuple[WebsocketCommunicator, dict[str, Any]], appointment: Appointment
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from maillage.core.realtime import group_send
    from maillage.teleconsultation.consumers import call_group

    guest, session = await _invite_and_redeem(appointment)
    guest_socket = call_socket(appointment, user=AnonymousUser(), session=session)
    await _join(guest_socket)

    await sync_to_async(group_send)(
        call_group(appointment.public_id), {"type": "call.revoked", "guest": str(guest.public_id)}
    )

    assert await guest_socket.receive_output() == {"type": "websocket.close", "code": 4403}


@sync_to_async
def _session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_the_full_stack_lets_the_patient_in_with_their_cookie(
    appointment: Appointment, patient: User
) -> None:
    cookie = await _session_cookie(patient)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/teleconsultation/{appointment.public_id}/",
        headers=[*SAME_ORIGIN, (b"cookie", cookie)],
    )
    welcome = await _join(communicator)
    assert welcome["role"] == "patient"
    await communicator.disconnect()


async def test_the_full_stack_refuses_an_anonymous_visitor(appointment: Appointment) -> None:
    communicator = WebsocketCommunicator(
        application, f"/ws/teleconsultation/{appointment.public_id}/", headers=SAME_ORIGIN
    )
    assert await _refused_with(communicator) == 4403
    assert await _refusals() == 1


async def test_the_full_stack_refuses_another_site(appointment: Appointment, patient: User) -> None:
    cookie = await _session_cookie(patient)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/teleconsultation/{appointment.public_id}/",
        headers=[
            (b"origin", b"https://evil.example"),
            (b"host", b"localhost"),
            (b"cookie", cookie),
        ],
    )
    accepted, _ = await communicator.connect()
    assert not accepted
