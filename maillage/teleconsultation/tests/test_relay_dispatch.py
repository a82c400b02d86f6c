"""Relaying never waits for the database thread.

Every database call of an ASGI process runs in one thread. A signal between two browsers and an
unread count pushed to a page need no query, so they must not queue behind the queries of the
other sockets (bench/ws.py measures the relay under 2,000 held sockets).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from maillage.accounts.models import User
from maillage.notifications.consumers import NotificationConsumer
from maillage.notifications.live import COUNTS_GROUP, counts_message
from maillage.notifications.tests.websocket import WebsocketCommunicator
from maillage.teleconsultation.tests.call_helpers import (
    call_socket,
    make_video_appointment,
    session_of,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CANDIDATE = {
    "candidate": {
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
}


async def _join(communicator: WebsocketCommunicator) -> dict[str, Any]:
    accepted, _ = await communicator.connect()
    assert accepted
    welcome: dict[str, Any] = await communicator.receive_json_from()
    assert welcome["type"] == "welcome", welcome
    return welcome


async def test_a_signal_is_relayed_while_the_database_thread_is_busy(
    treating_clinician: User, patient: User
) -> None:
    # given the doctor and the patient in their call
    appointment = await sync_to_async(make_video_appointment)(
        doctor=treating_clinician, patient=patient
    )
    doctor = call_socket(appointment, user=treating_clinician)
    doctor_peer = (await _join(doctor))["peer"]
    patient_socket = call_socket(appointment, user=patient)
    patient_peer = (await _join(patient_socket))["peer"]
    assert (await doctor.receive_json_from())["type"] == "peer-joined"

    # when the patient sends a candidate while the database thread is taken
    release = threading.Event()
    busy = asyncio.ensure_future(sync_to_async(release.wait)())
    await asyncio.sleep(0.05)
    try:
        await patient_socket.send_json_to({"type": "signal", "to": doctor_peer, "data": CANDIDATE})

        # then the doctor gets it all the same
        assert await doctor.receive_json_from(timeout=3) == {
            "type": "signal",
            "from": patient_peer,
            "data": CANDIDATE,
        }
    finally:
        release.set()
        await busy
    await patient_socket.disconnect()
    await doctor.disconnect()


async def test_an_unread_count_is_pushed_while_the_database_thread_is_busy(
    treating_clinician: User,
) -> None:
    # given a doctor's page with its notification socket open
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = treating_clinician
    communicator.scope["session"] = session_of(treating_clinician)
    accepted, _ = await communicator.connect()
    assert accepted
    assert (await communicator.receive_json_from())["type"] == "unread"

    # when a count is pushed to them while the database thread is taken
    release = threading.Event()
    busy = asyncio.ensure_future(sync_to_async(release.wait)())
    await asyncio.sleep(0.05)
    try:
        await get_channel_layer().group_send(
            COUNTS_GROUP, counts_message([(treating_clinician.pk, 3)])
        )

        # then the page gets it all the same
        assert await communicator.receive_json_from(timeout=3) == {"type": "unread", "count": 3}
    finally:
        release.set()
        await busy
    await communicator.disconnect()
