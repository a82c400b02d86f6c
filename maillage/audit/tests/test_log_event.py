from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from maillage.audit.models import AuditEvent
from maillage.audit.services import AuditOutsideTransaction, describe_target, log_event
from maillage.core.middleware import RequestIdMiddleware
from maillage.core.models import ScheduledRun

if TYPE_CHECKING:
    # Type only: audit sits below accounts (docs/architecture.md); the personas come as fixtures.
    from maillage.accounts.models import User


def test_an_event_records_who_did_what_to_which_row_for_which_patient(
    treating_clinician: User, patient: User
) -> None:
    event = log_event(
        actor=treating_clinician,
        action="records.opened",
        target=patient,
        patient=patient,
        reason="consultation",
        details={"section": "allergies", "count": 2, "complete": True, "note": None},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == treating_clinician
    assert stored.actor_role == "gp"
    assert stored.action == "records.opened"
    assert stored.target_type == "accounts.user"
    assert stored.target_id == str(patient.public_id)
    assert stored.patient == patient
    assert stored.reason == "consultation"
    assert stored.details == {"section": "allergies", "count": 2, "complete": True, "note": None}
    assert stored.occurred_at is not None


@pytest.mark.django_db
def test_a_row_without_public_id_is_described_by_its_primary_key() -> None:
    run = ScheduledRun.objects.create(job="core.test", slot=1, claimed_at="2026-01-01T00:00Z")
    assert describe_target(run) == ("core.scheduledrun", str(run.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_an_anonymous_or_system_action_has_no_actor(actor: AnonymousUser | None) -> None:
    event = log_event(actor=actor, action="accounts.login_failed")
    assert event.actor is None
    assert event.actor_role == ""
    assert (event.target_type, event.target_id) == ("", "")


@pytest.mark.django_db
def test_outside_a_request_no_request_id_or_address_is_recorded() -> None:
    event = log_event(actor=None, action="core.job_ran")
    assert event.request_id == ""
    assert event.ip_address is None


@pytest.mark.django_db
def test_inside_a_request_its_id_and_client_address_are_recorded() -> None:
    events: list[AuditEvent] = []

    def view(request: HttpRequest) -> HttpResponse:
        events.append(log_event(actor=None, action="core.page_seen"))
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="upstream-0001", REMOTE_ADDR="192.0.2.4")
    RequestIdMiddleware(view)(request)

    assert events[0].request_id == "upstream-0001"
    assert events[0].ip_address == "192.0.2.4"


@pytest.mark.django_db
def test_a_long_reason_is_cut_to_the_column_size() -> None:
    event = log_event(actor=None, action="core.test", reason="x" * 300)
    assert event.reason == "x" * 255


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransaction):
        log_event(actor=None, action="accounts.login_failed")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_event_rolls_back_with_the_change_it_describes() -> None:
    class ChangeFailed(Exception):
        pass

    def change_that_fails() -> None:
        with transaction.atomic():
            log_event(actor=None, action="accounts.patient_registered")
            raise ChangeFailed

    with pytest.raises(ChangeFailed):
        change_that_fails()

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action",
    [
        "",
        "opened",
        "Records.opened",
        "records.",
        ".opened",
        "records..opened",
        "records.opened-now",
        "records.opened\n",
        "records.opened; drop",
        "records." + "a" * 60,
    ],
)
def test_a_malformed_action_is_refused(action: str) -> None:
    with pytest.raises(ValueError, match="malformed audit action"):
        log_event(actor=None, action=action)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", ["records.opened", "a.b.c", "directory.treating_doctor_declared"]
)
def test_a_dotted_lowercase_action_is_accepted(action: str) -> None:
    assert log_event(actor=None, action=action).action == action


@pytest.mark.django_db
@pytest.mark.parametrize("value", [["allergy"], {"code": "J45"}, b"bytes"])
def test_details_that_are_not_scalars_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="scalars"):
        log_event(actor=None, action="records.opened", details={"what": value})  # type: ignore[dict-item]  # the point of the test
    assert not AuditEvent.objects.exists()


def test_an_event_never_shows_its_content_in_its_string(patient: User) -> None:
    event = log_event(actor=patient, action="records.opened", reason="Asthme sévère")
    assert str(event) == f"AuditEvent {event.pk}"
