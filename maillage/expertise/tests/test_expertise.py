from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.billing.models import BilledAct
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.directory.services import add_practice_member
from maillage.expertise import selectors, services
from maillage.expertise.models import ExpertiseRequest
from maillage.notifications.models import Notification
from maillage.records import selectors as record_selectors
from maillage.records.models import RecordEntry

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture
def dermatologist(other_practice: Practice) -> User:
    doctor = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.DERMATOLOGY)
    add_practice_member(actor=None, practice=other_practice, user=doctor)
    return doctor


def ask(requester: User, patient: User, **overrides: Any) -> ExpertiseRequest:
    values: dict[str, Any] = {
        "specialty": Specialty.DERMATOLOGY,
        "specialist": None,
        "question": "Lésion pigmentée du dos, asymétrique : exérèse ?",
        "context": "Apparue il y a 6 mois, 8 mm.",
        "consent": ExpertiseRequest.Consent.GIVEN,
        "consent_note": "",
        "idempotency_key": uuid.uuid4(),
    }
    values.update(overrides)
    return services.request_expertise(actor=requester, patient=patient, **values)


def test_a_gp_asks_the_specialty_and_its_specialists_are_told(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.CARDIOLOGY)
    request = ask(treating_clinician, patient)
    assert request.due_at - request.submitted_at == timedelta(days=7)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert dermatologist.pk in told
    assert cardiologist.pk not in told
    assert AuditEvent.objects.filter(action="expertise.requested", patient=patient).exists()
    assert [item.pk for item in selectors.list_received(actor=dermatologist)] == [request.pk]
    assert list(selectors.list_received(actor=cardiologist)) == []


def test_consent_or_the_reason_it_could_not_be_obtained_comes_first(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    with pytest.raises(services.ConsentMissing):
        ask(treating_clinician, patient, consent="")
    with pytest.raises(services.ConsentMissing):
        ask(treating_clinician, patient, consent=ExpertiseRequest.Consent.IMPOSSIBLE)
    request = ask(
        treating_clinician,
        patient,
        consent=ExpertiseRequest.Consent.IMPOSSIBLE,
        consent_note="Patient inconscient, urgence relative",
    )
    assert request.consent_note
    assert ExpertiseRequest.objects.count() == 1


def test_only_a_doctor_caring_for_the_patient_may_ask(
    other_clinician: User, patient: User, dermatologist: User
) -> None:
    with pytest.raises(NotAllowed):
        ask(other_clinician, patient)
    with pytest.raises(NotAllowed):
        ask(PatientFactory(), patient)


def test_a_named_specialist_must_practise_the_specialty(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.CARDIOLOGY)
    with pytest.raises(services.NotForThisSpecialist):
        ask(treating_clinician, patient, specialist=cardiologist)
    request = ask(treating_clinician, patient, specialist=dermatologist)
    other_dermatologist = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.DERMATOLOGY)
    # Addressed by name: only that specialist sees it.
    with pytest.raises(Http404):
        selectors.get_request_for(actor=other_dermatologist, request_id=request.public_id)


