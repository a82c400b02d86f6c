from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import User
from maillage.notifications.models import Notification
from maillage.notifications.services import deliver_notification, notify, notify_many
from maillage.notifications.sms import LocmemSmsBackend, SmsMessage
from maillage.notifications.tasks import deliver_notification_task

TITLE = "Votre médecin a répondu"
SITE = "https://maillage.example.fr"


@pytest.fixture
def reachable_patient(patient: User) -> User:
    patient.phone = "+33612345678"
    patient.save(update_fields=["phone"])
    return patient


def test_notify_stores_the_notification_and_sends_nothing_before_commit(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(recipient=patient, kind="consultation.answered", title=TITLE)

    assert Notification.objects.get(pk=notification.pk).read_at is None
    # After commit: the delivery task, and dropping the recipient's cached unread count.
    assert len(callbacks) == 2
    assert mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    class Failed(Exception):
        pass

    def notify_then_fail() -> None:
        with transaction.atomic():
            notify(recipient=patient, kind="consultation.answered", title=TITLE, by_sms=True)
            raise Failed

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Failed):
        notify_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=patient).exists()


@override_settings(SITE_URL=SITE)
def test_after_commit_the_email_says_that_something_happened_not_what(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a notification about a consultation
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=patient,
            kind="consultation.answered",
            title=TITLE,
            url="/consultations/8c1f/",
        )

    # then one e-mail left, to the patient, with the title and a link only
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [patient.email]
    assert message.subject == f"[Maillage] {TITLE}"
    assert message.body.strip().splitlines() == [
        "Bonjour,",
        "",
        TITLE,
        "",
        "Pour le lire, connectez-vous à Maillage :",
        f"{SITE}/consultations/8c1f/",
        "",
        "Par sécurité, aucune information de santé n'est envoyée par e-mail.",
        "En cas d'urgence, appelez le 15 ou le 112.",
    ]
    assert patient.last_name not in message.body
    assert notification.kind not in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@override_settings(SITE_URL=SITE)
def test_a_text_message_leaves_when_asked_and_a_phone_is_known(
    reachable_patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=reachable_patient,
            kind="consultation.reminder",
            title="Rappel de rendez-vous",
            url="/rdv/",
            by_sms=True,
        )

    assert LocmemSmsBackend.outbox == [
        SmsMessage(to="+33612345678", body=f"Maillage : Rappel de rendez-vous {SITE}/rdv/")
    ]
    notification.refresh_from_db()
    assert notification.sms_sent_at is not None


def test_no_text_message_unless_asked(
    reachable_patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reachable_patient, kind="consultation.answered", title=TITLE)

    assert LocmemSmsBackend.outbox == []
    assert len(mail.outbox) == 1


def test_no_text_message_without_a_phone_number(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    assert patient.phone == ""
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=patient, kind="x.y", title=TITLE, by_sms=True)

    assert LocmemSmsBackend.outbox == []
    assert notification.by_sms is False


def test_no_email_when_the_caller_says_so(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=patient, kind="x.y", title=TITLE, by_email=False)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=patient).count() == 1


def test_each_channel_is_used_once_even_when_delivered_twice(
    reachable_patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # given a delivered notification
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=reachable_patient, kind="x.y", title=TITLE, by_sms=True)
    stale_copy = Notification.objects.get(pk=notification.pk)
    assert stale_copy.emailed_at is not None

    # when the task runs again (a retry), and a worker holding a stale copy delivers too
    deliver_notification_task.enqueue(notification_id=str(notification.public_id))
    stale_copy.emailed_at = None
    stale_copy.sms_sent_at = None
    deliver_notification(notification=stale_copy)

    # then the e-mail and the SMS still left once each
    assert len(mail.outbox) == 1
    assert len(LocmemSmsBackend.outbox) == 1


@pytest.mark.django_db
def test_delivering_a_notification_that_no_longer_exists_does_nothing() -> None:
    result = deliver_notification_task.enqueue(notification_id=str(uuid.uuid4()))
    assert result.status == "SUCCESSFUL"
    assert mail.outbox == []
    assert LocmemSmsBackend.outbox == []


def test_a_channel_layer_outage_does_not_stop_the_email_and_the_sms(
    reachable_patient: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def layer_down(group: str, message: object) -> None:
        raise ConnectionError("Redis unreachable")

    monkeypatch.setattr("maillage.notifications.services.group_send", layer_down)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reachable_patient, kind="x.y", title=TITLE, by_sms=True)

    assert len(mail.outbox) == 1
    assert len(LocmemSmsBackend.outbox) == 1
    assert "unread count not pushed" in caplog.text


@pytest.mark.django_db
def test_a_lazy_title_is_written_in_the_recipients_language() -> None:
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from maillage.accounts.tests.factories import PatientFactory

    english_reader = PatientFactory()
    english_reader.language = "en"
    english_reader.save(update_fields=["language"])

    with translation.override("fr"), transaction.atomic():
        notification = notify(
            recipient=english_reader,
            kind="test.lang",
            title=gettext_lazy("Mon compte"),
            by_email=False,
        )

    assert notification.title == "My account"


def test_notify_many_pushes_once_at_commit_and_queues_only_the_e_mails(
    patient: User,
    treating_clinician: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given one recipient with an e-mail address and one without
    treating_clinician.email = ""
    treating_clinician.save(update_fields=["email"])
    pushed: list[set[int]] = []
    monkeypatch.setattr(
        "maillage.notifications.services.push_unread_counts",
        lambda *, user_ids: pushed.append(set(user_ids)),
    )

    # when both are notified at once
    with django_capture_on_commit_callbacks(execute=True):
        notify_many(recipients=[patient, treating_clinician], kind="x.y", title=TITLE)

    # then both counts left in one push (the task, which e-mails, does not push them again)
    assert pushed == [{patient.pk, treating_clinician.pk}]
    assert [message.to for message in mail.outbox] == [[patient.email]]
