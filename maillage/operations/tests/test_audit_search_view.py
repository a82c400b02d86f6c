from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.audit.services import log_event
from maillage.operations.selectors import AUDIT_PAGE_SIZE

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

URL = reverse("operations:audit")
PARIS = ZoneInfo("Europe/Paris")
SEARCHED = "operations.audit_searched"


def _actions(response: TestResponse) -> list[str]:
    body = response.content.decode()
    results = body.split('<section id="audit-results"', 1)[1]
    return re.findall(r"<td><code>([a-z_.]+)</code></td>", results)


def _event_ids(response: TestResponse) -> list[int]:
    return [event.pk for event in response.context["events"]]


@pytest.fixture
def operator_client(client: Client, operator: User) -> Client:
    client.force_login(operator)
    return client


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["patient", "treating_clinician", "staff"])
def test_anyone_but_an_operator_gets_404(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.get(URL, {"action": "accounts."})

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=SEARCHED).exists()


def test_the_operator_sees_the_trail_newest_first(operator_client: Client, patient: User) -> None:
    log_event(actor=patient, action="test.first", patient=patient)
    log_event(actor=patient, action="test.second", patient=patient)

    response = operator_client.get(URL)

    assert response.status_code == 200
    assert _actions(response)[:2] == ["test.second", "test.first"]


def test_the_search_is_itself_audited(operator_client: Client, operator: User) -> None:
    patient = PatientFactory()
    log_event(actor=patient, action="test.done", patient=patient)

    response = operator_client.get(URL, {"patient": str(patient.public_id), "action": "test."})

    searched = AuditEvent.objects.get(action=SEARCHED)
    assert searched.actor == operator
    assert searched.actor_role == "operator"
    assert searched.details == {
        "actor": "",
        "patient": str(patient.public_id),
        "action": "test.",
        "target": "",
        "since": "",
        "until": "",
        "before": None,
        "results": 1,
    }
    assert searched.request_id == response["X-Request-ID"]
    assert searched.ip_address == "127.0.0.1"


def test_the_audit_of_a_search_names_every_criterion(operator_client: Client) -> None:
    patient = PatientFactory()
    event = log_event(actor=None, action="test.done", target=patient)

    operator_client.get(
        URL,
        {
            "target": str(patient.public_id),
            "since": "2026-01-01",
            "until": "2026-12-31",
            "avant": str(event.pk + 1),
        },
    )

    details = AuditEvent.objects.get(action=SEARCHED).details
    assert details["target"] == str(patient.public_id)
    assert (details["since"], details["until"]) == ("2026-01-01", "2026-12-31")
    assert details["before"] == event.pk + 1


def test_filters_narrow_the_results(operator_client: Client) -> None:
    # given events by two people, about two patients, on two kinds of target
    alice, bob = PatientFactory(), PatientFactory()
    first = log_event(actor=alice, action="test.record_opened", target=alice, patient=alice)
    second = log_event(actor=bob, action="test.record_opened", target=bob, patient=bob)
    third = log_event(actor=alice, action="test.proxy_granted", patient=bob)

    def ids(**filters: str) -> list[int]:
        # "test." leaves out the registrations of alice and bob
        return _event_ids(operator_client.get(URL, {"action": "test.", **filters}))

    # then each filter keeps only its events
    assert ids() == [third.pk, second.pk, first.pk]
    assert ids(actor=str(alice.public_id)) == [third.pk, first.pk]
    assert ids(patient=str(bob.public_id)) == [third.pk, second.pk]
    assert ids(action="test.record", patient=str(bob.public_id)) == [second.pk]
    assert ids(target=str(alice.public_id)) == [first.pk]
    assert ids(target=f"  {alice.public_id}  ") == [first.pk]
    assert ids(actor=str(uuid.uuid4())) == []


def test_dates_are_whole_days_of_the_paris_calendar(operator_client: Client) -> None:
    def at(day: int, hour: int, minute: int) -> AuditEvent:
        with time_machine.travel(datetime(2026, 3, day, hour, minute, tzinfo=PARIS), tick=False):
            return log_event(actor=None, action="test.dated")

    before = at(9, 23, 59)
    start = at(10, 0, 0)
    end = at(11, 23, 59)
    after = at(12, 0, 0)

    response = operator_client.get(
        URL, {"action": "test.", "since": "2026-03-10", "until": "2026-03-11"}
    )

    assert _event_ids(response) == [end.pk, start.pk]
    assert before.pk not in _event_ids(response)
    assert after.pk not in _event_ids(response)


def test_an_invalid_uuid_gives_422_and_keeps_what_was_typed(operator_client: Client) -> None:
    response = operator_client.get(URL, {"actor": "not-a-uuid", "action": "accounts."})

    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="not-a-uuid"' in body
    assert 'value="accounts."' in body
    assert 'class="error-summary"' in body
    assert not AuditEvent.objects.filter(action=SEARCHED).exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"action": "Accounts;DROP"}, "action"),
        ({"since": "2026-03-12", "until": "2026-03-10"}, "until"),
        ({"since": "hier"}, "since"),
        ({"target": "x" * 65}, "target"),
    ],
)
def test_other_invalid_filters_give_422(
    operator_client: Client, params: dict[str, str], field: str
) -> None:
    response = operator_client.get(URL, params)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert response.context["events"] == []


def test_the_trail_pages_with_a_cursor_and_keeps_the_filters(operator_client: Client) -> None:
    # given more matching events than a page holds
    events = [log_event(actor=None, action="test.paged") for _ in range(AUDIT_PAGE_SIZE + 3)]
    log_event(actor=None, action="other.noise")

    # when the first page is read
    first = operator_client.get(URL, {"action": "test."})

    # then it holds a full page, newest first, and links to the next one with the same filter
    newest_first = [event.pk for event in reversed(events)]
    assert _event_ids(first) == newest_first[:AUDIT_PAGE_SIZE]
    cursor = newest_first[AUDIT_PAGE_SIZE - 1]
    assert f'href="?action=test.&amp;avant={cursor}"' in first.content.decode()

    # and the next page holds the rest, with no further link
    second = operator_client.get(URL, {"action": "test.", "avant": str(cursor)})
    assert _event_ids(second) == newest_first[AUDIT_PAGE_SIZE:]
    assert 'href="?action=test.&amp;avant=' not in second.content.decode()


def test_an_htmx_request_gets_only_the_results_fragment(operator_client: Client) -> None:
    log_event(actor=None, action="test.fragment")

    response = operator_client.get(URL, {"action": "test."}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="audit-results"')
    assert "<form" not in body
    assert "test.fragment" in body
    assert "HX-Request" in response["Vary"]


def test_a_page_of_50_events_costs_a_bounded_number_of_queries(
    operator_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # given 50 events, each by a different person about a different patient
    for _ in range(AUDIT_PAGE_SIZE):
        person = PatientFactory()
        log_event(actor=person, action="test.many", target=person, patient=person)
    operator_client.get(URL)  # first request of the session: MFA check, session save

    # when the page is read, then actors and patients come with the events (no N+1)
    with django_assert_max_num_queries(12):
        response = operator_client.get(URL, {"action": "test."})
    assert len(response.context["events"]) == AUDIT_PAGE_SIZE
