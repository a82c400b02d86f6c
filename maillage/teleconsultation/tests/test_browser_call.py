"""The call in Chromium with fake camera and microphone: device check, guest link, a real
peer-to-peer call between two browser contexts over loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from maillage.accounts.models import User
from maillage.teleconsultation import call_services
from maillage.teleconsultation.models import Appointment, CallEvent
from maillage.teleconsultation.tests.call_helpers import make_video_appointment
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def appointment(treating_clinician: User, patient: User) -> Appointment:
    return make_video_appointment(doctor=treating_clinician, patient=patient)


def test_the_device_check_finds_the_camera_and_the_microphone(
    browser_session: BrowserSession, patient: User
) -> None:
    page = browser_session.page
    browser_session.login_as(patient)
    browser_session.goto("/teleconsultation/test-materiel/")
    assert browser_session.accessibility_violations() == []

    page.get_by_role("button", name="Tester mon matériel").click()

    expect(page.locator("#result-camera")).to_have_attribute("data-state", "ok")
    expect(page.locator("#result-microphone")).to_have_attribute("data-state", "ok")
    expect(page.locator("#result-bandwidth")).to_contain_text("kbit/s")
    expect(page.locator("#check-summary")).not_to_be_empty()
    page.get_by_role("button", name="Jouer un son").click()
    page.get_by_role("button", name="Oui, je l'ai entendu").click()
    expect(page.locator("#result-speaker")).to_have_attribute("data-state", "ok")
    assert browser_session.accessibility_violations() == []
    assert browser_session.horizontal_overflow() == 0


def test_a_guest_opens_the_link_then_joins_the_call(
    browser_session: BrowserSession, appointment: Appointment
) -> None:
    _guest, token = call_services.invite_guest(
        actor=appointment.doctor, appointment=appointment, kind="interpreter", name="Interprète"
    )
    page = browser_session.page

    browser_session.goto(f"/teleconsultation/invite/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rejoindre la téléconsultation")
    assert browser_session.accessibility_violations() == []
    page.get_by_role("button", name="Rejoindre la téléconsultation").click()

    expect(page).to_have_url(
        f"{browser_session.base_url}/teleconsultation/{appointment.public_id}/appel/"
    )
    _wait_until(page, SOCKET_OPEN)
    expect(page.locator("#waiting-text")).to_contain_text("Le médecin n'est pas encore là")


@pytest.fixture
def second_context(
    chromium: Browser, live_url: str, settled_server: None
) -> Iterator[BrowserContext]:
    context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _sign_in(context: BrowserContext, live_url: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_url}])


def _wait_until(page: Page, expression: str, timeout: float = 20) -> Any:
    """Poll a JS expression through the DevTools protocol (wait_for_function evals a string,
    which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            peers = page.evaluate(
                "JSON.stringify([...window.maillageCall.peers].map(([id, pc]) =>"
                " [id, pc.signalingState, pc.connectionState, pc.iceConnectionState]))"
            )
            raise AssertionError(f"still false after {timeout}s: {expression}; peers {peers}")
        page.wait_for_timeout(200)


CONNECTED = (
    "(() => { const s = Object.values(window.maillageCall.connectionStates());"
    " return s.length > 0 && s.every((x) => x === 'connected'); })()"
)
FRAMES_FLOWING = "window.maillageCall.inboundVideoFrames().then((n) => n > 5)"
SOCKET_OPEN = "Boolean(window.maillageCall && window.maillageCall.socketOpen())"


def _connected(page: Page) -> None:
    _wait_until(page, CONNECTED)


def test_doctor_and_patient_see_each_other_then_go_audio_only_and_survive_a_drop(
    browser_session: BrowserSession,
    second_context: BrowserContext,
    live_url: str,
    appointment: Appointment,
    patient: User,
    treating_clinician: User,
) -> None:
    # given the doctor and the patient on the call page, in two browsers
    call_path = f"/teleconsultation/{appointment.public_id}/appel/"
    doctor_page = browser_session.page
    browser_session.login_as(treating_clinician)
    browser_session.goto(call_path)
    _sign_in(second_context, live_url, patient)
    patient_page = second_context.new_page()
    patient_errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            patient_errors.append(message.text)

    patient_page.on("console", on_console)
    patient_page.goto(f"{live_url}{call_path}")

    # then they connect peer to peer and video frames arrive on both sides
    _connected(doctor_page)
    _connected(patient_page)
    _wait_until(doctor_page, FRAMES_FLOWING)
    _wait_until(patient_page, FRAMES_FLOWING)
    expect(patient_page.locator("#waiting-text")).to_have_text("Le médecin est dans l'appel.")
    assert browser_session.accessibility_violations() == []
    assert browser_session.horizontal_overflow() == 0

    # when the patient switches to audio only
    patient_page.get_by_role("button", name="Audio seul").click()
    expect(patient_page.get_by_role("button", name="Audio seul")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(doctor_page.locator(".call-tile-audio-only")).to_have_count(1)

    # and the chat works both ways
    patient_page.get_by_label("Votre message").fill("Je passe en audio, le réseau est faible.")
    patient_page.get_by_role("button", name="Envoyer le message").click()
    expect(doctor_page.locator("#chat-log")).to_contain_text("le réseau est faible")

    # when the patient's socket drops, the page comes back by itself and reconnects
    old_peer = patient_page.evaluate("window.maillageCall.myPeerId()")
    patient_page.evaluate("window.maillageCall.dropSocket()")
    _wait_until(patient_page, SOCKET_OPEN)
    assert patient_page.evaluate("window.maillageCall.myPeerId()") != old_peer
    _connected(patient_page)
    _connected(doctor_page)

    kinds = list(
        CallEvent.objects.filter(appointment=appointment, role="patient").values_list(
            "kind", flat=True
        )
    )
    assert {"joined", "connected", "audio_only", "dropped", "rejoined"} <= set(kinds)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.IN_PROGRESS

    # when the doctor leaves, the page goes to the closing of the act
    doctor_page.get_by_role("button", name="Quitter l'appel").click()
    expect(doctor_page).to_have_url(
        f"{live_url}/cabinet/teleconsultations/{appointment.public_id}/cloture/"
    )
    expect(patient_page.locator("#call-status")).to_contain_text("a quitté l'appel")
    assert patient_errors == []
