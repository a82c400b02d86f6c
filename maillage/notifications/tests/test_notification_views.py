from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.notifications.models import Notification
from maillage.notifications.selectors import PAGE_SIZE

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

from maillage.notifications.tests.factories import make_notification, make_notifications

LIST_URL = reverse("notifications:list")


def _titles(response: TestResponse) -> list[str]:
    body = response.content.decode()
    items = body.split('<div id="notification-items"', 1)[1]
    return re.findall(r'<button type="submit" class="link-button">([^<]+)</button>', items)


def _open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.public_id])


@pytest.fixture
def patient_client(client: Client, patient: User) -> Client:
    client.force_login(patient)
    return client


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_the_users_own_notifications_newest_first(
    patient_client: Client, patient: User, other_clinician: User
) -> None:
    make_notification(recipient=patient, title="Ancienne")
    make_notification(recipient=patient, title="Récente")
    make_notification(recipient=other_clinician, title="Pas pour vous")

    response = patient_client.get(LIST_URL)

    assert response.status_code == 200
    assert _titles(response) == ["Récente", "Ancienne"]


def test_the_list_pages_with_a_cursor_on_the_id(patient_client: Client, patient: User) -> None:
    # given more notifications than a page holds
    created = make_notifications(PAGE_SIZE + 5, recipient=patient)
    newest_first = [n.title for n in reversed(created)]

    # when the first page is read
    first = patient_client.get(LIST_URL)

    # then it holds a full page and a link to the older ones
    assert _titles(first) == newest_first[:PAGE_SIZE]
    oldest_shown = created[-PAGE_SIZE]
    assert f'href="?avant={oldest_shown.pk}"' in first.content.decode()

    # and the next page holds the rest, without a further link
    second = patient_client.get(LIST_URL, {"avant": oldest_shown.pk})
    assert _titles(second) == newest_first[PAGE_SIZE:]
    assert 'href="?avant=' not in second.content.decode()


@pytest.mark.parametrize("cursor", ["abc", "-1", "0", "²", "9" * 5000])
def test_a_malformed_cursor_shows_the_first_page(
    patient_client: Client, patient: User, cursor: str
) -> None:
    make_notification(recipient=patient, title="Seule")
    response = patient_client.get(LIST_URL, {"avant": cursor})
    assert response.status_code == 200
    assert _titles(response) == ["Seule"]


def test_an_htmx_request_gets_only_the_list_fragment(patient_client: Client, patient: User) -> None:
    make_notification(recipient=patient, title="Fragment")

    response = patient_client.get(LIST_URL, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="notification-items"')
    assert "<html" not in body
    assert _titles(response) == ["Fragment"]
    assert "HX-Request" in response["Vary"]


def test_an_empty_list_says_so(patient_client: Client) -> None:
    response = patient_client.get(LIST_URL)
    assert "Aucune notification pour le moment." in response.content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    patient_client: Client, patient: User
) -> None:
    notification = make_notification(recipient=patient, url="/compte/")

    response = patient_client.post(_open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_someone_elses_notification_gets_404_and_changes_nothing(
    patient_client: Client, other_clinician: User
) -> None:
    theirs = make_notification(recipient=other_clinician, url="/compte/")

    response = patient_client.post(_open_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_an_unknown_notification_gets_404(patient_client: Client) -> None:
    response = patient_client.post(
        reverse("notifications:open", args=["3f2504e0-4f89-11d3-9a0c-0305e82c3301"])
    )
    assert response.status_code == 404


def test_opening_needs_a_post(patient_client: Client, patient: User) -> None:
    notification = make_notification(recipient=patient)
    response = patient_client.get(_open_url(notification))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example",
        "http://evil.example/compte/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_link_leaving_the_site_is_not_followed(
    patient_client: Client, patient: User, url: str
) -> None:
    notification = make_notification(recipient=patient, url=url)

    response = patient_client.post(_open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL


def test_read_all_marks_every_notification_of_the_user_only(
    patient_client: Client, patient: User, other_clinician: User
) -> None:
    make_notifications(3, recipient=patient)
    theirs = make_notification(recipient=other_clinician)

    response = patient_client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not Notification.objects.filter(recipient=patient, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_needs_a_post(patient_client: Client, patient: User) -> None:
    make_notification(recipient=patient)
    assert patient_client.get(reverse("notifications:read_all")).status_code == 405
    assert Notification.objects.filter(recipient=patient, read_at__isnull=True).exists()
