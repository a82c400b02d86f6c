"""A patient invites a carer by e-mail; the carer acts for them once they accept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts import services
from maillage.accounts.models import CarerInvitation, Proxy, Role, User
from maillage.accounts.selectors import can_act_for, list_proxies_for, list_represented_patients_for
from maillage.accounts.services import InvitationNotAllowed, ProxyNotAllowed
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory, ProfessionalFactory
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CONSENT = "J'autorise cette personne à consulter mes informations de santé."


@pytest.fixture
def adult() -> User:
    return PatientFactory(first_name="Gérard", birth_date=date(1941, 9, 3))


@pytest.fixture
def carer() -> User:
    return PatientFactory(first_name="Sylvie", birth_date=date(1968, 2, 12))


def invite(patient: User, email: str) -> CarerInvitation:
    return services.invite_carer(actor=patient, email=email, consent_statement=CONSENT)


def test_an_invitation_records_the_patients_consent_and_grants_nothing_yet(
    adult: User, carer: User
) -> None:
    invitation = invite(adult, carer.email)

    assert invitation.consent_statement == CONSENT
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert not can_act_for(actor=carer, patient=adult)
    event = AuditEvent.objects.get(action="accounts.carer_invited")
    assert (event.actor, event.patient) == (adult, adult)


def test_the_invitation_email_leaves_after_commit_with_a_link_and_no_health_data(
    adult: User, carer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(adult, carer.email)

    assert [message.to for message in mail.outbox] == [[carer.email]]
    assert f"/compte/invitations/{invitation.public_id}/" in mail.outbox[0].body
    assert adult.get_full_name() in mail.outbox[0].body


def test_an_address_without_an_account_gets_the_same_invitation(
    adult: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(adult, "inconnue@example.test")

    assert [message.to for message in mail.outbox] == [["inconnue@example.test"]]


def test_accepting_makes_the_carer_a_proxy_with_the_patients_consent(
    adult: User, carer: User
) -> None:
    invitation = invite(adult, carer.email)

    proxy = services.accept_carer_invitation(actor=carer, invitation=invitation)

    assert (proxy.kind, proxy.patient, proxy.proxy) == (Proxy.Kind.CARER, adult, carer)
    assert proxy.granted_by == adult
    assert proxy.consent_statement == CONSENT
    assert proxy.consent_recorded_at == invitation.created_at
    assert can_act_for(actor=carer, patient=adult)
    assert list(list_represented_patients_for(actor=carer)) == [adult]
    event = AuditEvent.objects.get(action="accounts.proxy_granted")
    assert (event.actor, event.patient) == (carer, adult)
    assert CONSENT not in str(event.details)


def test_an_account_whose_email_differs_cannot_accept(adult: User, carer: User) -> None:
    invitation = invite(adult, "quelquun@example.test")

    with pytest.raises(InvitationNotAllowed):
        services.accept_carer_invitation(actor=carer, invitation=invitation)

    assert not Proxy.objects.exists()


def test_the_address_matches_whatever_its_case(adult: User, carer: User) -> None:
    invitation = invite(adult, carer.email.upper())

    services.accept_carer_invitation(actor=carer, invitation=invitation)

    assert can_act_for(actor=carer, patient=adult)


def test_an_expired_invitation_cannot_be_accepted(adult: User, carer: User) -> None:
    invitation = invite(adult, carer.email)

    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(InvitationNotAllowed),
    ):
        services.accept_carer_invitation(actor=carer, invitation=invitation)


def test_a_declined_or_cancelled_invitation_cannot_be_accepted(adult: User, carer: User) -> None:
    declined = invite(adult, carer.email)
    services.decline_carer_invitation(actor=carer, invitation=declined)
    cancelled = invite(adult, carer.email)
    services.cancel_carer_invitation(actor=adult, invitation=cancelled)

    for invitation in (declined, cancelled):
        with pytest.raises(InvitationNotAllowed):
            services.accept_carer_invitation(actor=carer, invitation=invitation)
    assert not Proxy.objects.exists()


def test_only_the_patient_may_cancel_their_invitation(adult: User, carer: User) -> None:
    invitation = invite(adult, carer.email)

    with pytest.raises(InvitationNotAllowed):
        services.cancel_carer_invitation(actor=carer, invitation=invitation)


def test_an_invitation_without_consent_statement_is_refused(adult: User, carer: User) -> None:
    with pytest.raises(ProxyNotAllowed):
        services.invite_carer(actor=adult, email=carer.email, consent_statement="   ")

    assert not CarerInvitation.objects.exists()


def test_the_database_refuses_a_carer_proxy_without_consent(adult: User, carer: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(patient=adult, proxy=carer, kind=Proxy.Kind.CARER, granted_by=adult)


@pytest.mark.parametrize("role", [Role.GP, Role.OPERATOR])
def test_only_a_patient_can_invite_a_carer(carer: User, role: str) -> None:
    someone = ProfessionalFactory(role=role) if role == Role.GP else OperatorFactory.create()

    with pytest.raises(ProxyNotAllowed):
        invite(someone, carer.email)


def test_a_patient_cannot_invite_themself(adult: User) -> None:
    with pytest.raises(ProxyNotAllowed):
        invite(adult, adult.email.upper())


def test_a_second_invitation_to_a_waiting_address_is_refused(adult: User, carer: User) -> None:
    invite(adult, carer.email)

    with pytest.raises(InvitationNotAllowed):
        invite(adult, carer.email)

    assert CarerInvitation.objects.count() == 1


def test_an_expired_invitation_makes_room_for_a_new_one(adult: User, carer: User) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        invite(adult, carer.email)

    invite(adult, carer.email)

    assert CarerInvitation.objects.filter(cancelled_at__isnull=True).count() == 1


def test_accepting_twice_is_refused(adult: User, carer: User) -> None:
    invitation = invite(adult, carer.email)
    services.accept_carer_invitation(actor=carer, invitation=invitation)

    with pytest.raises(InvitationNotAllowed):
        services.accept_carer_invitation(actor=carer, invitation=invitation)

    assert Proxy.objects.count() == 1


def test_a_revoked_carer_may_be_invited_again(adult: User, carer: User) -> None:
    first = make_carer_proxy(adult, carer)
    services.revoke_proxy(actor=adult, proxy=first)

    make_carer_proxy(adult, carer)

    assert can_act_for(actor=carer, patient=adult)
    assert Proxy.objects.filter(patient=adult, proxy=carer).count() == 2


# --- After the 18th birthday: the parent proxy has ended -------------------------------------


@pytest.fixture
def young_adult_with_ended_parent_proxy() -> Iterator[tuple[User, User]]:
    """Chloé turned 18 on 1 March 2026; her mother's parent proxy ended then."""
    mother = PatientFactory(first_name="Nathalie", birth_date=date(1975, 4, 4))
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=PARIS), tick=False) as clock:
        chloe = PatientFactory(first_name="Chloé", birth_date=date(2008, 3, 1))
        services.add_parent_proxy(actor=OperatorFactory.create(), child=chloe, parent=mother)
        clock.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=PARIS))
        yield chloe, mother


def test_an_ended_parent_proxy_is_not_listed_as_someone_who_can_act(
    young_adult_with_ended_parent_proxy: tuple[User, User],
) -> None:
    chloe, mother = young_adult_with_ended_parent_proxy

    assert list(list_proxies_for(actor=chloe)) == []
    assert not can_act_for(actor=mother, patient=chloe)


def test_a_young_adult_may_choose_a_carer_after_the_parent_proxy_ended(
    young_adult_with_ended_parent_proxy: tuple[User, User], carer: User
) -> None:
    chloe, _mother = young_adult_with_ended_parent_proxy

    make_carer_proxy(chloe, carer)

    assert list(list_represented_patients_for(actor=carer)) == [chloe]


def test_a_young_adult_may_choose_their_former_parent_proxy_as_carer(
    young_adult_with_ended_parent_proxy: tuple[User, User],
) -> None:
    chloe, mother = young_adult_with_ended_parent_proxy

    proxy = make_carer_proxy(chloe, mother)

    assert proxy.kind == Proxy.Kind.CARER
    assert can_act_for(actor=mother, patient=chloe)
    assert [p.kind for p in list_proxies_for(actor=chloe)] == [Proxy.Kind.CARER]
