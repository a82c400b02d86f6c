"""The patient's and the practice's pages for online requests."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.consultations import selectors, services
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.directory.models import Practice
from maillage.triage import services as triage

pytestmark = pytest.mark.django_db
NEW = reverse("consultations:new")


def post_new(client: Client, patient: User, practice: Practice, **extra: object) -> object:
    data: dict[str, object] = {
        "patient": patient.pk,
        "practice": practice.pk,
        "route": "renewal",
        "subject": "Renouvellement",
        "message": "Ma pilule se termine la semaine prochaine.",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return client.post(NEW, data)


def test_a_patient_sends_a_request_and_sees_its_promise(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)

    response = post_new(client, patient, practice)

    request = OnlineRequest.objects.get()
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(reverse("consultations:request", args=[request.public_id])).content.decode()
    assert "Réponse promise" in page
    assert "avant" in page


def test_a_red_flag_shows_the_numbers_and_keeps_the_text(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)

    response = post_new(client, patient, practice, message="J'ai une douleur dans la poitrine")

    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert 'href="tel:15"' in body
    assert "J&#x27;ai une douleur dans la poitrine" in body
    assert "Envoyer quand même au cabinet (signalé)" in body
    assert not OnlineRequest.objects.exists()


def test_the_form_is_prefilled_from_a_self_assessment(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    assessment = triage.start_assessment(actor=patient, patient=patient, template="mal-de-gorge")
    client.force_login(patient)

    body = client.get(f"{NEW}?auto-evaluation={assessment.public_id}").content.decode()

    assert 'value="Mal de gorge"' in body
    assert "Mes réponses à l&#x27;auto-évaluation" in body


def test_an_outsider_gets_404_on_the_patient_page_and_on_the_team_page(
    client: Client,
    patient: User,
    practice: Practice,
    availability: PracticeAvailability,
    other_clinician: User,
) -> None:
    request = services.submit_request(
        actor=patient,
        patient=patient,
        practice=practice,
        route="other",
        subject="x",
        message="Question administrative",
        idempotency_key=uuid.uuid4(),
    )
    client.force_login(PatientFactory())
    assert client.get(reverse("consultations:request", args=[request.public_id])).status_code == 404
    client.force_login(other_clinician)
    assert (
        client.get(reverse("consultations:team_request", args=[request.public_id])).status_code
        == 404
    )


def test_the_team_answers_from_its_page(
    client: Client,
    patient: User,
    practice: Practice,
    availability: PracticeAvailability,
    treating_clinician: User,
) -> None:
    request = services.submit_request(
        actor=patient,
        patient=patient,
        practice=practice,
        route="renewal",
        subject="Pilule",
        message="Renouvellement s'il vous plaît",
        idempotency_key=uuid.uuid4(),
    )
    client.force_login(treating_clinician)
    url = reverse("consultations:team_request", args=[request.public_id])

    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Ordonnance déposée à l'accueil.", "action": "close"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == OnlineRequest.Status.CLOSED


def test_the_queue_page_costs_the_same_with_many_requests(
    client: Client,
    patient: User,
    practice: Practice,
    availability: PracticeAvailability,
    staff: User,
) -> None:
    availability.daily_capacity = 100
    availability.save()

    def submit(count: int) -> None:
        for index in range(count):
            services.submit_request(
                actor=patient,
                patient=patient,
                practice=practice,
                route="other",
                subject=f"Demande {index}",
                message="Question administrative",
                idempotency_key=uuid.uuid4(),
            )

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("consultations:queue"))
        assert response.status_code == 200
        return len(captured), response.content.decode()

    # given a few requests, then more than a page of them
    client.force_login(staff)
    submit(3)
    queries()  # per-process caches warm
    small, _page = queries()
    submit(57)
    big, page = queries()
    # then the page costs the same queries, and still names each request's route and status
    assert small == big
    assert big <= 12, big
    assert page.count("Autre demande") >= selectors.QUEUE_PAGE
    assert "envoyée" in page


def test_what_is_typed_is_kept_server_side_and_restored(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)

    saved = client.post(
        reverse("consultations:draft"),
        {"subject": "Mal au dos", "message": "Depuis lundi…", "evil": "x"},
    )
    body = client.get(NEW).content.decode()

    assert saved.status_code == 200
    assert 'value="Mal au dos"' in body
    assert "Depuis lundi…" in body


def test_sending_the_request_discards_the_draft(
    client: Client, patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    client.force_login(patient)
    client.post(reverse("consultations:draft"), {"subject": "Brouillon"})

    post_new(client, patient, practice)

    assert 'value="Brouillon"' not in client.get(NEW).content.decode()
