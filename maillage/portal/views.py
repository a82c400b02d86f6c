from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware.csrf import REASON_BAD_ORIGIN
from django.shortcuts import render
from django.template import loader
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import bad_request as django_bad_request
from django.views.i18n import set_language as django_set_language

from maillage.accounts.models import Role, User
from maillage.accounts.selectors import has_strong_second_factor, list_represented_patients_for
from maillage.accounts.services import set_preferred_language
from maillage.core.errors import database_unavailable
from maillage.dashboards.selectors import TERRITORY_TOP_COMMUNES
from maillage.directory import selectors as directory
from maillage.notifications.selectors import list_notifications_for
from maillage.operations.selectors import system_status_for

# What a 503 page asks browsers and API clients to wait before trying again.
DATABASE_RETRY_AFTER_SECONDS = 10


def _home_context(user: User) -> tuple[str, dict[str, Any]]:
    recent = list_notifications_for(actor=user)[:5]
    if user.role == Role.PATIENT:
        return "portal/home_patient.html", {
            "treating": directory.get_treating_doctor_for(actor=user),
            "represented": list(list_represented_patients_for(actor=user)),
            "recent_notifications": recent,
        }
    common: dict[str, Any] = {
        "recent_notifications": recent,
        "has_second_factor": has_strong_second_factor(user=user),
        "practices": list(directory.list_practices_for(actor=user)),
    }
    if user.role in (Role.GP, Role.SPECIALIST):
        common["declared_patients"] = directory.count_declared_patients_for(actor=user)
        common["colleagues"] = list(directory.list_practice_colleagues_for(actor=user))
        return "portal/home_doctor.html", common
    if user.role == Role.STAFF:
        common["colleagues"] = list(directory.list_practice_colleagues_for(actor=user))
        return "portal/home_staff.html", common
    if user.role == Role.COORDINATOR:
        # The communes that need it most, as the territory dashboard ranks them; its search
        # finds the others.
        common["territory"], common["territory_communes"] = directory.territory_head_for(
            actor=user, limit=TERRITORY_TOP_COMMUNES
        )
        return "portal/home_coordinator.html", common
    if user.role == Role.OPERATOR:
        common["status"] = system_status_for(actor=user)
        return "portal/home_operator.html", common
    return "portal/home_team.html", common


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return render(request, "portal/landing.html")
    template, ctx = _home_context(user)
    return render(request, template, ctx)


@login_not_required
@require_safe
def emergencies(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/emergencies.html")


def _switch_language(request: HttpRequest) -> HttpResponseBase:
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User):
        set_preferred_language(actor=user, language=language)
    return response


_switch_language_with_token = csrf_protect(_switch_language)


def _posted_from_here(request: HttpRequest) -> bool:
    """Whether the browser says this POST comes from one of our own pages.

    Browsers send Origin with every form POST (and Sec-Fetch-Site with it); a client that
    sends neither is not a browser an attacker's page could drive.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        own = f"{request.scheme}://{request.get_host()}"
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


# The token is checked below when it matters: a signed-in user's choice is written on their
# account. An anonymous visitor's switch only sets their own language cookie, and it is posted
# from pages served whole from the public cache, which carry no token
# (maillage.core.public_cache): there the Origin stands in for it.
@csrf_exempt
@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the interface language; remember it on the account (e-mails follow it)."""
    if request.user.is_authenticated:
        return _switch_language_with_token(request)
    if not _posted_from_here(request):
        return csrf_failure(request, reason=REASON_BAD_ORIGIN % request.headers.get("Origin"))
    return _switch_language(request)


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def _database_unavailable_response() -> HttpResponse:
    # A database restart or failover: temporary, and said so (503 with Retry-After).
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The session could not be saved because the database went away mid-request: Django
    # reports that as a 400 ("session interrupted"), but it is the database's outage.
    if database_unavailable(exception):
        return _database_unavailable_response()
    return django_bad_request(request, exception or Exception())


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: its processors read the session, the user and the database, which
    # may be what just failed. 500.html stands alone for that reason (as Django's default does).
    # Django calls this handler while handling the exception, so sys.exc_info() names it.
    if database_unavailable(sys.exc_info()[1]):
        return _database_unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render())
