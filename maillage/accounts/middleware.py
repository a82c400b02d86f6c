"""Professionals use the platform only in a session opened with a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.accounts.mfa import session_used_second_factor
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
                return redirect(reverse("mfa_activate_totp"))
            if not session_used_second_factor(request, user):
                # A session opened with a password alone (any route) is not enough: start over.
                logout(request)
                messages.info(request, _("Reconnectez-vous avec votre second facteur."))
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
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
