"""The account page at /compte/: identity, and inviting a carer, who accepts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts import services
from maillage.accounts.models import CarerInvitation, Proxy, Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


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


def test_inviting_a_carer_sends_an_invitation_and_grants_nothing_yet(
    client: Client, adult: User, carer: User
) -> None:
    response = client.post(
        reverse("accounts:proxy_add"), {"email": carer.email, "consent": "on"}, follow=True
    )

    assert response.redirect_chain == [(reverse("accounts:account"), 302)]
    invitation = CarerInvitation.objects.get(patient=adult)
    assert invitation.email == carer.email
    assert invitation.consent_statement.startswith("J'autorise cette personne")
    assert not Proxy.objects.exists()
    body = response.content.decode()
    assert f"Invitation envoyée à {carer.email}" in body
    assert "Invitations en attente de réponse" in body


@pytest.mark.parametrize(
    "email", ["inconnu.du.service@example.test", "SYLVIE.AIDANTE@example.test"]
)
def test_the_answer_does_not_reveal_whether_the_address_has_an_account(
    client: Client, adult: User, carer: User, email: str
) -> None:
    response = client.post(
        reverse("accounts:proxy_add"), {"email": email, "consent": "on"}, follow=True
    )

    assert response.status_code == 200
    assert f"Invitation envoyée à {email}" in response.content.decode()


def test_without_the_consent_box_nothing_is_sent(client: Client, adult: User, carer: User) -> None:
    status, body = _add(client, carer.email, consent=False)

    assert status == 422
    assert "Cochez la case pour donner votre accord." in body
    assert f'value="{carer.email}"' in body
    assert not CarerInvitation.objects.exists()


def test_inviting_the_same_address_twice_is_refused_with_422(
    client: Client, adult: User, carer: User
) -> None:
    assert _add(client, carer.email)[0] == 302

    status, body = _add(client, carer.email)

    assert status == 422
    assert "Une invitation attend déjà la réponse de cette adresse." in body
    assert CarerInvitation.objects.count() == 1


def test_inviting_oneself_is_refused_with_422(client: Client, adult: User) -> None:
    status, _body = _add(client, adult.email)

    assert status == 422
    assert not CarerInvitation.objects.exists()


def test_a_doctor_cannot_invite_a_carer(client: Client, carer: User) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    client.force_login(doctor)

    status, _body = _add(client, carer.email)

    assert status == 422
    assert not CarerInvitation.objects.exists()


def test_the_invited_carer_sees_the_invitation_and_accepts_it(client: Client, carer: User) -> None:
    # given Gérard invited Sylvie
    adult = PatientFactory(first_name="Gérard", last_name="Vautrin")
    invitation = services.invite_carer(
        actor=adult, email=carer.email, consent_statement="J'autorise."
    )
    client.force_login(carer)
    # when she opens her account and the invitation
    account = client.get(reverse("accounts:account")).content.decode()
    page = client.get(reverse("accounts:invitation", args=[invitation.public_id]))
    response = client.post(
        reverse("accounts:invitation_accept", args=[invitation.public_id]), follow=True
    )
    # then she acts for him
    assert "Gérard Vautrin vous invite à devenir son aidant" in account
    assert page.status_code == 200
    assert "Accepter" in page.content.decode()
    body = response.content.decode()
    assert "Les personnes que je représente" in body
    assert "Gérard Vautrin" in body
    assert Proxy.objects.filter(patient=adult, proxy=carer, kind=Proxy.Kind.CARER).exists()


def test_someone_else_gets_404_on_an_invitation(client: Client, carer: User) -> None:
    adult = PatientFactory()
    invitation = services.invite_carer(
        actor=adult, email=carer.email, consent_statement="J'autorise."
    )
    client.force_login(PatientFactory())

    url = reverse("accounts:invitation", args=[invitation.public_id])
    assert client.get(url).status_code == 404
    accept = reverse("accounts:invitation_accept", args=[invitation.public_id])
    assert client.post(accept).status_code == 404
    assert not Proxy.objects.exists()


def test_the_patient_withdraws_a_waiting_invitation(
    client: Client, adult: User, carer: User
) -> None:
    _add(client, carer.email)
    invitation = CarerInvitation.objects.get(patient=adult)

    client.post(reverse("accounts:invitation_cancel", args=[invitation.public_id]))

    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert (
        "Invitations en attente de réponse"
        not in client.get(reverse("accounts:account")).content.decode()
    )


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
