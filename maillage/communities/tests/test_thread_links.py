"""The thread page links only where its reader may go (commit 7f0f901 did it for /demandes/)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.communities import services
from maillage.communities.models import Community
from maillage.communities.tests.test_communities import start

pytestmark = pytest.mark.django_db


def test_the_ask_your_doctor_link_shows_only_to_whoever_may_write_a_request(
    member: User,
    other_member: User,
    community: Community,
    moderator: User,
    treating_clinician: User,
    client: Client,
) -> None:
    # given a patient's reply that reads like a diagnosis, which suggests asking one's GP
    thread = start(member, community).thread
    services.reply(
        actor=other_member,
        thread=thread,
        body="Tu as sûrement une neuropathie, arrête ton traitement.",
        idempotency_key=uuid.uuid4(),
    )
    url = reverse("communities:thread", args=[thread.public_id])
    new = reverse("consultations:new")
    # then the patient gets the link, and it opens
    client.force_login(member)
    assert new in client.get(url).content.decode()
    assert client.get(new).status_code == 200
    # and a moderator or a doctor, for whom the form is a 404, reads the advice without it
    for reader in (moderator, treating_clinician):
        client.force_login(reader)
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "seul un médecin qui connaît votre dossier" in body
        assert new not in body
        assert client.get(new).status_code == 404
