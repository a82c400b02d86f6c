"""Pro Santé Connect (OpenID Connect): the redirect, and linking a professional by RPPS."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from maillage.accounts.adapters import SocialAccountAdapter, idnps_to_rpps
from maillage.accounts.models import Professional, Role, User
from maillage.accounts.tests.factories import ProfessionalFactory, rpps_for
from maillage.audit.models import AuditEvent

SERVER_URL = "https://auth.psc.test/realms/esante"
DISCOVERY_URL = f"{SERVER_URL}/.well-known/openid-configuration"
AUTHORIZATION_ENDPOINT = f"{SERVER_URL}/protocol/openid-connect/auth"
DISCOVERY = {
    "issuer": SERVER_URL,
    "authorization_endpoint": AUTHORIZATION_ENDPOINT,
    "token_endpoint": f"{SERVER_URL}/protocol/openid-connect/token",
    "userinfo_endpoint": f"{SERVER_URL}/protocol/openid-connect/userinfo",
    "jwks_uri": f"{SERVER_URL}/protocol/openid-connect/certs",
    "code_challenge_methods_supported": ["S256"],
}
PSC_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "psc",
                "name": "Pro Santé Connect",
                "client_id": "maillage-test",
                "secret": "client-secret-for-tests",
                "settings": {
                    "server_url": SERVER_URL,
                    "token_auth_method": "client_secret_basic",
                    "auth_params": {"acr_values": "eidas1"},
                    "scope": ["openid", "scope_all"],
                },
            }
        ],
    }
}

with_psc = override_settings(SOCIALACCOUNT_PROVIDERS=PSC_PROVIDERS)


class _DiscoveryResponse:
    status_code = 200

    def raise_for_status(self) -> None:
        return None

    def json(self) -> dict[str, Any]:
        return dict(DISCOVERY)


@pytest.fixture
def discovery_fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer the one HTTP call allauth makes before redirecting: the discovery document."""
    fetched: list[str] = []

    def fake_get(session: requests.Session, url: str, **kwargs: Any) -> _DiscoveryResponse:
        if url != DISCOVERY_URL:
            raise AssertionError(f"unexpected HTTP GET {url}")
        fetched.append(url)
        return _DiscoveryResponse()

    monkeypatch.setattr(requests.Session, "get", fake_get)
    return fetched


# --- The redirect to Pro Santé Connect -------------------------------------------------------


@with_psc
@pytest.mark.django_db
def test_login_redirects_to_psc_with_eidas1_and_pkce(
    client: Client, discovery_fetches: list[str]
) -> None:
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "psc"})

    response = client.post(login_url)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTHORIZATION_ENDPOINT
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["acr_values"] == "eidas1"
    assert query["response_type"] == "code"
    assert query["client_id"] == "maillage-test"
    assert set(query["scope"].split()) == {"openid", "scope_all"}
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43
    assert query["state"]
    assert query["redirect_uri"].endswith(
        reverse("openid_connect_callback", kwargs={"provider_id": "psc"})
    )
    assert discovery_fetches == [DISCOVERY_URL]


@with_psc
@pytest.mark.django_db
def test_each_login_uses_a_fresh_pkce_challenge(
    client: Client, discovery_fetches: list[str]
) -> None:
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "psc"})

    first = parse_qs(urlsplit(client.post(login_url).headers["Location"]).query)
    second = parse_qs(urlsplit(client.post(login_url).headers["Location"]).query)

    assert first["code_challenge"] != second["code_challenge"]
    assert first["state"] != second["state"]


@pytest.mark.django_db
def test_without_psc_configuration_the_login_url_is_404(client: Client) -> None:
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "psc"}))

    assert response.status_code == 404


# --- idnps_to_rpps ---------------------------------------------------------------------------


def test_idnps_is_eight_followed_by_the_rpps() -> None:
    assert idnps_to_rpps("810005173140") == "10005173140"


@pytest.mark.parametrize(
    "subject",
    [
        "10005173140",  # the RPPS alone
        "010005173140",  # "0" + ADELI-style prefix, not an RPPS
        "8100051731401",  # one digit too many
        "81000517314",  # one digit short
        "8100051731A0",
        "",
        "".join(chr(0xFF10 + int(d)) for d in "810005173140"),  # full-width digits
        "8" + "".join(chr(0x0660 + int(d)) for d in "10005173140"),  # Arabic-Indic digits
    ],
)
def test_anything_else_is_not_an_idnps(subject: str) -> None:
    # str.isdigit() is true for the last two: only ASCII digits make an IDNPS.
    assert idnps_to_rpps(subject) is None


