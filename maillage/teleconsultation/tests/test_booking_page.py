"""The booking page lists the days with free slots, then the chosen day's slots as radio
buttons; a failed submit shows the same day with the same slot checked."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.directory.models import Practice
from maillage.teleconsultation.models import Appointment, TeleconsultationOffer
from maillage.teleconsultation.selectors import free_slots
from maillage.teleconsultation.tests.builders import book, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(treating_clinician: User, practice: Practice) -> TeleconsultationOffer:
    return make_offer(treating_clinician, practice, horizon_days=21)


def _by_day(offer: TeleconsultationOffer) -> dict[date, list[datetime]]:
    days: dict[date, list[datetime]] = {}
    for slot in free_slots(offer=offer):
        days.setdefault(timezone.localdate(slot), []).append(slot)
    return days


def _post(slot: datetime, patient: User, **overrides: str) -> dict[str, str]:
    data = {
        "patient": str(patient.pk),
        "starts_at": slot.isoformat(),
        "day": timezone.localdate(slot).isoformat(),
        "motive": "suivi",
        "note": "Point sur la tension",
        "q_exam_needed": "no",
        "q_can_use_tools": "yes",
        "q_hearing_or_sight": "no",
        "q_companion": "no",
        "q_bad_news": "no",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_first_day_s_slots_and_links_to_the_other_days(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    days = _by_day(offer)
    first, second = list(days)[:2]
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    body = client.get(url).content.decode()
    assert body.count('name="starts_at"') == len(days[first])
    assert f'href="?jour={second.isoformat()}"' in body
    assert '<option value="20' not in body  # no slot left in a <select>
    other = client.get(url, {"jour": second.isoformat()}).content.decode()
    assert other.count('name="starts_at"') == len(days[second])
    assert f'value="{days[second][0].isoformat()}"' in other
    assert f'value="{days[first][0].isoformat()}"' not in other


def test_a_day_link_followed_with_htmx_gets_the_day_picker_only(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    second = list(_by_day(offer))[1]
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    response = client.get(url, {"jour": second.isoformat()}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="slot-picker"')
    assert "<html" not in body
    assert "autofocus" in body  # the chosen day keeps the keyboard focus after the swap
    assert "HX-Request" in response["Vary"]  # a cache never serves the fragment as the page


def test_a_day_without_free_slots_or_nonsense_shows_the_first_day(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    first = next(iter(_by_day(offer)))
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    for value in ("1999-01-01", "demain", ""):
        body = client.get(url, {"jour": value}).content.decode()
        assert f'name="day" value="{first.isoformat()}"' in body


def test_a_failed_submit_keeps_the_chosen_day_and_slot(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    days = _by_day(offer)
    third = list(days)[2]
    slot = days[third][3]
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    data = _post(slot, patient)
    del data["consent"]
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert f'value="{slot.isoformat()}" id="id_starts_at_3" checked' in body
    assert f'name="day" value="{third.isoformat()}"' in body
    assert "Point sur la tension" in body
    assert not Appointment.objects.exists()


def test_a_slot_taken_meanwhile_is_refused_and_its_day_stays_shown(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    days = _by_day(offer)
    third = list(days)[2]
    slot = days[third][0]
    book(offer, patient, starts_at=slot)  # from another tab, a moment before
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    response = client.post(url, _post(slot, patient))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_starts_at_error"' in body
    assert f'name="day" value="{third.isoformat()}"' in body
    assert Appointment.objects.filter(starts_at=slot).count() == 1


def test_a_slot_out_of_any_calendar_is_a_form_error(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    first = next(iter(_by_day(offer)))
    data = _post(free_slots(offer=offer)[0], patient)
    data.update(starts_at="9999-12-31T23:59-14:00", day="9999-12-31")
    response = client.post(url, data)
    assert response.status_code == 400
    assert f'name="day" value="{first.isoformat()}"' in response.content.decode()
    assert not Appointment.objects.exists()
