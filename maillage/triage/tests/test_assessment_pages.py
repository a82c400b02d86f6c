"""/auto-evaluation/: a patient (or a parent) runs a self-assessment; answers are kept
server-side, the safety net is checked at every step, and outcomes are never a dead end."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts import services as accounts
from maillage.accounts.models import User
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory
from maillage.audit.models import AuditEvent
from maillage.notifications.models import Notification
from maillage.triage import services
from maillage.triage.models import SelfAssessment

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def person(client: Client) -> User:
    patient = PatientFactory(first_name="Odile")
    client.force_login(patient)
    return patient


def start(client: Client, person: User, template: str = "mal-de-gorge") -> SelfAssessment:
    response = client.post(reverse("triage:start", args=[template]), {"patient": person.pk})
    assert response.status_code == 302
    return SelfAssessment.objects.get(patient=person, template=template)


def step(client: Client, assessment: SelfAssessment, **data: object) -> int:
    url = reverse("triage:assessment", args=[assessment.public_id])
    return client.post(url, data).status_code


def test_the_index_lists_the_templates(client: Client, person: User) -> None:
    body = client.get(reverse("triage:index")).content.decode()

    assert "Mal de gorge" in body
    assert "Humeur : questionnaire PHQ-9" in body


def test_red_flags_come_first_and_a_ticked_one_concludes_with_15(
    client: Client, person: User
) -> None:
    assessment = start(client, person)
    first = client.get(reverse("triage:assessment", args=[assessment.public_id])).content.decode()
    assert "la personne a-t-elle l'un de ces signes" in first

    step(client, assessment, red_flag=["saliva"])

    assessment.refresh_from_db()
    assert (assessment.status, assessment.outcome) == ("completed", "emergency")
    page = client.get(reverse("triage:assessment", args=[assessment.public_id])).content.decode()
    assert 'href="tel:15"' in page
    assert AuditEvent.objects.filter(action="triage.assessment_completed", patient=person).exists()


def test_a_full_self_care_run_schedules_a_dated_check_in(
    client: Client, person: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False) as clock:
        client.force_login(person)  # a session of that day
        assessment = start(client, person)
        step(client, assessment)  # no red flag
        for question, answer in [
            ("age", "45"),
            ("fever", "non"),
            ("days", "lt3"),
            ("cough", "oui"),
            ("one_side", "non"),
            ("details", ""),
        ]:
            assert step(client, assessment, question=question, answer=answer) == 302
        assessment.refresh_from_db()
        assert assessment.outcome == "self_care"
        assert assessment.check_in_at == datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)
        page = client.get(
            reverse("triage:assessment", args=[assessment.public_id])
        ).content.decode()
        assert "Toujours pas mieux jeudi 26 novembre" in page
        # when the day comes, the scheduler's job notifies once
        clock.move_to(datetime(2026, 11, 26, 9, 5, tzinfo=PARIS))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.send_due_check_ins() == 1
            assert services.send_due_check_ins() == 0
    notification = Notification.objects.get(recipient=person, kind="triage.check_in")
    assert "Mal de gorge" not in notification.title  # no health detail leaves by e-mail


def test_a_bad_answer_is_explained_and_keeps_what_was_typed(client: Client, person: User) -> None:
    assessment = start(client, person)
    step(client, assessment)
    step(client, assessment, question="age", answer="30")
    step(client, assessment, question="fever", answer="oui")

    response = client.post(
        reverse("triage:assessment", args=[assessment.public_id]),
        {"question": "temperature", "answer": "très chaud"},
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert "Écrivez un nombre, par exemple 38,5." in body
    assert 'value="très chaud"' in body


def test_free_text_with_an_alarm_concludes_at_once(client: Client, person: User) -> None:
    assessment = start(client, person)
    step(client, assessment)
    for question, answer in [
        ("age", "45"),
        ("fever", "non"),
        ("days", "lt3"),
        ("cough", "non"),
        ("one_side", "non"),
    ]:
        step(client, assessment, question=question, answer=answer)

    step(
        client,
        assessment,
        question="details",
        answer="depuis une heure je n'arrive plus à respirer",
    )

    assessment.refresh_from_db()
    assert assessment.outcome == "emergency"


def test_a_double_click_on_start_resumes_the_same_assessment(client: Client, person: User) -> None:
    start(client, person)
    client.post(reverse("triage:start", args=["mal-de-gorge"]), {"patient": person.pk})

    assert SelfAssessment.objects.filter(patient=person).count() == 1


def test_a_parent_runs_one_for_their_child(client: Client) -> None:
    parent = PatientFactory(first_name="Camille")
    child = PatientFactory(first_name="Emma", birth_date=date(2018, 5, 14))
    accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=parent)
    client.force_login(parent)

    assessment = start(client, child)

    assert (assessment.patient, assessment.started_by) == (child, parent)


def test_an_outsider_gets_404_and_cannot_start_for_someone_else(
    client: Client, person: User
) -> None:
    assessment = start(client, person)
    client.force_login(PatientFactory())

    assert client.get(reverse("triage:assessment", args=[assessment.public_id])).status_code == 404
    response = client.post(reverse("triage:start", args=["mal-de-gorge"]), {"patient": person.pk})
    assert response.status_code == 404


def test_reading_a_concluded_assessment_is_audited(client: Client, person: User) -> None:
    assessment = start(client, person)
    step(client, assessment, red_flag=["breathing"])

    client.get(reverse("triage:assessment", args=[assessment.public_id]))

    assert AuditEvent.objects.filter(action="triage.assessment_viewed", patient=person).count() == 1


def test_phq9_item_9_shows_3114(client: Client, person: User) -> None:
    assessment = start(client, person, "phq-9")
    step(client, assessment)
    for index in range(1, 9):
        step(client, assessment, question=f"q{index}", answer="0")
    step(client, assessment, question="q9", answer="1")
    step(client, assessment, question="details", answer="")

    assessment.refresh_from_db()
    assert assessment.outcome == "suicide"
    page = client.get(reverse("triage:assessment", args=[assessment.public_id])).content.decode()
    assert 'href="tel:3114"' in page


def test_check_ins_not_yet_due_are_left_for_later(person: User) -> None:
    assessment = services.start_assessment(actor=person, patient=person, template="mal-de-gorge")
    SelfAssessment.objects.filter(pk=assessment.pk).update(
        status="completed", check_in_at=datetime.now(tz=PARIS) + timedelta(days=1)
    )

    assert services.send_due_check_ins() == 0


def test_an_alarm_in_a_text_too_long_to_keep_still_concludes(client: Client, person: User) -> None:
    assessment = start(client, person)
    step(client, assessment)
    for question, answer in [
        ("age", "45"),
        ("fever", "non"),
        ("days", "lt3"),
        ("cough", "non"),
        ("one_side", "non"),
    ]:
        step(client, assessment, question=question, answer=answer)

    step(client, assessment, question="details", answer="x " * 1500 + "je veux mourir")

    assessment.refresh_from_db()
    assert assessment.outcome == "suicide"
    page = client.get(reverse("triage:assessment", args=[assessment.public_id])).content.decode()
    assert 'href="tel:3114"' in page
