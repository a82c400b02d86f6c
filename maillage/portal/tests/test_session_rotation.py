"""The session key changes when a sign-in completes: a key planted before it is worth nothing.

The password step of a patient is `accounts/tests/test_login_by_email.py`; here, the second
factor of a professional (the key of the half-signed-in session changes once the code is
accepted) and a Pro Santé Connect login (allauth's social flow from the identity PSC returned:
the PSC server itself is not needed for what happens to the session).
"""

from __future__ import annotations

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal.flows.login import complete_login
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PASSWORD, ProfessionalFactory
from maillage.accounts.tests.helpers import current_totp_code, logged_in_user_id
from maillage.accounts.tests.test_pro_sante_connect import with_psc

pytestmark = pytest.mark.django_db


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_key_changes_at_the_password_step_and_again_at_the_second_factor() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key

    first = client.post(reverse("account_login"), {"login": doctor.email, "password": PASSWORD})
    assert first["Location"] == reverse("mfa_authenticate")
    half_signed_in = _key(client)
    second = client.post(first["Location"], {"code": current_totp_code()})

    assert second.status_code == 302
    assert logged_in_user_id(client) == str(doctor.pk)
    # The password step only stages the login (nobody is signed in yet); the key that ends up
    # signed in is a new one, unknown to whoever planted or saw the half-signed-in one.
    assert _key(client) not in (planted, half_signed_in)


@with_psc
def test_the_key_changes_at_a_pro_sante_connect_login() -> None:
    # Without a TOTP on the account, so that the PSC login itself completes the sign-in (with
    # one, allauth asks for its code next, and the second-factor test above applies).
    doctor = ProfessionalFactory(role=Role.GP, mfa=False)
    SocialAccount.objects.create(user=doctor, provider="psc", uid="psc-rotation-1")
    request = RequestFactory().get("/accounts/oidc/psc/login/callback/")
    request.session = SessionStore()
    request.session["planted"] = True
    request.session.save()
    planted = request.session.session_key
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as the middleware does
    account = SocialAccount(
        provider="psc",
        uid="psc-rotation-1",
        extra_data={
            "userinfo": {"sub": "psc-rotation-1", "SubjectNameID": f"8{doctor.professional.rpps}"},
            "id_token": {"sub": "psc-rotation-1", "acr": "eidas1"},
        },
    )
    with context.request_context(request):  # what allauth's middleware sets up
        provider = get_adapter().get_provider(request, "psc")
        sociallogin = SocialLogin(
            account=account, user=User(email="", role=Role.PATIENT), provider=provider
        )
        complete_login(request, sociallogin)

    assert sociallogin.user == doctor
    assert request.session.get("_auth_user_id") == str(doctor.pk)
    assert request.session.session_key != planted
