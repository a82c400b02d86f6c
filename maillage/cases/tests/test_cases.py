from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from maillage.accounts.models import Role, User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.cases import selectors, services
from maillage.cases.models import Case, Comment
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.notifications.models import Notification

pytestmark = pytest.mark.django_db

BODY = (
    "Mme Jeanne Dupont, née le 12/03/1975, joignable au 06 12 34 56 78, suivie pour une "
    "maladie de Crohn sous azathioprine 2 mg/kg. CRP 45 mg/L depuis 3 jours."
)


def gps_jpeg() -> bytes:
    image = Image.new("RGB", (64, 64), (200, 120, 90))
    exif = Image.Exif()
    exif[0x013B] = "Dr Pierre Martin"  # Artist
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def start(author: User, **overrides: Any) -> Case:
    values: dict[str, Any] = {
        "title": "Crohn et fièvre chez Mme Dupont",
        "question": "Faut-il arrêter l'azathioprine ?",
        "body": BODY,
        "specialties": [Specialty.GASTROENTEROLOGY],
        "poll_question": "",
        "poll_options": [],
        "images": [],
        "idempotency_key": uuid.uuid4(),
    }
    values.update(overrides)
    return services.start_case(actor=author, **values)


@pytest.fixture
def author() -> User:
    return ProfessionalFactory()


@pytest.fixture
def gastro() -> User:
    return ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.GASTROENTEROLOGY)


def publish(case: Case) -> Case:
    return services.publish_case(
        actor=case.author, case=case, title=case.title, question=case.question, body=case.body
    )


def test_the_draft_is_scrubbed_and_shown_to_nobody_but_its_author(
    author: User, gastro: User
) -> None:
    case = start(author)
    assert case.status == Case.Status.REVIEW
    for identifier in ("Dupont", "12/03/1975", "06 12 34 56 78"):
        assert identifier not in case.title + case.question + case.body
    for medical in ("maladie de Crohn", "azathioprine 2 mg/kg", "CRP 45 mg/L", "depuis 3 jours"):
        assert medical in case.body
    assert case.findings
    with pytest.raises(Http404):
        selectors.get_case_for(actor=gastro, case_id=case.public_id)
    assert selectors.list_cases(actor=gastro)[0] == []
    assert selectors.get_case_for(actor=author, case_id=case.public_id).pk == case.pk


def test_publishing_wipes_the_draft_and_routes_to_the_specialty(author: User, gastro: User) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST, specialty=Specialty.CARDIOLOGY)
    case = publish(start(author))
    assert case.status == Case.Status.PUBLISHED
    assert (case.draft_title, case.draft_question, case.draft_body) == ("", "", "")
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert gastro.pk in told
    assert cardiologist.pk not in told
    assert author.pk not in told
    assert selectors.get_case_for(actor=cardiologist, case_id=case.public_id).pk == case.pk


def test_an_edit_that_brings_an_identifier_back_is_scrubbed_and_reviewed_again(
    author: User,
) -> None:
    case = start(author)
    with pytest.raises(services.NeedsAnotherReview):
        services.publish_case(
            actor=author,
            case=case,
            title=case.title,
            question=case.question,
            body=case.body + " Rappeler le 07 98 76 54 32.",
        )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    assert "07 98 76 54 32" not in case.body
    assert publish(case).status == Case.Status.PUBLISHED


def test_images_lose_exif_and_gps(author: User) -> None:
    data = gps_jpeg()
    upload = CleanUpload(data, "image/jpeg", ".jpg", "photo.jpg", 64, 64)
    case = start(author, images=[upload])
    stored = case.images.get()
    with stored.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert dict(image.getexif()) == {}


def test_comments_are_scrubbed_timed_and_mentions_notified(author: User, gastro: User) -> None:
    colleague = ProfessionalFactory(last_name="Lefort")
    case = publish(start(author))
    comment, scrubbed = services.add_comment(
        actor=gastro, case=case, body="Appelez-moi au 06 11 22 33 44. Avis de @Lefort ?"
    )
    assert scrubbed
    assert "06 11 22 33 44" not in comment.body
    case.refresh_from_db()
    assert case.first_answer_at is not None
    assert case.comment_count == 1
    assert Notification.objects.filter(recipient=colleague, title__contains="cite").exists()
    assert Notification.objects.filter(recipient=author, title__contains="suivez").exists()


def test_author_comment_does_not_count_as_first_answer(author: User) -> None:
    case = publish(start(author))
    services.add_comment(actor=author, case=case, body="Précision : pas de fièvre.")
    case.refresh_from_db()
    assert case.first_answer_at is None