# --- Linking the Pro Santé Connect identity to a Maillage professional ----------------------


def _request() -> HttpRequest:
    request = RequestFactory().get("/accounts/oidc/psc/login/callback/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _psc_login(
    subject_name_id: str | None, uid: str = "psc-technical-sub-1", acr: str | None = "eidas1"
) -> SocialLogin:
    userinfo: dict[str, Any] = {"sub": uid, "given_name": "Claire", "family_name": "Thiébaut"}
    if subject_name_id is not None:
        userinfo["SubjectNameID"] = subject_name_id
    id_token = {"sub": uid} if acr is None else {"sub": uid, "acr": acr}
    account = SocialAccount(
        provider="psc", uid=uid, extra_data={"userinfo": userinfo, "id_token": id_token}
    )
    return SocialLogin(account=account, user=User(email="", role=Role.PATIENT))


@with_psc
@pytest.mark.django_db
def test_a_known_rpps_links_the_psc_identity_to_the_professional() -> None:
    # given
    doctor = ProfessionalFactory(role=Role.GP, verified=False)
    rpps = doctor.professional.rpps
    sociallogin = _psc_login(f"8{rpps}")

    # when
    SocialAccountAdapter().pre_social_login(_request(), sociallogin)

    # then
    assert sociallogin.user == doctor
    assert sociallogin.is_existing
    linked = SocialAccount.objects.get(provider="psc", uid="psc-technical-sub-1")
    assert linked.user == doctor
    professional = Professional.objects.get(user=doctor)
    assert professional.verification == Professional.Verification.PRO_SANTE_CONNECT
    assert professional.verified_at is not None
    assert AuditEvent.objects.filter(
        action="accounts.professional_verified_psc", actor=doctor
    ).exists()


@with_psc
@pytest.mark.django_db
def test_the_subject_falls_back_to_the_uid_when_userinfo_has_no_subject_name_id() -> None:
    doctor = ProfessionalFactory(role=Role.SPECIALIST)
    rpps = doctor.professional.rpps
    sociallogin = _psc_login(None, uid=f"8{rpps}")

    SocialAccountAdapter().pre_social_login(_request(), sociallogin)

    assert SocialAccount.objects.get(uid=f"8{rpps}").user == doctor


@with_psc
@pytest.mark.django_db
def test_an_unknown_rpps_is_refused_with_a_message() -> None:
    # given
    ProfessionalFactory(role=Role.GP)
    request = _request()
    sociallogin = _psc_login(f"8{rpps_for(999_999)}")

    # when
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(request, sociallogin)

    # then
    response = refused.value.response
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_login")
    texts = [str(message) for message in get_messages(request)]
    assert any("Aucun compte Maillage ne correspond à ce numéro RPPS" in t for t in texts)
    assert not SocialAccount.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.professional_verified_psc").exists()


@with_psc
@pytest.mark.django_db
def test_a_subject_that_is_not_an_idnps_is_refused() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    sociallogin = _psc_login(doctor.professional.rpps)  # the RPPS without the leading "8"

    with pytest.raises(ImmediateHttpResponse):
        SocialAccountAdapter().pre_social_login(_request(), sociallogin)

    assert not SocialAccount.objects.exists()


@with_psc
@pytest.mark.django_db
def test_a_login_already_linked_is_left_alone() -> None:
    doctor = ProfessionalFactory(role=Role.GP, verified=False)
    sociallogin = _psc_login("not-an-idnps")
    sociallogin.user = doctor

    SocialAccountAdapter().pre_social_login(_request(), sociallogin)

    professional = Professional.objects.get(user=doctor)
    assert professional.verification == Professional.Verification.PENDING


def test_psc_never_opens_an_account_by_itself() -> None:
    assert SocialAccountAdapter().is_open_for_signup(_request(), _psc_login(None)) is False


@with_psc
@pytest.mark.django_db
@pytest.mark.parametrize("acr", [None, "eidas-low", ""])
def test_a_login_below_the_required_level_is_refused_even_when_already_linked(
    acr: str | None,
) -> None:
    # given a professional whose PSC identity is already linked
    doctor = ProfessionalFactory(role=Role.GP)
    sociallogin = _psc_login(f"8{doctor.professional.rpps}", acr=acr)
    sociallogin.user = doctor
    request = _request()
    # when PSC answers with a weaker level than the one asked for
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(request, sociallogin)
    # then the login stops with an explanation
    assert refused.value.response.headers["Location"] == reverse("account_login")
    texts = [str(message) for message in get_messages(request)]
    assert any("niveau de sécurité requis" in text for text in texts)
