"""Bearer tokens of django-oauth-toolkit: the token's user is the actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from oauth2_provider.oauth2_backends import get_oauthlib_core

from maillage.accounts.models import User
from maillage.fhir_api.errors import FhirError
from maillage.fhir_api.scopes import SmartScopes


class Unauthorized(FhirError):
    def __init__(self) -> None:
        super().__init__(401, "login", _("Jeton d'accès absent, expiré ou révoqué."))


@dataclass(frozen=True)
class ApiCaller:
    user: User
    scopes: SmartScopes
    client_id: str


def authenticate(request: HttpRequest) -> ApiCaller:
    """The user and scopes of the request's bearer token.

    Raises:
        Unauthorized: no bearer token, or one that is unknown, expired, revoked, or whose
            user is deactivated.
    """
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise Unauthorized
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid:
        raise Unauthorized
    user = oauth_request.user
    if not isinstance(user, User) or not user.is_active:
        raise Unauthorized
    token = oauth_request.access_token
    application = token.application
    return ApiCaller(
        user=user,
        scopes=SmartScopes.parse(token.scope or ""),
        client_id=application.client_id if application is not None else "",
    )
