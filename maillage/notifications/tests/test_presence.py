"""Presence: who has a Maillage page open, as every process sees it (the database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from maillage.accounts.models import User
from maillage.notifications.models import Presence
from maillage.notifications.selectors import PRESENCE_TIMEOUT, online_user_ids
from maillage.notifications.services import note_connected, note_disconnected, note_seen

pytestmark = pytest.mark.django_db


def test_pages_open_and_close(patient: User) -> None:
    note_connected(user_id=patient.pk)
    note_connected(user_id=patient.pk)
    note_disconnected(user_id=patient.pk)
    assert online_user_ids(user_ids=[patient.pk]) == {patient.pk}
    note_disconnected(user_id=patient.pk)
    note_disconnected(user_id=patient.pk)  # a duplicate close never goes below zero
    assert Presence.objects.get(user=patient).connections == 0
    assert online_user_ids(user_ids=[patient.pk]) == set()


def test_a_page_that_stops_pinging_is_presumed_closed(patient: User) -> None:
    note_connected(user_id=patient.pk)
    with time_machine.travel(timezone.now() + PRESENCE_TIMEOUT - timedelta(seconds=5)):
        note_seen(user_id=patient.pk)
    with time_machine.travel(timezone.now() + PRESENCE_TIMEOUT + timedelta(seconds=1)):
        assert online_user_ids(user_ids=[patient.pk]) == {patient.pk}
    with time_machine.travel(timezone.now() + 2 * PRESENCE_TIMEOUT + timedelta(seconds=1)):
        assert online_user_ids(user_ids=[patient.pk]) == set()


def test_the_count_left_by_a_dead_process_is_reset_on_the_next_connection(
    patient: User,
) -> None:
    note_connected(user_id=patient.pk)
    note_connected(user_id=patient.pk)  # the process holding these two sockets dies
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        note_connected(user_id=patient.pk)
        note_disconnected(user_id=patient.pk)
        assert online_user_ids(user_ids=[patient.pk]) == set()
