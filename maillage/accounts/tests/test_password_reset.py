"""Password reset by e-mail link, without revealing which addresses have an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.tests.factories import PatientFactory
from maillage.accounts.tests.helpers import logged_in_user_id, post_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nouvelle-phrase-secrete-2026"


def _reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body)
    assert match is not None, body
    return match.group(1)


def test_reset_request_sends_an_email_with_a_link(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    patient = PatientFactory()

    with django_capture_on_commit_callbacks(execute=True):  # the outbox task
        response = client.post(reverse("account_reset_password"), {"email": patient.email})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [patient.email]
    assert mail.outbox[0].subject.startswith("[Maillage] ")
    assert _reset_link(str(mail.outbox[0].body))


def test_unknown_address_gets_the_same_answer(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the outbox task
        response = client.post(
            reverse("account_reset_password"), {"email": "personne@example.test"}
        )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_reset_password_done")
    # The mail says no account exists and carries no reset link.
    assert all("/accounts/password/reset/key/" not in message.body for message in mail.outbox)


def test_the_link_sets_a_new_password_without_logging_in(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given
    patient = PatientFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox task
        client.post(reverse("account_reset_password"), {"email": patient.email})
    link = _reset_link(str(mail.outbox[0].body))

    # when: allauth moves the key out of the URL, then the form is posted
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # then
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    post_password(client, patient.email, NEW_PASSWORD)
    assert logged_in_user_id(client) == str(patient.pk)
