"""The call's pages: who sees the call page, the guest link, files shared in the call, the
device check and its bandwidth probe."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.teleconsultation import call_services
from maillage.teleconsultation.models import Appointment, CallMessage, GuestPass
from maillage.teleconsultation.tests.call_helpers import make_video_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(treating_clinician: User, patient: User) -> Appointment:
    return make_video_appointment(doctor=treating_clinician, patient=patient)


def _call_url(appointment: Appointment) -> str:
    return reverse("teleconsultation:call", args=[appointment.public_id])


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def _invite(appointment: Appointment, name: str = "Marie, sa fille") -> tuple[GuestPass, str]:
    return call_services.invite_guest(
        actor=appointment.doctor, appointment=appointment, kind="carer", name=name
    )


# --- the call page ---------------------------------------------------------------------------


def test_the_patient_gets_the_waiting_room(appointment: Appointment, patient: User) -> None:
    response = _signed_in(patient).get(_call_url(appointment))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Le médecin n&#x27;est pas encore là" in body
    assert 'id="call-strings"' in body
    assert f'data-socket="/ws/teleconsultation/{appointment.public_id}/"' in body
    assert 'data-role="patient"' in body
    assert "Inviter un tiers" not in body


def test_the_doctor_gets_the_guest_panel_and_the_delay_button(
    appointment: Appointment, treating_clinician: User
) -> None:
    response = _signed_in(treating_clinician).get(_call_url(appointment))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Inviter un tiers" in body
    assert "Annoncer un retard" in body
    assert 'data-role="doctor"' in body


def test_the_ice_servers_come_from_the_settings(
    appointment: Appointment, patient: User, settings: Any
) -> None:
    settings.WEBRTC_ICE_SERVERS = [{"urls": "stun:stun.example.fr:3478"}]
    response = _signed_in(patient).get(_call_url(appointment))
    assert b'[{"urls": "stun:stun.example.fr:3478"}]' in response.content


def test_the_waiting_room_says_how_late_the_doctor_is(
    treating_clinician: User, patient: User
) -> None:
    late = make_video_appointment(doctor=treating_clinician, patient=patient, starts_in_minutes=-12)
    response = _signed_in(patient).get(_call_url(late))
    assert "12 min de retard" in response.content.decode()


@pytest.mark.parametrize("who", ["other_patient", "other_clinician", "anonymous"])
def test_an_outsider_gets_404(appointment: Appointment, other_clinician: User, who: str) -> None:
    client = Client()
    if who == "other_patient":
        client.force_login(PatientFactory())
    elif who == "other_clinician":
        client.force_login(other_clinician)
    assert client.get(_call_url(appointment)).status_code == 404


def test_a_patient_without_consent_gets_404(treating_clinician: User, patient: User) -> None:
    appointment = make_video_appointment(doctor=treating_clinician, patient=patient, consent=False)
    assert _signed_in(patient).get(_call_url(appointment)).status_code == 404


# --- the guest link --------------------------------------------------------------------------


def test_opening_the_link_does_not_use_it(appointment: Appointment) -> None:
    guest, token = _invite(appointment)
    url = reverse("teleconsultation:guest", args=[token])

    response = Client().get(url)
    Client().get(url)  # a mail previewer, then the person

    assert response.status_code == 200
    assert "Marie, sa fille" in response.content.decode()
    guest.refresh_from_db()
    assert guest.redeemed_at is None


def test_joining_by_the_link_opens_the_call_to_this_browser_only(
    appointment: Appointment,
) -> None:
    _guest, token = _invite(appointment)
    url = reverse("teleconsultation:guest", args=[token])
    browser = Client()

    response = browser.post(url)

    assert response.status_code == 302
    assert response["Location"] == _call_url(appointment)
    page = browser.get(_call_url(appointment))
    assert page.status_code == 200
    assert 'data-role="guest"' in page.content.decode()
    # the same browser may come back; a second browser may not
    assert browser.post(url).status_code == 302
    other = Client()
    refused = other.post(url)
    assert refused.status_code == 410
    assert "n'est plus valable" in refused.content.decode().replace("&#x27;", "'")
    assert other.get(url).status_code == 410
    assert other.get(_call_url(appointment)).status_code == 404


def test_a_revoked_link_is_refused(appointment: Appointment) -> None:
    guest, token = _invite(appointment)
    call_services.revoke_guest(actor=appointment.doctor, guest=guest)
    url = reverse("teleconsultation:guest", args=[token])

    assert Client().get(url).status_code == 410
    assert Client().post(url).status_code == 410


def test_an_unknown_link_is_refused() -> None:
    assert Client().post(reverse("teleconsultation:guest", args=["nope"])).status_code == 410


def test_the_doctor_creates_a_link_shown_once_with_its_full_address(
    appointment: Appointment, treating_clinician: User
) -> None:
    client = _signed_in(treating_clinician)
    url = reverse("teleconsultation:guests", args=[appointment.public_id])

    response = client.post(
        url,
        {"action": "invite", "kind": "interpreter", "name": "Interprète"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="guest-panel"' in body
    assert "http://testserver/teleconsultation/invite/" in body
    assert "<html" not in body  # the htmx partial only
    assert response["Cache-Control"] == "private, no-store"
    listing = client.get(url).content.decode()
    assert "Interprète" in listing
    assert "/teleconsultation/invite/" not in listing


def test_a_professional_guest_needs_an_rpps(
    appointment: Appointment, treating_clinician: User
) -> None:
    response = _signed_in(treating_clinician).post(
        reverse("teleconsultation:guests", args=[appointment.public_id]),
        {"action": "invite", "kind": "professional", "name": "Dr Infirmier"},
    )
    assert response.status_code == 422
    assert not GuestPass.objects.exists()


def test_the_doctor_revokes_a_link(appointment: Appointment, treating_clinician: User) -> None:
    guest, _token = _invite(appointment)
    response = _signed_in(treating_clinician).post(
        reverse("teleconsultation:guests", args=[appointment.public_id]),
        {"action": "revoke", "guest": str(guest.public_id)},
    )
    assert response.status_code == 200
    guest.refresh_from_db()
    assert guest.revoked_at is not None


def test_the_patient_cannot_manage_guests(appointment: Appointment, patient: User) -> None:
    url = reverse("teleconsultation:guests", args=[appointment.public_id])
    client = _signed_in(patient)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "invite", "kind": "carer", "name": "X"}).status_code == 404
    assert not GuestPass.objects.exists()


# --- files shared in the call ----------------------------------------------------------------


def _upload(client: Client, appointment: Appointment, name: str, content: bytes) -> Any:
    return client.post(
        reverse("teleconsultation:call_file", args=[appointment.public_id]),
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT="application/json",
    )


def test_a_file_of_the_wrong_type_is_refused_in_french(
    appointment: Appointment, patient: User
) -> None:
    response = _upload(_signed_in(patient), appointment, "virus.exe", b"MZ\x90\x00binary")

    assert response.status_code == 400
    assert response.json() == {"error": "Formats acceptés : photo JPEG, PNG ou WebP, document PDF."}
    assert not CallMessage.objects.exists()


def test_a_photo_is_filed_with_the_consultation_and_announced_in_the_call(
    appointment: Appointment,
    patient: User,
    treating_clinician: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(_signed_in(patient), appointment, "ordonnance.jpg", _photo())

    assert response.status_code == 201
    payload = response.json()
    assert (payload["name"], payload["role"]) == ("ordonnance.jpg", "patient")
    assert len(callbacks) == 1  # the broadcast waits for the commit
    message = CallMessage.objects.get(appointment=appointment)
    assert payload["url"] == reverse(
        "teleconsultation:call_file_download", args=[message.public_id]
    )

    download = _signed_in(treating_clinician).get(payload["url"])

    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert AuditEvent.objects.filter(
        action="teleconsultation.file_opened", actor=treating_clinician
    ).exists()


def test_a_shared_file_is_404_to_an_outsider(
    appointment: Appointment, patient: User, other_clinician: User
) -> None:
    url = _upload(_signed_in(patient), appointment, "photo.jpg", _photo()).json()["url"]

    assert _signed_in(other_clinician).get(url).status_code == 404
    assert _signed_in(PatientFactory()).get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_an_outsider_cannot_upload(appointment: Appointment, other_clinician: User) -> None:
    response = _upload(_signed_in(other_clinician), appointment, "photo.jpg", _photo())
    assert response.status_code == 404


# --- device check ----------------------------------------------------------------------------


def test_the_device_check_page_renders(patient: User) -> None:
    response = _signed_in(patient).get(reverse("teleconsultation:device_check"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tester mon matériel" in body
    assert 'id="device-strings"' in body
    assert reverse("teleconsultation:bandwidth_probe") in body


def test_the_device_check_asks_an_anonymous_visitor_to_sign_in() -> None:
    response = Client().get(reverse("teleconsultation:device_check"))
    assert response.status_code == 302
    assert "/connexion" in response["Location"] or "login" in response["Location"]


def test_the_bandwidth_probe_is_random_and_never_cached(patient: User) -> None:
    client = _signed_in(patient)
    url = reverse("teleconsultation:bandwidth_probe")

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    assert len(first.content) == 200 * 1024
    assert first.content != second.content
    assert first["Cache-Control"] == "no-store"
    assert first["Content-Type"] == "application/octet-stream"
    assert len(client.get(url, {"taille": "999999"}).content) == 1024 * 1024
    assert len(client.get(url, {"taille": "abc"}).content) == 200 * 1024


def test_the_bandwidth_probe_refuses_strangers() -> None:
    assert Client().get(reverse("teleconsultation:bandwidth_probe")).status_code == 403


def test_a_guest_may_use_the_device_check(appointment: Appointment) -> None:
    _guest, token = _invite(appointment)
    browser = Client()
    browser.post(reverse("teleconsultation:guest", args=[token]))

    assert browser.get(reverse("teleconsultation:device_check")).status_code == 200
    assert browser.get(reverse("teleconsultation:bandwidth_probe")).status_code == 200
