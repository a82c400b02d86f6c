from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.audit.models import AuditEvent
from maillage.core.exceptions import DomainError
from maillage.records import selectors, services
from maillage.records.models import CareRelationship, RecordEntry

pytestmark = pytest.mark.django_db


def _file(patient: User, **overrides: object) -> RecordEntry:
    values: dict[str, object] = {
        "patient": patient,
        "kind": RecordEntry.Kind.MESSAGE,
        "title": "Réponse du cabinet",
        "body": "Prenez du paracétamol si besoin.",
        "source_type": "tests.source",
        "source_id": uuid.uuid4(),
    }
    values.update(overrides)
    with transaction.atomic():
        return services.file_entry(**values)  # type: ignore[arg-type]


def test_filing_is_idempotent(patient: User) -> None:
    source = uuid.uuid4()
    first = _file(patient, source_id=source)
    again = _file(patient, source_id=source, title="autre titre")
    assert first.pk == again.pk
    assert RecordEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_filing_outside_the_source_transaction_is_a_bug(patient: User) -> None:
    with pytest.raises(RuntimeError):
        services.file_entry(
            patient=patient,
            kind=RecordEntry.Kind.MESSAGE,
            title="hors transaction",
            source_type="tests.source",
            source_id=uuid.uuid4(),
        )


def test_who_may_read_the_record(
    patient: User, treating_clinician: User, other_clinician: User, staff: User
) -> None:
    pid = patient.public_id
    assert selectors.access_to_record(actor=patient, patient_id=pid).basis == "patient"
    assert selectors.access_to_record(actor=treating_clinician, patient_id=pid).basis == (
        "treating_doctor"
    )
    carer = PatientFactory()
    make_carer_proxy(patient=patient, carer=carer)
    assert selectors.access_to_record(actor=carer, patient_id=pid).basis == "proxy"
    for outsider in (other_clinician, staff, PatientFactory()):
        with pytest.raises(Http404):
            selectors.access_to_record(actor=outsider, patient_id=pid)
    # A consultation opens access for a while; then it ends.
    with transaction.atomic():
        services.note_care_relationship(
            patient=patient, professional=other_clinician, reason="teleconsultation"
        )
    assert selectors.access_to_record(actor=other_clinician, patient_id=pid).basis == "care"
    CareRelationship.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        selectors.access_to_record(actor=other_clinician, patient_id=pid)
    # Staff never get a care relationship.
    assert services.note_care_relationship(patient=patient, professional=staff, reason="x") is None


def test_an_explicit_grant_until_revoked(patient: User, other_clinician: User) -> None:
    grant = services.grant_access(actor=patient, patient=patient, professional=other_clinician)
    assert (
        services.grant_access(actor=patient, patient=patient, professional=other_clinician) == grant
    )
    basis = selectors.access_to_record(actor=other_clinician, patient_id=patient.public_id).basis
    assert basis == "grant"
    services.revoke_access(actor=patient, grant=grant)
    with pytest.raises(Http404):
        selectors.access_to_record(actor=other_clinician, patient_id=patient.public_id)
    with pytest.raises(services.NotAProfessional):
        services.grant_access(actor=patient, patient=patient, professional=PatientFactory())


def test_a_masked_entry_is_hidden_from_that_professional_who_sees_that_something_is(
    patient: User, treating_clinician: User
) -> None:
    shown = _file(patient, title="Visible")
    secret = _file(patient, title="Consultation de psychiatrie")
    services.mask_entry(actor=patient, entry=secret, professional=treating_clinician)
    access = selectors.access_to_record(actor=treating_clinician, patient_id=patient.public_id)
    page = selectors.list_timeline(access=access, actor=treating_clinician)
    assert [entry.pk for entry in page.entries] == [shown.pk]
    assert page.hidden_count == 1
    with pytest.raises(Http404):
        selectors.get_entry_for(actor=treating_clinician, entry_id=secret.public_id)
    # The patient still sees everything.
    mine = selectors.access_to_record(actor=patient, patient_id=patient.public_id)
    assert len(selectors.list_timeline(access=mine, actor=patient).entries) == 2


def test_the_author_keeps_their_own_document(patient: User, treating_clinician: User) -> None:
    written = _file(patient, author=treating_clinician)
    with pytest.raises(DomainError):
        services.mask_entry(actor=patient, entry=written, professional=treating_clinician)


