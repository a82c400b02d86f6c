"""Profiles: versions, the linter on save, consent to publish, withdrawal; the directory."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.specialties import Specialty
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.cases.tests.test_cases import gps_jpeg
from maillage.consultations.models import OnlineRequest, PracticeAvailability, RequestEvent
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.directory.models import Practice
from maillage.profiles import selectors, services
from maillage.profiles.models import DoctorProfile, PublicationConsent

pytestmark = pytest.mark.django_db

BOASTFUL = "Le meilleur cardiologue de Nancy, résultats garantis."


def draft(practice: Practice | None, presentation: str) -> services.ProfileDraft:
    return services.ProfileDraft(
        presentation=presentation,
        languages=["fr"],
        practice=practice,
        accepts_new_patients=True,
        accepts_treating=True,
        fees="Consultation au tarif conventionnel.",
    )


def test_each_save_is_a_version_linted_and_nothing_shows_without_consent(
    make_doctor: Callable[..., User],
) -> None:
    doctor = make_doctor(publish=False)
    practice = Practice.objects.get(memberships__user=doctor)
    first = services.save_version(actor=doctor, draft=draft(practice, BOASTFUL))
    assert first.number == 1
    assert {f["rule"] for f in first.errors} >= {"L04", "L05"}
    assert not selectors.search(specialty=Specialty.CARDIOLOGY)

    with pytest.raises(DomainError):
        services.publish(actor=doctor, version=first, consent=False)
    with pytest.raises(services.BlockingFindings):
        services.publish(actor=doctor, version=first, consent=True)

    second = services.save_version(
        actor=doctor, draft=draft(practice, "Cardiologue à Nancy : échocardiographie.")
    )
    assert second.number == 2
    assert second.errors == []
    profile = services.publish(actor=doctor, version=second, consent=True)
    assert profile.published_version == second
    assert PublicationConsent.objects.get().version == second
    assert AuditEvent.objects.filter(actor=doctor, action="profiles.published").exists()
    assert [f.profile for f in selectors.search(specialty=Specialty.CARDIOLOGY)] == [profile]


def test_an_override_needs_a_written_justification_kept_with_the_version(
    make_doctor: Callable[..., User],
) -> None:
    doctor = make_doctor(publish=False)
    practice = Practice.objects.get(memberships__user=doctor)
    version = services.save_version(actor=doctor, draft=draft(practice, BOASTFUL))
    services.publish(
        actor=doctor, version=version, consent=True, justification="Citation d'un article."
    )
    version.refresh_from_db()
    assert version.override_justification == "Citation d'un article."
    event = AuditEvent.objects.get(action="profiles.published")
    assert event.details["overridden_errors"] >= 2


def test_withdrawal_takes_the_profile_out_at_once(
    make_doctor: Callable[..., User], client: Client
) -> None:
    doctor = make_doctor()
    profile = DoctorProfile.objects.get(doctor=doctor)
    url = reverse("profiles:profile", args=[profile.slug])
    assert client.get(url).status_code == 200
    services.withdraw(actor=doctor)
    assert client.get(url).status_code == 404
    assert selectors.search() == []


def test_only_the_doctor_s_own_practices_and_only_doctors(
    make_doctor: Callable[..., User], client: Client
) -> None:
    doctor = make_doctor(publish=False)
    elsewhere = Practice.objects.exclude(
        memberships__user=doctor
    ).first() or Practice.objects.create(
        name="Ailleurs",
        kind=Practice.Kind.CABINET,
        address="2 rue Haute",
        postcode="54000",
        commune=Practice.objects.get(memberships__user=doctor).commune,
        latitude=0,
        longitude=0,
    )
    with pytest.raises(NotAllowed):
        services.save_version(actor=doctor, draft=draft(elsewhere, "Cardiologue."))
    client.force_login(PatientFactory())
    assert client.get(reverse("profiles:edit")).status_code == 404


def test_the_directory_orders_by_distance_then_name_within_the_radius(
    make_doctor: Callable[..., User], towns: dict[str, object]
) -> None:
    make_doctor(town="luneville", last_name="Aubert")  # ~25 km from Nancy
    make_doctor(town="nancy", last_name="Weber")
    make_doctor(town="nancy", last_name="Bernard")
    make_doctor(town="metz", last_name="Adam")  # ~48 km
    make_doctor(town="nancy", last_name="Colin", specialty=Specialty.DERMATOLOGY)
    nancy = selectors.find_commune("Nancy")

    found = selectors.search(specialty=Specialty.CARDIOLOGY, commune=nancy, radius_km=50)

    names = [item.profile.doctor.last_name for item in found]
    assert names == ["Bernard", "Weber", "Aubert", "Adam"]
    assert found[0].distance_km == 0.0
    assert 20 < (found[2].distance_km or 0) < 30
    close = selectors.search(specialty=Specialty.CARDIOLOGY, commune=nancy, radius_km=10)
    assert [item.profile.doctor.last_name for item in close] == ["Bernard", "Weber"]
    assert selectors.find_commune("54300") == selectors.find_commune("luneville")


def test_filters_new_patients_and_language(make_doctor: Callable[..., User]) -> None:
    make_doctor(last_name="Anglophone", languages=["fr", "en"])
    make_doctor(last_name="Complet", accepts_new_patients=False)
    english = selectors.search(language="en")
    assert [f.profile.doctor.last_name for f in english] == ["Anglophone"]
    taking = selectors.search(new_patients=True)
    assert [f.profile.doctor.last_name for f in taking] == ["Anglophone"]


def test_the_profile_page_carries_json_ld_fees_and_emergency_numbers(
    make_doctor: Callable[..., User], client: Client
) -> None:
    doctor = make_doctor()
    profile = DoctorProfile.objects.get(doctor=doctor)
    response = client.get(reverse("profiles:profile", args=[profile.slug]))
    page = response.content.decode()
    assert "public" in response["Cache-Control"]
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Physician"
    assert data["address"]["addressLocality"] == "Nancy"
    assert "Seuls peuvent vous être facturés" in page
    for number in ("15", "112", "114", "116 117"):
        assert f"le {number}" in page
    assert "notes ni avis" in page


def test_the_directory_page_costs_the_same_queries_for_3_or_12_doctors(
    make_doctor: Callable[..., User], client: Client
) -> None:
    counts = []
    for batch in (3, 9):
        for n in range(batch):
            make_doctor(last_name=f"Médecin{batch}x{n}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("profiles:directory"),
                {"specialite": Specialty.CARDIOLOGY, "commune": "Nancy", "rayon": "25"},
            )
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_an_unknown_commune_is_a_clear_error(client: Client, towns: dict[str, object]) -> None:
    response = client.get(reverse("profiles:directory"), {"commune": "Atlantide"})
    assert response.status_code == 400
    assert "Commune inconnue" in response.content.decode()


def test_the_response_time_is_the_median_first_answer_over_90_days(
    make_doctor: Callable[..., User],
) -> None:
    doctor = make_doctor()
    practice = Practice.objects.get(memberships__user=doctor)
    patient = PatientFactory()
    now = timezone.now()

    def answered(after_hours: float, days_ago: int = 1) -> None:
        submitted = now - timedelta(days=days_ago)
        request = OnlineRequest.objects.create(
            practice=practice,
            patient=patient,
            submitted_by=patient,
            route=OnlineRequest.Route.RENEWAL,
            subject="Renouvellement",
            message="Bonjour",
            submitted_at=submitted,
            promised_by=submitted + timedelta(hours=8),
        )
        event = RequestEvent.objects.create(
            request=request, kind=RequestEvent.Kind.MESSAGE, author=doctor, body="Réponse"
        )
        RequestEvent.objects.filter(pk=event.pk).update(
            created_at=submitted + timedelta(hours=after_hours)
        )

    for hours in (1, 2, 3, 4):
        answered(hours)
    answered(50, days_ago=120)  # too old to count
    services.refresh_response_times(now)
    assert DoctorProfile.objects.get(doctor=doctor).response_hours is None, "four is too few"

    answered(10)
    services.refresh_response_times(now)
    assert DoctorProfile.objects.get(doctor=doctor).response_hours == 3.0


def test_the_profile_shows_the_practice_s_opening_hours(
    make_doctor: Callable[..., User], client: Client
) -> None:
    doctor = make_doctor()
    practice = Practice.objects.get(memberships__user=doctor)
    PracticeAvailability.objects.create(
        practice=practice, opening_hours={"0": [["08:30", "12:00"], ["14:00", "19:00"]]}
    )
    slug = DoctorProfile.objects.get(doctor=doctor).slug
    page = client.get(reverse("profiles:profile", args=[slug])).content.decode()
    assert "08:30-12:00, 14:00-19:00" in page
    assert "fermé" in page


def test_a_photo_needs_the_doctor_to_confirm_no_patient_shows(
    make_doctor: Callable[..., User], client: Client
) -> None:
    doctor = make_doctor(publish=False)
    practice = Practice.objects.get(memberships__user=doctor)
    client.force_login(doctor)
    photo = SimpleUploadedFile("moi.jpg", gps_jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("profiles:edit"),
        {"presentation": "Cardiologue.", "practice": practice.pk, "photo": photo},
    )
    assert response.status_code == 400
    assert "aucun patient n&#x27;est reconnaissable" in response.content.decode().lower()
    assert not DoctorProfile.objects.filter(doctor=doctor, versions__isnull=False).exists()
