"""The practice triages, assigns, answers, asks for more and closes; the patient is told."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.consultations import selectors, services
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> OnlineRequest:
    return services.submit_request(
        actor=patient,
        patient=patient,
        practice=practice,
        route=OnlineRequest.Route.CLINICAL,
        subject="Toux",
        message="Je tousse depuis dix jours.",
        idempotency_key=uuid.uuid4(),
    )


def test_the_queue_puts_the_most_urgent_first_then_the_oldest(
    patient: User, practice: Practice, availability: PracticeAvailability, staff: User
) -> None:
    def make(message: str, **extra: object) -> OnlineRequest:
        return services.submit_request(
            actor=patient,
            patient=patient,
            practice=practice,
            route="clinical",
            subject="x",
            message=message,
            idempotency_key=uuid.uuid4(),
            **extra,  # type: ignore[arg-type]
        )

    old = make("Question sur mon traitement")
    urgent = make("Fièvre depuis 4 jours qui ne baisse pas")
    flagged = make("Douleur dans la poitrine", after_emergency=True)

    rows = selectors.list_queue_for(actor=staff)

    assert [row.request for row in rows] == [flagged, urgent, old]


def test_the_clock_turns_amber_then_red(request_: OnlineRequest) -> None:
    promised = request_.promised_by

    assert selectors.clock_of(request_, promised - timedelta(hours=3)) == "ok"
    assert selectors.clock_of(request_, promised - timedelta(hours=1)) == "amber"
    assert selectors.clock_of(request_, promised + timedelta(minutes=1)) == "red"


def test_staff_assigns_to_a_gp_of_the_practice(
    request_: OnlineRequest, staff: User, treating_clinician: User
) -> None:
    services.assign_request(actor=staff, request=request_, clinician=treating_clinician)

    request_.refresh_from_db()
    assert (request_.assigned_to, request_.status) == (
        treating_clinician,
        OnlineRequest.Status.IN_REVIEW,
    )
    assert Notification.objects.filter(
        recipient=treating_clinician, kind="consultations.request_assigned"
    ).exists()


def test_an_outsider_gp_can_neither_assign_nor_answer(
    request_: OnlineRequest, other_clinician: User
) -> None:
    with pytest.raises(NotAllowed):
        services.answer_request(actor=other_clinician, request=request_, body="Bonjour")
    with pytest.raises(NotAllowed):
        services.assign_request(actor=other_clinician, request=request_, clinician=other_clinician)


def test_asking_for_more_waits_for_the_patient_whose_reply_returns_it(
    request_: OnlineRequest, treating_clinician: User, patient: User
) -> None:
    services.answer_request(
        actor=treating_clinician,
        request=request_,
        body="Avez-vous de la fièvre ?",
        ask_for_more=True,
    )
    request_.refresh_from_db()
    assert request_.status == OnlineRequest.Status.AWAITING_PATIENT
    assert Notification.objects.filter(
        recipient=patient, kind="consultations.request_updated"
    ).exists()

    services.reply_as_patient(actor=patient, request=request_, body="Non, pas de fièvre.")

    request_.refresh_from_db()
    assert request_.status == OnlineRequest.Status.IN_REVIEW
    assert [e.kind for e in request_.events.all()][-2:] == ["info_requested", "patient_replied"]


def test_closing_ends_the_exchange(
    request_: OnlineRequest, treating_clinician: User, patient: User
) -> None:
    services.close_request(actor=treating_clinician, request=request_, body="Venez me voir mardi.")

    request_.refresh_from_db()
    assert request_.status == OnlineRequest.Status.CLOSED
    assert request_.closed_at is not None
    with pytest.raises(services.RequestClosed):
        services.reply_as_patient(actor=patient, request=request_, body="Merci")


def test_the_queue_is_only_the_practices_own(
    request_: OnlineRequest, other_clinician: User, staff: User
) -> None:
    assert selectors.list_queue_for(actor=other_clinician) == []
    assert [row.request for row in selectors.list_queue_for(actor=staff)] == [request_]


def test_the_team_is_warned_once_before_the_promised_time(
    request_: OnlineRequest, staff: User, treating_clinician: User
) -> None:
    early = request_.promised_by - timedelta(hours=3)
    near = request_.promised_by - timedelta(minutes=30)

    assert services.escalate_late_requests(now=early) == 0
    assert services.escalate_late_requests(now=near) == 1
    assert services.escalate_late_requests(now=near) == 0
    warned = Notification.objects.filter(kind="consultations.request_late")
    assert {n.recipient for n in warned} == {staff, treating_clinician}


def test_a_closed_request_is_never_escalated(
    request_: OnlineRequest, treating_clinician: User
) -> None:
    services.close_request(actor=treating_clinician, request=request_, body="C'est fait.")

    assert services.escalate_late_requests(now=request_.promised_by) == 0


def test_the_queue_pages_by_keyset_most_urgent_first_then_oldest(
    client: Client, staff: User, practice: Practice, patient: User
) -> None:
    now = timezone.now()
    made = []
    for n in range(selectors.QUEUE_PAGE + 5):
        urgency = OnlineRequest.Urgency.URGENT if n % 10 == 0 else OnlineRequest.Urgency.ROUTINE
        made.append(
            OnlineRequest.objects.create(
                practice=practice,
                patient=patient,
                submitted_by=patient,
                route=OnlineRequest.Route.RENEWAL,
                subject=f"Demande {n}",
                message="Bonjour",
                urgency=urgency,
                submitted_at=now - timedelta(minutes=n),
                promised_by=now + timedelta(hours=8),
            )
        )
    first = selectors.list_queue_for(actor=staff)
    assert len(first) == selectors.QUEUE_PAGE
    assert all(row.request.urgency == "urgent" for row in first[:6])
    rest = selectors.list_queue_for(actor=staff, after=selectors.queue_cursor(first[-1]))
    seen = [row.request.pk for row in first + rest]
    assert sorted(seen) == sorted(r.pk for r in made)
    assert len(set(seen)) == len(seen)

    client.force_login(staff)
    page = client.get(reverse("consultations:queue"))
    assert page.context["next_page"]
    second = client.get(reverse("consultations:queue"), {"apres": page.context["next_page"]})
    assert len(second.context["rows"]) == 5
