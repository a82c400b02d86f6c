"""Professionals use a second factor; sessions expire when idle; the account's language."""

from __future__ import annotations

import time
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


# Where the session keeps the time (epoch seconds) its expiry was last pushed back.
SESSION_REFRESHED_KEY = "maillage_refreshed_at"


class SessionIdleRefreshMiddleware:
    """Slide the idle timeout forward at most once a `SESSION_REFRESH_SECONDS`, not per request.

    A session expires `SESSION_COOKIE_AGE` after its last save. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) costs a transaction and an UPDATE per page; saving it only
    when the last refresh is older than `SESSION_REFRESH_SECONDS` lets it expire between
    `SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS` and `SESSION_COOKIE_AGE` after the last
    activity: never later than the limit, at most that much earlier. It must sit after
    SessionMiddleware, so that its mark is made before the session is saved.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        refreshed = session.get(SESSION_REFRESHED_KEY)
        # An unknown key loads as a new empty session: nothing to keep alive, nothing to create.
        if session.is_empty():
            return response
        now = int(time.time())
        stale = (
            not isinstance(refreshed, int) or now - refreshed >= settings.SESSION_REFRESH_SECONDS
        )
        if stale or session.modified:
            # A save for any other reason refreshes the expiry too: note it.
            session[SESSION_REFRESHED_KEY] = now
        return response