def test_helpful_votes_once_and_not_for_oneself(author: User, gastro: User) -> None:
    case = publish(start(author))
    comment, _ = services.add_comment(actor=gastro, case=case, body="Arrêt transitoire.")
    services.mark_helpful(actor=author, comment=comment)
    services.mark_helpful(actor=author, comment=comment)
    comment.refresh_from_db()
    assert comment.helpful_count == 1
    with pytest.raises(DomainError):
        services.mark_helpful(actor=gastro, comment=comment)


def test_poll_votes_can_change(author: User, gastro: User) -> None:
    case = publish(start(author, poll_question="Arrêter ?", poll_options=["Oui", "Non", ""]))
    poll = case.poll
    assert poll.options == ["Oui", "Non"]
    services.vote(actor=gastro, poll=poll, option=0)
    services.vote(actor=gastro, poll=poll, option=1)
    assert list(poll.votes.values_list("option", flat=True)) == [1]
    with pytest.raises(DomainError):
        services.vote(actor=gastro, poll=poll, option=5)


def test_resolution_and_community_metrics(author: User, gastro: User) -> None:
    case = publish(start(author))
    comment, _ = services.add_comment(actor=gastro, case=case, body="Arrêt transitoire.")
    Case.objects.filter(pk=case.pk).update(
        published_at=timezone.now() - timedelta(hours=10),
        first_answer_at=timezone.now() - timedelta(hours=8),
    )
    services.resolve(actor=author, case=case, best_comment=comment)
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert case.best_comment_id == comment.pk
    metrics = services.community_metrics()
    assert metrics["first_answer"].median_hours == 2.0
    assert metrics["resolution"].count == 1
    assert 9.9 <= (metrics["resolution"].median_hours or 0) <= 10.1
    with pytest.raises(NotAllowed):
        services.resolve(actor=gastro, case=case, best_comment=None)


def test_timing_percentiles() -> None:
    result = services.timing([float(hour) for hour in range(1, 11)])
    assert (result.median_hours, result.p90_hours) == (5.5, 9.0)
    assert services.timing([]).median_hours is None


def test_unique_views(author: User, gastro: User) -> None:
    case = publish(start(author))
    for _ in range(3):
        services.record_view(actor=gastro, case=case)
    case.refresh_from_db()
    assert case.view_count == 1


def test_patients_and_unverified_doctors_get_404(client: Client, author: User) -> None:
    case = publish(start(author))
    unverified = ProfessionalFactory(verified=False)
    for outsider in (PatientFactory(), unverified):
        client.force_login(outsider)
        assert client.get(reverse("cases:list")).status_code == 404
        assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404


def test_markdown_in_comments_is_rendered_safely(
    client: Client, author: User, gastro: User
) -> None:
    case = publish(start(author))
    services.add_comment(
        actor=gastro,
        case=case,
        body="**Avis** : <script>alert(1)</script> [lien](javascript:alert(1))",
    )
    client.force_login(author)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "<strong>Avis</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


def test_the_pages_walk_from_draft_to_resolution(
    client: Client, author: User, gastro: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(author)
    response = client.post(
        reverse("cases:new"),
        {
            "title": "Fièvre sous azathioprine",
            "specialties": [Specialty.GASTROENTEROLOGY],
            "question": "Arrêter ?",
            "body": BODY,
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:review", args=[case.public_id])
    review = client.get(response["Location"]).content.decode()
    assert '<mark class="removed">' in review
    assert "Dupont" not in review
    client.post(
        response["Location"], {"title": case.title, "question": case.question, "body": case.body}
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED
    client.force_login(gastro)
    for index in range(5):
        services.add_comment(actor=gastro, case=case, body=f"Réponse {index}")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("cases:detail", args=[case.public_id]))
    assert page.status_code == 200
    assert Comment.objects.count() == 5


def test_dicom_files_lose_their_identifying_tags(author: User) -> None:
    import pydicom
    from pydicom.data import get_testdata_file

    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    with open(path, "rb") as handle:
        raw = handle.read()
    assert "CompressedSamples" in str(pydicom.dcmread(io.BytesIO(raw)).PatientName)
    case = start(author, dicom_files=[raw])
    stored = case.images.get()
    assert stored.content_type == "application/dicom"
    with stored.file.open("rb") as handle:
        dataset = pydicom.dcmread(io.BytesIO(handle.read()))
    assert str(dataset.get("PatientName", "")) == ""
    assert dataset.PatientIdentityRemoved == "YES"
    with pytest.raises(DomainError):
        start(author, dicom_files=[b"\0" * 128 + b"DICM" + b"garbage"])