def test_double_submit_creates_one_request(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    key = uuid.uuid4()
    assert (
        ask(treating_clinician, patient, idempotency_key=key).pk
        == ask(treating_clinician, patient, idempotency_key=key).pk
    )


def test_the_answer_is_filed_billed_and_sent(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    request = ask(treating_clinician, patient)
    services.ask_for_more(actor=dermatologist, request=request, body="Une photo avec réglet ?")
    request.refresh_from_db()
    assert request.status == ExpertiseRequest.Status.AWAITING_INFO
    # Taking it opened the record to the specialist (care relationship: tele-expertise).
    access = record_selectors.access_to_record(actor=dermatologist, patient_id=patient.public_id)
    assert access.basis == "care"
    services.give_more(actor=treating_clinician, request=request, body="Photo jointe.")
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), tick=False):
        services.answer_request(
            actor=dermatologist, request=request, body="Exérèse conseillée, dermoscopie avant."
        )
    request.refresh_from_db()
    assert request.status == ExpertiseRequest.Status.ANSWERED
    entry = RecordEntry.objects.get(patient=patient, kind=RecordEntry.Kind.EXPERTISE)
    assert "Exérèse conseillée" in entry.body
    acts = {act.code: act for act in BilledAct.objects.all()}
    assert acts["TE2"].doctor_id == dermatologist.pk
    assert acts["TE2"].amount == Decimal("23.00")  # from 1 January 2026
    assert acts["RQD"].doctor_id == treating_clinician.pk
    assert acts["RQD"].amount == Decimal("10.00")
    assert not acts["TE2"].counts_toward_cap
    assert Notification.objects.filter(
        recipient=treating_clinician, title__contains="avis"
    ).exists()
    with pytest.raises(services.ExpertiseClosed):
        services.answer_request(actor=dermatologist, request=request, body="encore")


def test_te2_before_2026_is_20_euros(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    with time_machine.travel(datetime(2025, 12, 31, 23, 30, tzinfo=PARIS), tick=False):
        request = ask(treating_clinician, patient)
        services.answer_request(actor=dermatologist, request=request, body="Avis.")
    assert BilledAct.objects.get(code="TE2").amount == Decimal("20.00")


def test_no_more_than_four_a_year_per_patient(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, tzinfo=PARIS), tick=True):
        for _ in range(5):
            request = ask(treating_clinician, patient)
            services.answer_request(actor=dermatologist, request=request, body="Avis.")
    assert BilledAct.objects.filter(code="TE2").count() == 4
    assert BilledAct.objects.filter(code="RQD").count() == 4
    assert "4 actes" in ExpertiseRequest.objects.latest("submitted_at").billing_note


def test_same_site_is_not_billable(
    treating_clinician: User, patient: User, practice: Practice
) -> None:
    colleague = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.DERMATOLOGY)
    add_practice_member(actor=None, practice=practice, user=colleague)
    request = ask(treating_clinician, patient)
    services.answer_request(actor=colleague, request=request, body="Avis.")
    request.refresh_from_db()
    assert not BilledAct.objects.exists()
    assert "même site" in request.billing_note


def test_reminder_a_day_before_the_seven_days(
    treating_clinician: User, patient: User, dermatologist: User
) -> None:
    start = datetime(2026, 4, 1, 9, 0, tzinfo=PARIS)
    with time_machine.travel(start, tick=False):
        ask(treating_clinician, patient)
    with time_machine.travel(start + timedelta(days=5), tick=False):
        assert services.send_due_reminders() == 0
    with time_machine.travel(start + timedelta(days=6, hours=1), tick=False):
        assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0
    assert Notification.objects.filter(recipient=dermatologist, title__contains="échéance").exists()


def test_pages_are_404_for_outsiders_and_the_form_keeps_input(
    client: Client, treating_clinician: User, patient: User, dermatologist: User
) -> None:
    request = ask(treating_clinician, patient)
    url = reverse("expertise:detail", args=[request.public_id])
    for outsider in (PatientFactory(), ProfessionalFactory(role=Role.SPECIALIST)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(dermatologist)
    assert client.get(url).status_code == 200
    client.force_login(treating_clinician)
    response = client.post(
        reverse("expertise:new"),
        {
            "patient": patient.pk,
            "specialty": Specialty.DERMATOLOGY,
            "question": "Ma question précise",
            "consent": ExpertiseRequest.Consent.IMPOSSIBLE,
            "consent_note": "",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert "Ma question précise" in response.content.decode()
    assert ExpertiseRequest.objects.count() == 1


def test_queue_page_in_few_queries(
    client: Client,
    treating_clinician: User,
    patient: User,
    dermatologist: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(6):
        ask(treating_clinician, patient)
    client.force_login(dermatologist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("expertise:queue"))
    assert response.content.decode().count("/cabinet/teleexpertise/") >= 6
