from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from maillage.accounts.models import PatientProfile, Proxy, Role, User
from maillage.accounts.selectors import has_strong_second_factor, list_represented_patients_for
from maillage.audit.models import AuditEvent
from maillage.core.models import Commune
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.operations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

# The logins the README promises.
README_LOGINS = [
    "camille.martin@demo.maillage.test",
    "claire.thiebaut@demo.maillage.test",
    "antoine.lallemand@demo.maillage.test",
    "sophie.didier@demo.maillage.test",
    "luc.henry@demo.maillage.test",
    "nadia.benali@demo.maillage.test",
    "julien.masson@demo.maillage.test",
    "sandrine.colin@demo.maillage.test",
    "isabelle.rousseau@demo.maillage.test",
    "paul.simon@demo.maillage.test",
    "celine.antoine@demo.maillage.test",
    "operateur@demo.maillage.test",
]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo built once for the module (7 s), inside a transaction rolled back at its end.

    Each test's own transaction is a savepoint inside this one, so a test's writes do not
    reach the next test either.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once: str, db: None) -> str:
    return seeded_once


def test_seed_demo_builds_the_territory(seeded: str) -> None:
    assert Commune.objects.count() == 12
    assert set(Commune.objects.values_list("department", flat=True)) == {"55", "88"}
    assert sorted(Practice.objects.values_list("commune__name", flat=True)) == [
        "Commercy",
        "Lamarche",
        "Neufchâteau",
    ]
    assert User.objects.filter(role=Role.PATIENT).count() == 30
    assert User.objects.filter(role__in=[Role.GP, Role.SPECIALIST]).count() == 8


def test_four_patients_in_five_have_a_treating_doctor(seeded: str) -> None:
    adults = User.objects.filter(role=Role.PATIENT).exclude(email__contains=".enfant@")
    with_doctor = TreatingDoctorDeclaration.objects.filter(
        patient__in=adults, ended_at__isnull=True
    ).count()
    assert (adults.count(), with_doctor) == (29, 24)


def test_the_child_has_her_mother_as_parent_proxy_until_she_is_18(seeded: str) -> None:
    mother = User.objects.get(email="camille.martin@demo.maillage.test")
    child = User.objects.get(email="emma.martin.enfant@demo.maillage.test")

    proxy = Proxy.objects.get(patient=child)

    assert proxy.proxy == mother
    assert proxy.kind == Proxy.Kind.PARENT
    assert proxy.ends_at is not None
    assert timezone.localtime(proxy.ends_at).date() == date(2036, 5, 14)
    assert list(list_represented_patients_for(actor=mother)) == [child]
    assert not child.has_usable_password()
    assert PatientProfile.objects.get(user=child).commune == mother.patient_profile.commune


def test_every_demo_account_has_a_verified_email(seeded: str) -> None:
    for user in User.objects.all():
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


def test_every_professional_has_the_demo_totp_and_no_patient_has_one(seeded: str) -> None:
    for user in User.objects.all():
        assert has_strong_second_factor(user=user) is user.requires_mfa, user.email
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 14


def test_the_readme_logins_exist_with_the_demo_password(seeded: str) -> None:
    for email in README_LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD), email
        assert email in seeded
    assert DEMO_PASSWORD in seeded
    assert DEMO_TOTP_SECRET in seeded


def test_the_operator_can_reach_the_admin(seeded: str) -> None:
    operator = User.objects.get(email="operateur@demo.maillage.test")
    assert operator.role == Role.OPERATOR
    assert operator.is_staff


def test_the_demo_leaves_a_real_audit_trail(seeded: str) -> None:
    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert actions["accounts.patient_registered"] == 30
    assert actions["accounts.professional_created"] == 9
    assert actions["accounts.proxy_granted"] == 2
    assert actions["directory.treating_doctor_declared"] == 25
    # 8 doctors with a practice, 2 practice staff
    assert actions["directory.practice_member_added"] == 10


def test_the_demo_has_a_gp_with_slots_a_call_to_join_and_closed_acts(seeded: str) -> None:
    from maillage.billing.models import BilledAct
    from maillage.teleconsultation.models import Appointment, ConsultationReport
    from maillage.teleconsultation.selectors import call_access, free_slots, get_offer_of

    gp = User.objects.get(email="claire.thiebaut@demo.maillage.test")
    offer = get_offer_of(doctor=gp)
    assert offer is not None
    assert offer.enabled
    assert free_slots(offer=offer)
    mother = User.objects.get(email="camille.martin@demo.maillage.test")
    upcoming = Appointment.objects.get(patient=mother, status=Appointment.Status.BOOKED)
    # Joinable at once, with consent already given.
    assert upcoming.consent_id is not None
    assert upcoming.starts_at > timezone.now()
    assert call_access(user=gp, session={}, appointment_id=upcoming.public_id)
    reports = ConsultationReport.objects.all()
    assert reports.count() == 6
    assert all(report.report_pdf.name for report in reports)
    # The acts of these calls; the dashboards' year of history has no call behind it.
    called = BilledAct.objects.filter(
        source_kind="teleconsultation", source_id__in=Appointment.objects.values("public_id")
    )
    assert called.count() == 6
    statuses = Counter(called.values_list("parcours_status", flat=True))
    assert statuses["outside"] == 1  # the Commercy GP seeing someone else's patient
    assert Appointment.objects.filter(status=Appointment.Status.CANCELLED).count() == 1
    assert call_access(
        user=gp, session={}, appointment_id=upcoming.public_id, now=upcoming.starts_at
    )


def test_the_demo_has_tele_expertise_answered_and_waiting(seeded: str) -> None:
    from maillage.billing.models import BilledAct
    from maillage.expertise.models import ExpertiseRequest

    journey = ExpertiseRequest.objects.exclude(question__endswith="(historique de démonstration).")
    statuses = Counter(journey.values_list("status", flat=True))
    assert statuses == {"answered": 1, "submitted": 2}
    assert set(
        BilledAct.objects.filter(source_kind__startswith="teleexpertise").values_list(
            "code", flat=True
        )
    ) == {
        "TE2",
        "RQD",
    }


def test_the_communities_have_threads_a_badge_and_work_for_the_moderator(seeded: str) -> None:
    from maillage.communities.models import Community, Post

    assert Community.objects.count() >= 7
    assert Post.objects.filter(by_professional=True, status=Post.Status.PUBLISHED).exists()
    queue = Post.objects.filter(needs_review=True)
    assert queue.filter(status=Post.Status.HELD).exists()
    assert queue.filter(reports__isnull=False).exists()


def test_demo_doctors_have_published_profiles_without_blocking_findings(seeded: str) -> None:
    from maillage.profiles.models import DoctorProfile

    published = DoctorProfile.objects.filter(status=DoctorProfile.Status.PUBLISHED)
    assert published.count() >= 6
    assert all(not p.published_version.errors for p in published if p.published_version)
