"""The account page at /compte/: identity, and naming a carer (proxy_add)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts import services
from maillage.accounts.models import Proxy, Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

UNKNOWN_EMAIL_ERROR = "Aucun compte Maillage n&#x27;utilise cette adresse."


@pytest.fixture
def adult(client: Client) -> User:
    person = PatientFactory(first_name="Gérard", birth_date=date(1941, 9, 3))
    client.force_login(person)
    return person


@pytest.fixture
def carer() -> User:
    return PatientFactory(first_name="Sylvie", email="sylvie.aidante@example.test")


def _add(client: Client, email: str, consent: bool = True) -> tuple[int, str]:
    data = {"email": email, **({"consent": "on"} if consent else {})}
    response = client.post(reverse("accounts:proxy_add"), data)
    return response.status_code, response.content.decode()


def test_account_page_shows_identity_and_the_carer_form(client: Client, adult: User) -> None:
    response = client.get(reverse("accounts:account"))

    assert response.status_code == 200
    body = response.content.decode()
    assert adult.email in body
    assert "Personne ne peut agir en votre nom." in body
    assert 'name="email"' in body
    assert 'name="consent"' in body


def test_naming_a_known_carer_with_consent_creates_the_proxy(
    client: Client, adult: User, carer: User
) -> None:
    response = client.post(
        reverse("accounts:proxy_add"), {"email": carer.email, "consent": "on"}, follow=True
    )

    assert response.redirect_chain == [(reverse("accounts:account"), 302)]
    proxy = Proxy.objects.get(patient=adult, proxy=carer)
    assert proxy.kind == Proxy.Kind.CARER
    assert proxy.consent_statement.startswith("J'autorise cette personne")
    body = response.content.decode()
    assert "Votre aidant peut désormais agir pour vous." in body
    assert carer.get_full_name() in body


def test_the_carer_email_is_matched_whatever_its_case(
    client: Client, adult: User, carer: User
) -> None:
    status, _body = _add(client, "Sylvie.AIDANTE@example.test")

    assert status == 302
    assert Proxy.objects.filter(patient=adult, proxy=carer).exists()


def test_an_unknown_carer_email_returns_422_and_keeps_what_was_typed(
    client: Client, adult: User
) -> None:
    status, body = _add(client, "inconnu.du.service@example.test")

    assert status == 422
    assert UNKNOWN_EMAIL_ERROR in body
    assert 'value="inconnu.du.service@example.test"' in body
    assert not Proxy.objects.exists()


def test_an_inactive_account_is_treated_as_unknown(
    client: Client, adult: User, carer: User
) -> None:
    User.objects.filter(pk=carer.pk).update(is_active=False)

    status, body = _add(client, carer.email)

    assert status == 422
    assert UNKNOWN_EMAIL_ERROR in body


def test_without_the_consent_box_nothing_is_granted(
    client: Client, adult: User, carer: User
) -> None:
    status, body = _add(client, carer.email, consent=False)

    assert status == 422
    assert "Cochez la case pour donner votre accord." in body
    assert f'value="{carer.email}"' in body
    assert not Proxy.objects.exists()


def test_naming_the_same_carer_twice_is_refused_with_422(
    client: Client, adult: User, carer: User
) -> None:
    assert _add(client, carer.email)[0] == 302

    status, body = _add(client, carer.email)

    assert status == 422
    assert "Cette personne est déjà votre mandataire." in body
    assert Proxy.objects.filter(patient=adult, proxy=carer).count() == 1
    assert AuditEvent.objects.filter(action="accounts.proxy_granted").count() == 1


def test_naming_oneself_is_refused_with_422(client: Client, adult: User) -> None:
    status, _body = _add(client, adult.email)

    assert status == 422
    assert not Proxy.objects.exists()


def test_a_doctor_cannot_name_a_carer(client: Client, carer: User) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    client.force_login(doctor)

    status, _body = _add(client, carer.email)

    assert status == 422
    assert not Proxy.objects.exists()


def test_the_carer_sees_whom_they_represent(client: Client, carer: User) -> None:
    adult = PatientFactory(first_name="Gérard", last_name="Vautrin")
    services.grant_carer_proxy(actor=adult, carer=carer, consent_statement="J'autorise.")
    client.force_login(carer)

    body = client.get(reverse("accounts:account")).content.decode()

    assert "Les personnes que je représente" in body
    assert "Gérard Vautrin" in body


def test_a_luhn_failing_rpps_is_flagged_on_the_account_page(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP, rpps="10101201234")
    client.force_login(doctor)

    body = client.get(reverse("accounts:account")).content.decode()

    assert "10101201234" in body
    assert "clé à vérifier" in body


def test_a_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
