"""Past their limit, request submission, case and post creation, reports and the OAuth token
endpoint answer 429, and nothing is saved."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.cases.models import Case
from maillage.communities import services as communities
from maillage.communities.models import Community, Post, Report
from maillage.consultations.models import OnlineRequest

pytestmark = pytest.mark.django_db

TWO = {
    "online_request": "2/h",
    "case": "2/h",
    "community_post": "2/h",
    "report": "2/h",
    "oauth_token": "2/m",
}


@override_settings(RATE_LIMITS=TWO)
def test_a_third_online_request_within_the_hour_is_refused(client: Client, patient: User) -> None:
    client.force_login(patient)
    url = reverse("consultations:new")
    statuses = [client.post(url, {"subject": ""}).status_code for _ in range(3)]
    assert statuses[:2] != [429, 429]
    assert statuses[2] == 429
    assert "Trop d'envois" in client.post(url, {}).content.decode()
    assert not OnlineRequest.objects.exists()


@override_settings(RATE_LIMITS=TWO)
def test_cases_posts_and_reports_have_their_own_limits(client: Client) -> None:
    doctor = ProfessionalFactory()
    client.force_login(doctor)
    for _ in range(2):
        client.post(reverse("cases:new"), {"title": ""})
    assert client.post(reverse("cases:new"), {"title": "Cas"}).status_code == 429
    assert not Case.objects.exists()

    community = Community.objects.create(
        slug="asthme", name="Asthme", kind=Community.Kind.CONDITION, description="d", rules="r"
    )
    member = PatientFactory()
    communities.join(actor=member, community=community, pseudonym="Mistral")
    post = communities.start_thread(
        actor=member,
        community=community,
        title="Inhalateur",
        body="Quel inhalateur ?",
        idempotency_key=uuid.uuid4(),
    ).post
    client.force_login(member)
    url = reverse("communities:thread", args=[post.thread.public_id])
    for n in range(2):
        client.post(url, {"body": f"Réponse {n}", "idempotency_key": str(uuid.uuid4())})
    refused = client.post(url, {"body": "Encore", "idempotency_key": str(uuid.uuid4())})
    assert refused.status_code == 429
    assert not Post.objects.filter(body="Encore").exists()
    report_url = reverse("communities:report", args=[post.public_id])
    for _ in range(2):
        client.post(report_url, {"reason": ""})
    assert client.post(report_url, {"reason": "abuse"}).status_code == 429
    assert not Report.objects.exists()


@override_settings(RATE_LIMITS=TWO)
def test_the_token_endpoint_is_limited_per_address(client: Client) -> None:
    url = reverse("fhir_oauth:token")
    statuses = [
        client.post(url, {"grant_type": "authorization_code"}).status_code for _ in range(3)
    ]
    assert statuses[0] != 429
    assert statuses[2] == 429
