"""Ending a proxy: who may do it, through the service and the /compte/ revoke URL."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts import services
from maillage.accounts.models import Proxy, User
from maillage.accounts.selectors import can_act_for
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.audit.models import AuditEvent
from maillage.core.exceptions import NotAllowed

pytestmark = pytest.mark.django_db

CONSENT = "J'autorise cette personne à agir pour moi."


@pytest.fixture
def adult() -> User:
    return PatientFactory(first_name="Gérard", birth_date=date(1941, 9, 3))


@pytest.fixture
def carer() -> User:
    return PatientFactory(first_name="Sylvie")


@pytest.fixture
def carer_proxy(adult: User, carer: User) -> Proxy:
    return make_carer_proxy(adult, carer)


@pytest.fixture
def parent() -> User:
    return PatientFactory(first_name="Camille")


@pytest.fixture
def minor() -> User:
    return PatientFactory(first_name="Emma", birth_date=date(2019, 6, 15))


@pytest.fixture
def parent_proxy(parent: User, minor: User) -> Proxy:
    return services.add_parent_proxy(actor=OperatorFactory.create(), child=minor, parent=parent)


def _revoke_url(proxy: Proxy) -> str:
    return reverse("accounts:proxy_revoke", args=[proxy.public_id])


# --- Service ---------------------------------------------------------------------------------


def test_the_patient_revokes_their_carer(adult: User, carer: User, carer_proxy: Proxy) -> None:
    revoked = services.revoke_proxy(actor=adult, proxy=carer_proxy)

    assert revoked.revoked_at is not None
    assert not can_act_for(actor=carer, patient=adult)
    event = AuditEvent.objects.get(action="accounts.proxy_revoked")
    assert (event.actor, event.patient) == (adult, adult)
    assert event.target_id == str(carer_proxy.public_id)


def test_the_carer_may_step_down(adult: User, carer: User, carer_proxy: Proxy) -> None:
    services.revoke_proxy(actor=carer, proxy=carer_proxy)

    assert not can_act_for(actor=carer, patient=adult)


def test_an_operator_may_revoke(adult: User, carer: User, carer_proxy: Proxy) -> None:
    services.revoke_proxy(actor=OperatorFactory.create(), proxy=carer_proxy)

    assert not can_act_for(actor=carer, patient=adult)


def test_an_outsider_may_not_revoke(carer: User, adult: User, carer_proxy: Proxy) -> None:
    with pytest.raises(NotAllowed):
        services.revoke_proxy(actor=PatientFactory(), proxy=carer_proxy)

    assert can_act_for(actor=carer, patient=adult)


def test_a_minor_cannot_revoke_their_parent(parent: User, minor: User, parent_proxy: Proxy) -> None:
    with pytest.raises(NotAllowed):
        services.revoke_proxy(actor=minor, proxy=parent_proxy)

    assert can_act_for(actor=parent, patient=minor)
    assert not AuditEvent.objects.filter(action="accounts.proxy_revoked").exists()


def test_the_parent_may_end_their_own_parent_proxy(
    parent: User, minor: User, parent_proxy: Proxy
) -> None:
    services.revoke_proxy(actor=parent, proxy=parent_proxy)

    assert not can_act_for(actor=parent, patient=minor)


def test_revoking_twice_is_audited_once(adult: User, carer_proxy: Proxy) -> None:
    first = services.revoke_proxy(actor=adult, proxy=carer_proxy)
    second = services.revoke_proxy(actor=adult, proxy=carer_proxy)

    assert second.revoked_at == first.revoked_at
    assert AuditEvent.objects.filter(action="accounts.proxy_revoked").count() == 1


# --- View ------------------------------------------------------------------------------------


def test_patient_revokes_from_the_account_page(
    client: Client, adult: User, carer: User, carer_proxy: Proxy
) -> None:
    client.force_login(adult)

    response = client.post(_revoke_url(carer_proxy), follow=True)

    assert response.redirect_chain == [(reverse("accounts:account"), 302)]
    assert "L&#x27;autorisation a été retirée." in response.content.decode()
    assert not can_act_for(actor=carer, patient=adult)


def test_an_outsider_gets_404_on_the_revoke_url(
    client: Client, adult: User, carer: User, carer_proxy: Proxy
) -> None:
    client.force_login(PatientFactory())

    response = client.post(_revoke_url(carer_proxy))

    assert response.status_code == 404
    assert can_act_for(actor=carer, patient=adult)


def test_an_unknown_proxy_id_is_404(client: Client, adult: User) -> None:
    client.force_login(adult)

    response = client.post(reverse("accounts:proxy_revoke", args=[uuid.uuid4()]))

    assert response.status_code == 404


def test_a_minor_gets_404_when_revoking_the_parent(
    client: Client, parent: User, minor: User, parent_proxy: Proxy
) -> None:
    client.force_login(minor)

    response = client.post(_revoke_url(parent_proxy))

    assert response.status_code == 404
    assert can_act_for(actor=parent, patient=minor)


def test_the_revoke_url_refuses_get(client: Client, adult: User, carer_proxy: Proxy) -> None:
    client.force_login(adult)

    response = client.get(_revoke_url(carer_proxy))

    assert response.status_code == 405
    assert Proxy.objects.get(pk=carer_proxy.pk).revoked_at is None


def test_a_visitor_is_sent_to_the_login_page(client: Client, carer_proxy: Proxy) -> None:
    response = client.post(_revoke_url(carer_proxy))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert Proxy.objects.get(pk=carer_proxy.pk).revoked_at is None
