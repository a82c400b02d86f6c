"""Professionals cannot use the platform before they have a second factor (TOTP or passkey)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from maillage.accounts.models import User

SESSION_FLAG = "maillage_mfa_enrolled"
# Paths a professional without MFA may still reach: setting it up, leaving, static files.
_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class ProfessionalMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.session.get(SESSION_FLAG)
            and user.requires_mfa
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            from maillage.accounts.selectors import has_strong_second_factor

            if not has_strong_second_factor(user=user):
                return redirect(f"{reverse('mfa_activate_totp')}")
            request.session[SESSION_FLAG] = True
        return self.get_response(request)


class UserLanguageMiddleware:
    """Use the language saved on the account when this browser has not chosen one yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language != translation.get_language()
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
