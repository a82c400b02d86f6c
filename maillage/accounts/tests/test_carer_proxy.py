"""A patient lets a carer act for them, with their recorded consent (grant_carer_proxy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from maillage.accounts import services
from maillage.accounts.models import Proxy, Role, User
from maillage.accounts.selectors import can_act_for, list_proxies_for, list_represented_patients_for
from maillage.accounts.services import ProxyNotAllowed
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory, ProfessionalFactory
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


def test_grant_records_the_patients_consent(adult: User, carer: User) -> None:
    proxy = services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

    assert proxy.kind == Proxy.Kind.CARER
    assert proxy.patient == adult
    assert proxy.proxy == carer
    assert proxy.granted_by == adult
    assert proxy.consent_statement == CONSENT
    assert proxy.consent_recorded_at is not None
    assert proxy.ends_at is None


def test_grant_is_audited_with_the_patient(adult: User, carer: User) -> None:
    proxy = services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

    event = AuditEvent.objects.get(action="accounts.proxy_granted")
    assert (event.actor, event.patient) == (adult, adult)
    assert event.target_id == str(proxy.public_id)
    assert event.details == {"kind": "carer"}
    assert CONSENT not in str(event.details)


def test_the_carer_can_then_act_for_the_patient(adult: User, carer: User) -> None:
    services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

    assert can_act_for(actor=carer, patient=adult)
    assert list(list_represented_patients_for(actor=carer)) == [adult]
    assert [proxy.proxy for proxy in list_proxies_for(actor=adult)] == [carer]


@pytest.mark.parametrize("statement", ["", "   \n"])
def test_a_grant_without_consent_statement_is_refused(
    adult: User, carer: User, statement: str
) -> None:
    with pytest.raises(ProxyNotAllowed):
        services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=statement)

    assert not Proxy.objects.exists()


def test_the_database_refuses_a_carer_without_consent(adult: User, carer: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(patient=adult, proxy=carer, kind=Proxy.Kind.CARER, granted_by=adult)


def test_only_the_patient_can_grant_a_carer(adult: User, carer: User) -> None:
    doctor = ProfessionalFactory(role=Role.GP)

    with pytest.raises(ProxyNotAllowed):
        services.grant_carer_proxy(actor=doctor, carer=carer, consent_statement=CONSENT)

    assert not Proxy.objects.exists()


def test_a_patient_cannot_be_their_own_carer(adult: User) -> None:
    with pytest.raises(ProxyNotAllowed):
        services.grant_carer_proxy(actor=adult, carer=adult, consent_statement=CONSENT)


def test_granting_the_same_carer_twice_is_refused(adult: User, carer: User) -> None:
    services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

    with pytest.raises(ProxyNotAllowed) as refused:
        services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

    assert "déjà votre mandataire" in str(refused.value.message)
    assert Proxy.objects.filter(patient=adult, proxy=carer).count() == 1
    assert AuditEvent.objects.filter(action="accounts.proxy_granted").count() == 1


def test_a_revoked_carer_may_be_granted_again(adult: User, carer: User) -> None:
    first = services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)
    services.revoke_proxy(actor=adult, proxy=first)

    services.grant_carer_proxy(actor=adult, carer=carer, consent_statement=CONSENT)

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

    services.grant_carer_proxy(actor=chloe, carer=carer, consent_statement=CONSENT)

    assert can_act_for(actor=carer, patient=chloe)
    assert list(list_represented_patients_for(actor=carer)) == [chloe]


def test_a_young_adult_may_choose_their_former_parent_proxy_as_carer(
    young_adult_with_ended_parent_proxy: tuple[User, User],
) -> None:
    chloe, mother = young_adult_with_ended_parent_proxy

    proxy = services.grant_carer_proxy(actor=chloe, carer=mother, consent_statement=CONSENT)

    assert proxy.kind == Proxy.Kind.CARER
    assert can_act_for(actor=mother, patient=chloe)
    assert [p.kind for p in list_proxies_for(actor=chloe)] == [Proxy.Kind.CARER]
