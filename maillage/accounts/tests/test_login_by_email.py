"""Log in with an e-mail address and a password; sessions rotate and expire when idle."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.accounts import services
from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD, PatientFactory
from maillage.accounts.tests.helpers import logged_in_user_id, post_password
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_patient_logs_in_with_their_email_and_password(client: Client) -> None:
    patient = PatientFactory()

    response = client.post(reverse("account_login"), {"login": patient.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("portal:home")
    assert logged_in_user_id(client) == str(patient.pk)


def test_email_is_matched_whatever_its_case(client: Client) -> None:
    patient = PatientFactory(email="louise.perrin@example.test")

    post_password(client, "Louise.PERRIN@example.test")

    assert logged_in_user_id(client) == str(patient.pk)


def test_wrong_password_does_not_log_in(client: Client) -> None:
    patient = PatientFactory()

    status = post_password(client, patient.email, "not-the-password")

    assert status == 200
    assert logged_in_user_id(client) is None


def test_unverified_email_blocks_the_login_and_resends_the_link(client: Client) -> None:
    user = services.register_patient(
        email="sans.verification@example.test",
        password=PASSWORD,
        first_name="Paul",
        last_name="Sans",
        birth_date=date(1980, 1, 1),
        sex="M",
    )

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) is None


def test_login_is_recorded_in_the_audit_trail(client: Client) -> None:
    patient = PatientFactory()

    post_password(client, patient.email)

    event = AuditEvent.objects.get(action="accounts.logged_in")
    assert event.actor == patient
    assert event.target_id == str(patient.public_id)


def test_failed_login_is_recorded_without_the_typed_email(client: Client) -> None:
    patient = PatientFactory(email="typed.address@example.test")

    post_password(client, patient.email, "not-the-password")

    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.actor is None
    assert event.patient is None
    assert event.target_id == ""
    stored = f"{event.details} {event.reason} {event.target_type}"
    assert "typed.address" not in stored
    assert "not-the-password" not in stored


def test_logout_is_recorded_in_the_audit_trail(client: Client) -> None:
    patient = PatientFactory()
    post_password(client, patient.email)

    client.post(reverse("account_logout"))

    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="accounts.logged_out", actor=patient).exists()


def _session_with_a_value(client: Client) -> SessionBase:
    session = client.session
    session["seen_landing"] = True
    session.save()
    return session


def test_session_key_changes_on_login(client: Client) -> None:
    patient = PatientFactory()
    before = _session_with_a_value(client).session_key

    post_password(client, patient.email)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is not None
    assert after != before
    assert logged_in_user_id(client) == str(patient.pk)


def test_session_ends_with_the_browser_and_after_thirty_idle_minutes(client: Client) -> None:
    patient = PatientFactory()

    post_password(client, patient.email)

    # ACCOUNT_SESSION_REMEMBER=False: a browser-session cookie, expired server-side when idle.
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # The idle timeout slides on activity, saved at most once a SESSION_REFRESH_SECONDS.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_REFRESH_SECONDS == 60


def test_session_expires_after_the_idle_timeout_but_not_while_in_use(client: Client) -> None:
    # given
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    patient = PatientFactory()
    account_url = reverse("accounts:account")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_password(client, patient.email)

        # when: two requests, each just before the timeout, keep the session alive
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get(account_url).status_code == 200
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get(account_url).status_code == 200

        # then: staying idle longer than the timeout logs out. Redis expires the cached copy
        # on its own clock, which time-machine cannot move: drop it as Redis would.
        traveller.shift(idle + timedelta(minutes=1))
        cache.clear()
        response = client.get(account_url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def _session_writes(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().startswith(("UPDATE", "INSERT"))
    )


def _expires_at(client: Client) -> datetime:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date


def test_activity_refreshes_the_session_at_most_once_a_minute(client: Client) -> None:
    # given: a patient just logged in (the login saved the session)
    patient = PatientFactory()
    account_url = reverse("accounts:account")
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_password(client, patient.email)
        assert client.get(account_url).status_code == 200
        saved = _expires_at(client)

        # when: two requests 10 s apart
        traveller.shift(timedelta(seconds=10))
        with CaptureQueriesContext(connection) as first:
            assert client.get(account_url).status_code == 200
        traveller.shift(timedelta(seconds=10))
        with CaptureQueriesContext(connection) as second:
            assert client.get(account_url).status_code == 200

        # then: at most one of them writes the session (here none: the login's save is fresh)
        assert _session_writes(first) + _session_writes(second) <= 1
        assert _session_writes(second) == 0
        assert _expires_at(client) == saved

        # when: activity more than a minute after the last refresh
        traveller.shift(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as later:
            assert client.get(account_url).status_code == 200

        # then: one write, and the expiry is pushed back to a full idle period from now
        assert _session_writes(later) == 1
        assert _expires_at(client) == timezone.now() + idle

        # when: 31 idle minutes. Redis expires the cached copy on its own clock, which
        # time-machine cannot move: drop it as Redis would.
        traveller.shift(timedelta(minutes=31))
        cache.clear()
        response = client.get(account_url)

    # then: logged out
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def test_a_session_idle_just_under_the_limit_survives_when_refreshed_within_the_minute(
    client: Client,
) -> None:
    # given: a request 50 s after the last refresh (no write), then 29 min 5 s of idleness
    patient = PatientFactory()
    account_url = reverse("accounts:account")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        post_password(client, patient.email)
        traveller.shift(timedelta(seconds=50))
        assert client.get(account_url).status_code == 200
        traveller.shift(timedelta(minutes=29, seconds=5))
        cache.clear()

        # when: the next request comes 29 min 55 s after the refresh
        response = client.get(account_url)

    # then: still signed in; the idle limit counts from the refresh, at most a minute early
    assert response.status_code == 200


def test_an_anonymous_visit_without_a_session_creates_none(client: Client) -> None:
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_an_inactive_account_cannot_log_in(client: Client) -> None:
    patient = PatientFactory()
    User.objects.filter(pk=patient.pk).update(is_active=False)

    post_password(client, patient.email)

    assert logged_in_user_id(client) is None