def test_timeline_filters_search_and_keyset_pages(patient: User) -> None:
    start = timezone.now() - timedelta(days=100)
    for index in range(65):
        _file(
            patient,
            kind=RecordEntry.Kind.QUESTIONNAIRE if index % 5 == 0 else RecordEntry.Kind.MESSAGE,
            title=f"Élément {index}" + (" toux" if index == 7 else ""),
            occurred_at=start + timedelta(days=index),
        )
    access = selectors.access_to_record(actor=patient, patient_id=patient.public_id)
    seen: list[int] = []
    cursor = None
    while True:
        page = selectors.list_timeline(access=access, actor=patient, cursor=cursor)
        seen += [entry.pk for entry in page.entries]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 65
    occurred = list(
        RecordEntry.objects.filter(pk__in=seen)
        .order_by("-occurred_at")
        .values_list("pk", flat=True)
    )
    assert seen == occurred
    questionnaires = selectors.list_timeline(access=access, actor=patient, kind="questionnaire")
    assert len(questionnaires.entries) == 13
    found = selectors.list_timeline(access=access, actor=patient, search="toux")
    assert [entry.title for entry in found.entries] == ["Élément 7 toux"]
    day = timezone.localdate(start + timedelta(days=10))
    one_day = selectors.list_timeline(access=access, actor=patient, since=day, until=day)
    assert [entry.title for entry in one_day.entries] == ["Élément 10"]


def test_timeline_page_is_audited_with_the_basis_of_access(
    client: Client,
    patient: User,
    treating_clinician: User,
    django_assert_max_num_queries: object,
) -> None:
    for index in range(20):
        _file(patient, title=f"Message {index}", author=treating_clinician)
    client.force_login(treating_clinician)
    url = reverse("records:timeline", args=[patient.public_id])
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    assert "Message 19" in response.content.decode()
    event = AuditEvent.objects.filter(action="records.timeline_viewed").latest("id")
    assert (event.actor_id, event.patient_id, event.reason) == (
        treating_clinician.pk,
        patient.pk,
        "treating_doctor",
    )
    # The patient sees that read on their privacy page, with its reason.
    client.force_login(patient)
    privacy = client.get(reverse("records:privacy", args=[patient.public_id]))
    body = privacy.content.decode()
    assert treating_clinician.display_name in body
    assert "a consulté votre dossier" in body
    assert "médecin traitant" in body


def test_outsiders_get_404_everywhere(client: Client, patient: User) -> None:
    entry = _file(
        patient,
        document=b"%PDF-1.4 test",
        file_name="x.pdf",
        content_type="application/pdf",
        extension=".pdf",
    )
    client.force_login(ProfessionalFactory())
    for url in (
        reverse("records:timeline", args=[patient.public_id]),
        reverse("records:privacy", args=[patient.public_id]),
        reverse("records:document", args=[entry.public_id]),
    ):
        assert client.get(url).status_code == 404


def test_a_doctor_reads_the_timeline_but_not_the_privacy_page(
    client: Client, patient: User, treating_clinician: User
) -> None:
    client.force_login(treating_clinician)
    assert client.get(reverse("records:timeline", args=[patient.public_id])).status_code == 200
    assert client.get(reverse("records:privacy", args=[patient.public_id])).status_code == 404


def test_patient_masks_from_the_page_and_unmasks(
    client: Client, patient: User, treating_clinician: User
) -> None:
    entry = _file(
        patient,
        document=b"%PDF-1.4 test",
        file_name="bilan.pdf",
        content_type="application/pdf",
        extension=".pdf",
    )
    client.force_login(patient)
    response = client.post(
        reverse("records:mask", args=[entry.public_id]), {"professional": treating_clinician.pk}
    )
    assert response.status_code == 302
    client.force_login(treating_clinician)
    assert client.get(reverse("records:document", args=[entry.public_id])).status_code == 404
    page = client.get(reverse("records:timeline", args=[patient.public_id])).content.decode()
    assert "masqué 1 document" in page
    client.force_login(patient)
    mask = entry.masks.get()
    client.post(
        reverse("records:privacy", args=[patient.public_id]), {"action": "unmask", "mask": mask.pk}
    )
    client.force_login(treating_clinician)
    document = client.get(reverse("records:document", args=[entry.public_id]))
    assert document.status_code == 200
    assert document["Content-Security-Policy"] == "sandbox"
    assert AuditEvent.objects.filter(action="records.document_viewed").count() == 1
